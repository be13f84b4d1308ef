"""Interview drafts: kept per interviewer until finalised into an anonymous response.

A draft knows its interviewer (so nobody else can read or finish it); the response made
from it does not. Finalising validates against the draft's own questionnaire version,
stores the response idempotently and deletes the draft in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from surveyapp.collect.submission import AnswerError, answer_ids, store_response, validate
from surveyapp.collect.versions import questionnaire_of
from surveyapp.db import bounded_int
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
        cleaned = [v.strip() for v in values if v.strip()]
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


def save_draft(session: Session, payload: InterviewPayload, interviewer_id: int) -> InterviewDraft:
    """Create or update the interviewer's draft (answers as they stand; not validated)."""
    draft = _own_draft(session, payload.draft_id, interviewer_id)
    if draft is None:
        draft = InterviewDraft(id=payload.draft_id, interviewer_id=interviewer_id)
        session.add(draft)
    draft.questionnaire_version_id = payload.version.id
    draft.dps_id = payload.dps_id
    draft.answers = json.dumps(payload.answers, ensure_ascii=False)
    draft.updated_at = utcnow()
    session.commit()
    return draft


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

    Returns (response id, []) or (None, errors). A repeated key stores nothing new.
    The interviewer's identity goes no further than this function.
    """
    if not SUBMISSION_KEY.match(submission_key or ""):
        raise InvalidInterview("key")
    _own_draft(session, payload.draft_id, interviewer_id)  # another's draft: DraftForbidden
    cleaned, errors = validate(payload.questionnaire, payload.answers, may_decline_required=True)
    if errors:
        return None, errors
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
    )
    session.execute(delete(InterviewDraft).where(InterviewDraft.id == payload.draft_id))
    session.commit()
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
