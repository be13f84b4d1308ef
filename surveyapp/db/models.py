"""The database tables, as typed SQLAlchemy 2 models.

What a response stores is fixed by the anonymity promise (docs/privacy.md): a random id,
the questionnaire version, the DPS, the mode, the submission date (no time of day) and the
answers. Nothing here links a response to a person, a device, a session or an interviewer.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class DpsArea(Base):
    """An official DPS area (SSB classification 632)."""

    __tablename__ = "dps_area"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    health_trust: Mapped[str] = mapped_column(String(200))


class DpsUnit(Base):
    """A unit people visit. Made inactive, never deleted, so its responses stay."""

    __tablename__ = "dps_unit"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    area_id: Mapped[str] = mapped_column(ForeignKey("dps_area.id"))
    health_trust: Mapped[str] = mapped_column(String(200))
    places: Mapped[str] = mapped_column(String(400), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    area: Mapped[DpsArea] = relationship()


class QuestionnaireVersion(Base):
    """One version of a questionnaire file, identified by the hash of its text."""

    __tablename__ = "questionnaire_version"
    __table_args__ = (UniqueConstraint("questionnaire_id", "content_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    questionnaire_id: Mapped[str] = mapped_column(String(80), index=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    source_name: Mapped[str] = mapped_column(String(200))
    source_text: Mapped[str] = mapped_column(Text)
    loaded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    current: Mapped[bool] = mapped_column(Boolean, default=True)


class CollectionLink(Base):
    """A public link (and QR poster) for one DPS and one questionnaire."""

    __tablename__ = "collection_link"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    dps_id: Mapped[str] = mapped_column(ForeignKey("dps_unit.id"))
    questionnaire_id: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)

    dps: Mapped[DpsUnit] = relationship()

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


# The response's columns every answer copies (Answer's docstring).
RESPONSE_COPIES = ("questionnaire_version_id", "dps_id", "mode", "submitted_on")


class Response(Base):
    """One anonymous submission. See the module docstring for what may be stored here."""

    __tablename__ = "response"
    # Reports count responses per DPS from this index alone (reports/aggregate.py).
    __table_args__ = (
        Index("ix_response_report", "dps_id", "questionnaire_version_id", "mode", "submitted_on"),
        # what an answer's copies refer to (Answer's composite foreign key)
        UniqueConstraint("id", *RESPONSE_COPIES, name="uq_response_copies"),
        # SQLite: rows kept in the order of the random id, with no rowid counting inserts
        {"sqlite_with_rowid": False},
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random, not sequential
    questionnaire_version_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_version.id"))
    dps_id: Mapped[str] = mapped_column(ForeignKey("dps_unit.id"))
    mode: Mapped[str] = mapped_column(String(16))
    submitted_on: Mapped[dt.date] = mapped_column(Date)  # a day, or the Monday of its ISO week
    date_precision: Mapped[str] = mapped_column(String(8), default="day")
    # sha256 of the client's idempotency key: a retried submission is recognised, not stored twice
    submission_key: Mapped[str] = mapped_column(String(64), unique=True)
    # HMAC of what was sent, keyed with the client's key (never stored): a retry sends the
    # same, and a different submission under a used key is refused, not taken for a retry.
    # NULL for responses stored before revision 0005.
    payload_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)

    version: Mapped[QuestionnaireVersion] = relationship()
    answers: Mapped[list[Answer]] = relationship(
        back_populates="response",
        cascade="all, delete-orphan",
        foreign_keys="Answer.response_id",
        primaryjoin="Response.id == Answer.response_id",
    )


class Answer(Base):
    """One value of one question (long format): several rows for a multiple choice.

    The columns reports filter on are copied from the response (see `RESPONSE_COPIES`), so
    that counting answers needs no join: an index holds everything a report counts.
    """

    __tablename__ = "answer"
    __table_args__ = (
        # Reports read this index alone, in GROUP BY order (reports/aggregate.py).
        Index(
            "ix_answer_report",
            "dps_id",
            "question_id",
            "value",
            "questionnaire_version_id",
            "mode",
            "submitted_on",
            "position",
            "response_id",  # for the group filter: responses that gave some answer
            sqlite_where=text("review IS NULL"),
            postgresql_where=text("review IS NULL"),
        ),
        # Free text under review or approved (a small part of all answers).
        Index(
            "ix_answer_review",
            "review",
            "question_id",
            sqlite_where=text("review IS NOT NULL"),
            postgresql_where=text("review IS NOT NULL"),
        ),
        # the copies equal the response's columns: the database refuses anything else
        ForeignKeyConstraint(
            ["response_id", *RESPONSE_COPIES],
            [f"response.{c}" for c in ("id", *RESPONSE_COPIES)],
            name="fk_answer_response_copies",
            ondelete="CASCADE",
        ),
        {"sqlite_with_rowid": False},
    )

    response_id: Mapped[str] = mapped_column(
        ForeignKey("response.id", ondelete="CASCADE"), primary_key=True
    )
    question_id: Mapped[str] = mapped_column(String(160), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True, default=0)
    value: Mapped[str] = mapped_column(Text)
    number: Mapped[float | None] = mapped_column(Float, nullable=True)  # for means and medians
    # free text only: "pending" until an admin approves it for export
    review: Mapped[str | None] = mapped_column(String(16), nullable=True)
    # copies of the response's columns (RESPONSE_COPIES)
    questionnaire_version_id: Mapped[int] = mapped_column(Integer)
    dps_id: Mapped[str] = mapped_column(String(40))
    mode: Mapped[str] = mapped_column(String(16))
    submitted_on: Mapped[dt.date] = mapped_column(Date)

    response: Mapped[Response] = relationship(
        back_populates="answers",
        foreign_keys=[response_id],
        primaryjoin="Response.id == Answer.response_id",
    )


# The value of an answer row for a question that was shown to the respondent but left without
# an answer (and without "Vil ikke svare", stored as "_declined"): the reports count those
# who were asked. Never stored for free text, info texts or questions that were not shown.
SKIPPED = "_skipped"


def answers_of(response: dict, answers: list[dict]) -> list[dict]:
    """Answer rows ready to insert: each gets its response's id and the columns it copies."""
    copied = {"response_id": response["id"], **{c: response[c] for c in RESPONSE_COPIES}}
    return [{**answer, **copied} for answer in answers]


class User(Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(120), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(20))  # admin, interviewer, analyst
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    # part of the session id: raising it signs the user out everywhere (disable, reset)
    session_version: Mapped[int] = mapped_column(Integer, default=0)

    # Flask-Login's user protocol, written out so the db layer does not import Flask.
    @property
    def is_active(self) -> bool:
        return self.active

    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"


class OneTimeToken(Base):
    """A single-use link (first admin, invitations). Only the token's hash is stored."""

    __tablename__ = "one_time_token"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    purpose: Mapped[str] = mapped_column(String(20))  # "first-admin", "set-password"
    role: Mapped[str] = mapped_column(String(20))
    # the account a set-password link (invitation or reset) belongs to
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), nullable=True
    )
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class InterviewDraft(Base):
    """An interview being worked on. It belongs to its interviewer until it is finalised;
    then it becomes an anonymous Response and this row is deleted."""

    __tablename__ = "interview_draft"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)  # made by the tablet
    interviewer_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    questionnaire_version_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_version.id"))
    dps_id: Mapped[str] = mapped_column(ForeignKey("dps_unit.id"))
    answers: Mapped[str] = mapped_column(Text, default="{}")  # JSON: answer id -> [values]
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    dps: Mapped[DpsUnit] = relationship()
    version: Mapped[QuestionnaireVersion] = relationship()


class AuditEntry(Base):
    """Who downloaded or deleted what, when, with which filters. Admins read it."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )
    username: Mapped[str] = mapped_column(String(120))  # kept if the account goes
    action: Mapped[str] = mapped_column(String(40))  # "download-workbook", "export", ...
    questionnaire_id: Mapped[str | None] = mapped_column(String(80), nullable=True)
    details: Mapped[str] = mapped_column(Text, default="{}")  # JSON: filters and the like
