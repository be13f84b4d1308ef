"""Reviewing free text before it reaches a report: approve, redact further, or reject.

Free text is stored scrubbed and "pending" (collect.submission). An admin then decides on
each text: approved text is shown in reports and downloads; a redaction may only remove
words or replace them with the marker `[fjernet]`, and is approved with it; rejected text
is deleted. Deleting rather than keeping it marked "rejected" is deliberate: a text is
usually rejected because it says something that could identify someone, and a row that is
never shown still sits in every backup and database dump. No figure counts free text, so
deleting it changes no report.

A page never shows a response id: each text is named by a reference, the HMAC (keyed with
the app's secret) of its response id, question id and position. The reference is stable,
but cannot be turned back into the response id, nor linked to the other answers of the
same response. Every decision is written to the audit log, without the text.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import Select, delete, func, select, update
from sqlalchemy.orm import Session

from surveyapp import audit
from surveyapp.collect.anonymize import REMOVED
from surveyapp.collect.versions import questionnaire_of
from surveyapp.db import write_lock
from surveyapp.db.models import Answer, DpsUnit, QuestionnaireVersion, Response, User
from surveyapp.questionnaire.model import LONG_TEXT_MAX

PENDING, APPROVED = "pending", "approved"
APPROVE, REDACT, REJECT = "approve-free-text", "redact-free-text", "reject-free-text"
REDACTION_MAX = LONG_TEXT_MAX  # a redaction may grow a little by markers, never beyond this
REF_LENGTH = 32  # hex characters of the HMAC: 128 bits
_REF = re.compile(rf"[0-9a-f]{{{REF_LENGTH}}}")
# Words and single punctuation marks. The marker is taken out before the text is split.
_TOKEN = re.compile(r"\w+|[^\w\s]")


class ReviewError(ValueError):
    """A decision that was refused; `code` says why (the web layer words it)."""

    def __init__(self, code: str, source: Source | None = None):
        super().__init__(code)
        self.code = code  # unknown, empty, too_long, words_added
        self.source = source  # where the text is from, when it was found


@dataclass(frozen=True)
class PendingText:
    ref: str
    question: str  # the question's text, in the language asked for
    text: str


@dataclass(frozen=True)
class PendingGroup:
    questionnaire_id: str
    questionnaire: str  # the title
    dps_id: str
    dps: str  # the unit's name
    count: int


@dataclass(frozen=True)
class Source:
    """Where a text is from: the way back to the page a decision was made on."""

    questionnaire_id: str
    dps_id: str


def reference(secret: str | bytes, response_id: str, question_id: str, position: int) -> str:
    """The opaque, stable name of one answer on the review pages."""
    key = secret.encode() if isinstance(secret, str) else secret
    message = f"free-text\x1f{response_id}\x1f{question_id}\x1f{position}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:REF_LENGTH]


def pending_counts(session: Session) -> dict[tuple[str, str], int]:
    """(questionnaire id, DPS id) -> how many free texts wait for a decision."""
    rows = session.execute(
        select(QuestionnaireVersion.questionnaire_id, Response.dps_id, func.count())
        .select_from(Answer)
        .join(Answer.response)
        .join(Response.version)
        .where(Answer.review == PENDING)
        .group_by(QuestionnaireVersion.questionnaire_id, Response.dps_id)
    )
    return {(questionnaire_id, dps_id): count for questionnaire_id, dps_id, count in rows}


def pending_total(session: Session) -> int:
    """How many free texts wait for a decision, in all."""
    return session.scalar(select(func.count()).select_from(Answer).where(Answer.review == PENDING))


def pending_overview(session: Session, language: str = "nb") -> list[PendingGroup]:
    """The pending counts with questionnaire titles and unit names, for the overview page."""
    counts = pending_counts(session)
    if not counts:
        return []
    titles = _titles(session, {questionnaire_id for questionnaire_id, _ in counts}, language)
    units = {u.id: u for u in session.scalars(select(DpsUnit))}
    groups = [
        PendingGroup(
            questionnaire_id,
            titles.get(questionnaire_id, questionnaire_id),
            dps_id,
            units[dps_id].name if dps_id in units else dps_id,
            count,
        )
        for (questionnaire_id, dps_id), count in counts.items()
    ]
    order = {u.id: (u.sort_order, u.name) for u in units.values()}
    return sorted(groups, key=lambda g: (g.questionnaire, order.get(g.dps_id, (0, g.dps))))


def pending_group(
    session: Session, questionnaire_id: str, dps_id: str, language: str = "nb"
) -> PendingGroup | None:
    """One questionnaire and DPS with its pending count (maybe 0); None if either is unknown."""
    unit = session.get(DpsUnit, dps_id)
    titles = _titles(session, {questionnaire_id}, language)
    if unit is None or questionnaire_id not in titles:
        return None
    count = session.scalar(
        _pending_in(select(func.count()).select_from(Answer), questionnaire_id, dps_id)
    )
    return PendingGroup(questionnaire_id, titles[questionnaire_id], dps_id, unit.name, count)


def _pending_in(query: Select, questionnaire_id: str, dps_id: str) -> Select:
    """`query` narrowed to the free texts of one questionnaire and DPS that wait for review."""
    return (
        query.join(Answer.response)
        .join(Response.version)
        .where(
            Answer.review == PENDING,
            QuestionnaireVersion.questionnaire_id == questionnaire_id,
            Response.dps_id == dps_id,
        )
    )


def pending(
    session: Session,
    questionnaire_id: str,
    dps_id: str,
    limit: int,
    *,
    secret: str | bytes,
    language: str = "nb",
) -> list[PendingText]:
    """Up to `limit` pending texts of one questionnaire and DPS, question by question.

    Within a question the texts come in the order of their references (keyed with the app's
    secret), a shuffle of its own for every question: it says nothing about when a text was
    written, and the k-th texts of two questions are no more likely to be one respondent's
    than any other two. (Ordered by response id, they were: the k-th of each came from the
    same response.) The pending queue is short, so sorting it here costs little.
    """
    columns = select(
        Answer.response_id, Answer.question_id, Answer.position, Answer.value, QuestionnaireVersion
    )
    rows = session.execute(_pending_in(columns, questionnaire_id, dps_id))
    texts = sorted(
        (
            (question_id, reference(secret, response_id, question_id, position), value, version)
            for response_id, question_id, position, value, version in rows
        ),
        key=lambda row: (row[0], row[1]),
    )
    return [
        PendingText(ref, _question_text(version, question_id, language), value)
        for question_id, ref, value, version in texts[:limit]
    ]


def find_pending(
    session: Session, ref: str, *, secret: str | bytes, language: str = "nb"
) -> tuple[PendingText, Source]:
    """The pending text a reference names and where it is from (for the page that asks
    whether to reject it); ReviewError("unknown") if there is none."""
    answer = _find(session, ref, secret)
    text = PendingText(
        ref, _question_text(answer.response.version, answer.question_id, language), answer.value
    )
    return text, _source(answer)


def approve(session: Session, ref: str, *, secret: str | bytes, user: User) -> Source:
    """Let the text, as it stands, into reports and downloads."""
    answer = _find(session, ref, secret)
    return _decide(session, answer, update(Answer).values(review=APPROVED), APPROVE, user)


def redact(session: Session, ref: str, new_text: str, *, secret: str | bytes, user: User) -> Source:
    """Store a shorter text and approve it. Refused (ReviewError) if it adds anything."""
    answer = _find(session, ref, secret)
    try:
        cleaned = check_redaction(answer.value, new_text)
    except ReviewError as error:
        raise ReviewError(error.code, _source(answer)) from None
    return _decide(
        session,
        answer,
        update(Answer).where(Answer.value == answer.value).values(value=cleaned, review=APPROVED),
        REDACT,
        user,
    )


def reject(session: Session, ref: str, *, secret: str | bytes, user: User) -> Source:
    """Delete the text: it is never shown, and not kept either (see the module docstring)."""
    answer = _find(session, ref, secret)
    return _decide(session, answer, delete(Answer), REJECT, user)


def check_redaction(old_text: str, new_text: str) -> str:
    """The redacted text as it will be stored, if it only removes words from the old one.

    Removing means: the new text, with every `[fjernet]` marker taken out, is a
    subsequence of the old text's words and punctuation marks. Raises ReviewError with
    code `too_long`, `empty` (no words left) or `words_added`.
    """
    cleaned = _clean(new_text)
    if len(cleaned) > REDACTION_MAX:
        raise ReviewError("too_long")
    kept = _TOKEN.findall(cleaned.replace(REMOVED, " "))
    if not any(_is_word(token) for token in kept):
        raise ReviewError("empty")
    if not _is_subsequence(kept, _TOKEN.findall(old_text.replace(REMOVED, " "))):
        raise ReviewError("words_added")
    return cleaned


def _find(session: Session, ref: str, secret: str | bytes) -> Answer:
    """The pending answer a reference names, or ReviewError("unknown").

    References are one-way, so this compares against the references of the pending
    answers; those are few (the review keeps the queue short), and only keys are read.
    """
    if not _REF.fullmatch(ref or ""):
        raise ReviewError("unknown")
    keys = session.execute(
        select(Answer.response_id, Answer.question_id, Answer.position).where(
            Answer.review == PENDING
        )
    )
    for response_id, question_id, position in keys:
        if hmac.compare_digest(reference(secret, response_id, question_id, position), ref):
            return session.get(Answer, (response_id, question_id, position))
    raise ReviewError("unknown")


def _source(answer: Answer) -> Source:
    return Source(answer.response.version.questionnaire_id, answer.response.dps_id)


def _decide(session: Session, answer: Answer, statement, action: str, user: User) -> Source:
    """Apply one decision to a still pending answer and audit it, in one transaction.

    The audit entry names the questionnaire, the DPS and the count, never the text.
    """
    source = _source(answer)
    where = (
        Answer.response_id == answer.response_id,
        Answer.question_id == answer.question_id,
        Answer.position == answer.position,
        Answer.review == PENDING,
    )
    session.commit()  # end the reading transaction: the write starts from fresh data
    with write_lock(session.get_bind()):
        result = session.execute(
            statement.where(*where).execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # decided by someone else in the meantime
            session.rollback()
            raise ReviewError("unknown")
        session.expire(answer)
        audit.record(
            session,
            user,
            action,
            source.questionnaire_id,
            {"dps": source.dps_id, "count": 1},
        )
    return source


def _question_text(version: QuestionnaireVersion, question_id: str, language: str) -> str:
    try:
        return questionnaire_of(version).question(question_id).text.get_text(language)
    except KeyError:  # a stored answer id that is no question of its own version
        return question_id


def _titles(session: Session, questionnaire_ids: set[str], language: str) -> dict[str, str]:
    """The title of each questionnaire, from its current version (or else its newest)."""
    versions = session.scalars(
        select(QuestionnaireVersion)
        .where(QuestionnaireVersion.questionnaire_id.in_(questionnaire_ids))
        .order_by(QuestionnaireVersion.current, QuestionnaireVersion.id)
    )
    return {v.questionnaire_id: questionnaire_of(v).title.get_text(language) for v in versions}


def _clean(text: str) -> str:
    """Normalised as a submission is: NFC, Unix line breaks, no control characters."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch)[0] != "C").strip()


def _is_word(token: str) -> bool:
    return bool(re.match(r"\w", token))


def _is_subsequence(kept: list[str], original: list[str]) -> bool:
    remaining = iter(original)
    return all(token in remaining for token in kept)
