"""Interview drafts: kept per interviewer until finalised into an anonymous response.

A draft knows its interviewer (so nobody else can read or finish it); the response made
from it does not. Finalising validates against the draft's own questionnaire version,
stores the response idempotently and deletes the draft in the same transaction. Saving a
draft is one upsert, so that saves racing for a new draft id do not fail.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from surveyapp.collect.submission import (
    AnswerError,
    _clean_text,
    answer_ids,
    store_response,
    validate,
)
from surveyapp.collect.versions import questionnaire_of
from surveyapp.db import bounded_int, write_lock
from surveyapp.db.models import DpsUnit, InterviewDraft, QuestionnaireVersion, utcnow
from surveyapp.questionnaire import Mode, Questionnaire

DRAFT_ID = re.compile(r"^[A-Za-z0-9_-]{16,40}$")
SUBMISSION_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
MAX_VALUES = 50
MAX_VALUE_LENGTH = 4000


class DraftForbidden(PermissionError):
    """The draft belongs to another interviewer."""


class InvalidInterview(ValueError):
    """The interview could not have come from our form; `reason` says what is wrong."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class InterviewPayload:
    """What a tablet sends, checked for shape (not yet for content)."""

    draft_id: str
    version: QuestionnaireVersion
    questionnaire: Questionnaire
    dps_id: str
    answers: dict[str, list[str]]


def read_payload(session: Session, data: object) -> InterviewPayload:
    """Check a JSON body from a tablet; anything malformed is refused whole."""
    if not isinstance(data, dict):
        raise InvalidInterview("body")
    draft_id, version_id, dps_id = data.get("draft_id"), data.get("version_id"), data.get("dps_id")
    if not (isinstance(draft_id, str) and DRAFT_ID.match(draft_id)):
        raise InvalidInterview("draft_id")
    version_id = bounded_int(version_id) if not isinstance(version_id, str) else None
    version = session.get(QuestionnaireVersion, version_id) if version_id is not None else None
    if version is None:
        raise InvalidInterview("version")
    questionnaire = questionnaire_of(version)
    if Mode.INTERVIEW not in questionnaire.modes:
        raise InvalidInterview("not_an_interview")
    unit = session.get(DpsUnit, dps_id) if isinstance(dps_id, str) else None
    if unit is None:
        raise InvalidInterview("dps")
    return InterviewPayload(
        draft_id, version, questionnaire, dps_id, _answers(questionnaire, data.get("answers"))
    )


def _answers(questionnaire: Questionnaire, raw: object) -> dict[str, list[str]]:
    if not isinstance(raw, dict):
        raise InvalidInterview("answers")
    known = answer_ids(questionnaire)
    answers: dict[str, list[str]] = {}
    for answer_id, values in raw.items():
        if answer_id not in known:
            raise InvalidInterview("unknown_question")
        if not isinstance(values, list) or len(values) > MAX_VALUES:
            raise InvalidInterview("answers")
        if not all(isinstance(v, str) and len(v) <= MAX_VALUE_LENGTH for v in values):
            raise InvalidInterview("answers")
        # as the public form cleans them (NFC, no control characters such as NUL), so
        # that a draft holds what the finished interview will store
        cleaned = [text for text in map(_clean_text, values) if text]
        if cleaned:
            answers[answer_id] = cleaned
    return answers


def own_drafts(session: Session, interviewer_id: int) -> list[InterviewDraft]:
    return list(
        session.scalars(
            select(InterviewDraft)
            .where(InterviewDraft.interviewer_id == interviewer_id)
            .order_by(InterviewDraft.updated_at.desc())
        )
    )


def _own_draft(session: Session, draft_id: str, interviewer_id: int) -> InterviewDraft | None:
    draft = session.get(InterviewDraft, draft_id)
    if draft is not None and draft.interviewer_id != interviewer_id:
        raise DraftForbidden(draft_id)
    return draft


def save_draft(session: Session, payload: InterviewPayload, interviewer_id: int) -> None:
    """Create or update the interviewer's draft (answers as they stand; not validated).

    One statement (INSERT ... ON CONFLICT DO UPDATE on both databases), so that two saves
    of a new draft at once both succeed instead of one failing on the primary key; the
    update applies only to the interviewer's own draft."""
    now = utcnow()
    values = {
        "questionnaire_version_id": payload.version.id,
        "dps_id": payload.dps_id,
        "answers": json.dumps(payload.answers, ensure_ascii=False),
        "updated_at": now,
    }
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(InterviewDraft).values(
        id=payload.draft_id, interviewer_id=interviewer_id, created_at=now, **values
    )
    statement = statement.on_conflict_do_update(
        index_elements=[InterviewDraft.id],
        set_={name: statement.excluded[name] for name in values},
        where=InterviewDraft.interviewer_id == interviewer_id,
    ).returning(InterviewDraft.id)
    with write_lock(session.get_bind()):
        try:
            saved = session.execute(statement).scalar()
            session.commit()
        except BaseException:
            session.rollback()
            raise
    if saved is None:  # the id is another interviewer's draft: nothing was changed
        raise DraftForbidden(payload.draft_id)


def delete_draft(session: Session, draft_id: str, interviewer_id: int) -> None:
    if _own_draft(session, draft_id, interviewer_id) is not None:
        session.execute(delete(InterviewDraft).where(InterviewDraft.id == draft_id))
        session.commit()


def finalise(
    session: Session,
    payload: InterviewPayload,
    interviewer_id: int,
    submission_key: str,
    *,
    today: dt.date,
    date_precision: str = "day",
) -> tuple[str | None, list[AnswerError]]:
    """Validate against the draft's own version and store an anonymous response.

    Returns (response id, []) or (None, errors). A repeated key with the same interview
    stores nothing new; with another interview it raises KeyReused and keeps the draft.
    The interviewer's identity goes no further than this function.
    """
    if not SUBMISSION_KEY.match(submission_key or ""):
        raise InvalidInterview("key")
    _own_draft(session, payload.draft_id, interviewer_id)  # another's draft: DraftForbidden
    cleaned, errors = validate(payload.questionnaire, payload.answers, may_decline_required=True)
    if errors:
        return None, errors

    def delete_the_draft(transaction: Session) -> None:
        transaction.execute(delete(InterviewDraft).where(InterviewDraft.id == payload.draft_id))

    # The response, its answers and the draft's deletion in one transaction: an interview is
    # either a draft or a response, never both and never neither. KeyReused keeps the draft.
    response_id, _created = store_response(
        session,
        version=payload.version,
        questionnaire=payload.questionnaire,
        dps_id=payload.dps_id,
        mode=Mode.INTERVIEW.value,
        answers=cleaned,
        submission_key=submission_key,
        today=today,
        date_precision=date_precision,
        also=delete_the_draft,
    )
    return response_id, []


__all__ = [
    "DraftForbidden",
    "InvalidInterview",
    "InterviewPayload",
    "delete_draft",
    "finalise",
    "own_drafts",
    "read_payload",
    "save_draft",
]
