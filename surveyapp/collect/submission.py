"""Validating and storing a submission. The server decides: the browser only helps.

Answers travel as a mapping answer id -> list of strings (several for a multiple choice).
Validation drops answers to hidden questions, checks every value against the questionnaire,
and returns the problems as data; storing is idempotent on the client's submission key.
Every question that was shown but left unanswered is stored too, as `SKIPPED`, so that the
reports know who was asked (docs/anonymity.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import math
import secrets
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from surveyapp.collect.anonymize import scrub_free_text, submission_date
from surveyapp.db import write_lock
from surveyapp.db.models import SKIPPED, Answer, QuestionnaireVersion, Response, answers_of
from surveyapp.questionnaire import (
    Question,
    Questionnaire,
    QuestionType,
    visibility,
)
from surveyapp.questionnaire.model import LONG_TEXT_MAX, SHORT_TEXT_MAX

DECLINED = "_declined"  # "Vil ikke svare": stored, but never counted as an answer
ANSWER_PREFIX = "q:"
MAX_VALUES_PER_ANSWER = 50

_SINGLE_VALUE_TYPES = {QuestionType.SINGLE_CHOICE, QuestionType.YES_NO, QuestionType.SCALE}
_TEXT_TYPES = {QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT}


class TamperedSubmission(ValueError):
    """The request could not have come from our form (unknown fields, absurd sizes)."""


@dataclass(frozen=True)
class AnswerError:
    answer_id: str
    code: str  # required, invalid_choice, too_long, not_a_number, not_integer, out_of_range, ...
    params: dict = field(default_factory=dict)


def answer_ids(questionnaire: Questionnaire) -> set[str]:
    return {aid for q in questionnaire.questions() for aid in q.answer_ids}


def parse_form(
    questionnaire: Questionnaire, items: Iterable[tuple[str, str]]
) -> dict[str, list[str]]:
    """Pick the answer fields (`q:<answer id>`) out of posted form items.

    Unknown answer ids mean the form was tampered with (or is from another version):
    the whole request is refused rather than partly stored.
    """
    known = answer_ids(questionnaire)
    answers: dict[str, list[str]] = {}
    for name, raw in items:
        if not name.startswith(ANSWER_PREFIX):
            continue
        answer_id = name[len(ANSWER_PREFIX) :]
        if answer_id not in known:
            raise TamperedSubmission(f"unknown answer id {answer_id!r}")
        value = _clean_text(raw)
        if value:
            answers.setdefault(answer_id, []).append(value)
            if len(answers[answer_id]) > MAX_VALUES_PER_ANSWER:
                raise TamperedSubmission(f"too many values for {answer_id!r}")
    return answers


def _clean_text(raw: str) -> str:
    """Normalise and drop control characters (but keep line breaks)."""
    text = unicodedata.normalize("NFC", raw).replace("\r\n", "\n")
    text = "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch)[0] != "C")
    return text.strip()


def visible_questions(questionnaire: Questionnaire, answers: dict[str, list[str]]) -> set[str]:
    """Ids of the questions shown, given the answers. "Vil ikke svare" counts as no answer."""
    given = {aid: values for aid, values in answers.items() if values != [DECLINED]}
    return set(visibility(questionnaire, given).questions)


def validate(
    questionnaire: Questionnaire,
    answers: dict[str, list[str]],
    *,
    dps_ids: Sequence[str] = (),
    only: Iterable[Question] | None = None,
    may_decline_required: bool = False,
) -> tuple[dict[str, list[str]], list[AnswerError]]:
    """Drop hidden answers, then check every visible question (or only those given).

    Returns the cleaned answers (hidden ones dropped) and the problems found. In an
    interview, "Vil ikke svare" answers a required question too (`may_decline_required`):
    the interviewer records that the person chose not to answer.
    """
    visible = visible_questions(questionnaire, answers)
    cleaned = {aid: values for aid, values in answers.items() if aid.split(".")[0] in visible}
    to_check = {q.id for q in only} if only is not None else visible
    errors: list[AnswerError] = []
    for question in questionnaire.questions():
        if question.id not in visible or question.id not in to_check:
            continue
        for answer_id in question.answer_ids:
            values = cleaned.get(answer_id, [])
            if may_decline_required and values == [DECLINED]:
                continue
            error = _check(question, answer_id, values, dps_ids)
            if error is not None:
                errors.append(error)
    return cleaned, errors


def _check(question: Question, answer_id: str, values: list[str], dps_ids) -> AnswerError | None:
    if not values:
        if question.required:
            return AnswerError(answer_id, "required")
        return None
    if values == [DECLINED]:
        return AnswerError(answer_id, "required") if question.required else None
    kind = question.type
    if kind is QuestionType.MULTIPLE_CHOICE:
        allowed = {c.value for c in question.choices}
        if len(set(values)) != len(values) or not set(values) <= allowed:
            return AnswerError(answer_id, "invalid_choice")
        exclusive = {c.value for c in question.choices if c.exclusive}
        if len(values) > 1 and exclusive & set(values):
            return AnswerError(answer_id, "exclusive_choice")
        return None
    if len(values) != 1:
        return AnswerError(answer_id, "one_value_only")
    value = values[0]
    if kind in _SINGLE_VALUE_TYPES or kind is QuestionType.MATRIX:
        if value not in {c.value for c in question.options()}:
            return AnswerError(answer_id, "invalid_choice")
    elif kind is QuestionType.DPS:
        if value not in dps_ids:
            return AnswerError(answer_id, "invalid_choice")
    elif kind is QuestionType.NUMBER:
        return _check_number(question, answer_id, value)
    elif kind in _TEXT_TYPES:
        limit = text_limit(question)
        if len(value) > limit:
            return AnswerError(answer_id, "too_long", {"max": limit, "length": len(value)})
    return None


def text_limit(question: Question) -> int:
    default = SHORT_TEXT_MAX if question.type is QuestionType.SHORT_TEXT else LONG_TEXT_MAX
    return min(question.max_length or default, default)


def parse_number(value: str) -> float | None:
    try:
        number = float(value.replace(",", ".").replace(" ", ""))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _check_number(question: Question, answer_id: str, value: str) -> AnswerError | None:
    number = parse_number(value)
    if number is None:
        return AnswerError(answer_id, "not_a_number")
    if question.integer and number != int(number):
        return AnswerError(answer_id, "not_integer")
    low = question.min if question.min is not None else -math.inf
    high = question.max if question.max is not None else math.inf
    if not low <= number <= high:
        return AnswerError(answer_id, "out_of_range", {"min": question.min, "max": question.max})
    return None


def new_submission_key() -> str:
    """The idempotency key a form carries, so that a retried submission is stored once."""
    return secrets.token_urlsafe(24)


class KeyReused(ValueError):
    """A submission key that was stored before came with other answers: not a retry."""


def payload_hash(
    submission_key: str, version_id: int, dps_id: str, mode: str, answers: dict[str, list[str]]
) -> str:
    """What identifies a submission under its key. Keyed with the key itself, which is not
    stored, so the hash says nothing about the answers to anyone who does not hold it."""
    canonical = json.dumps(
        [version_id, dps_id, mode, answers], sort_keys=True, ensure_ascii=False
    ).encode()
    return hmac.new(submission_key.encode(), canonical, hashlib.sha256).hexdigest()


def store_response(
    session: Session,
    *,
    version: QuestionnaireVersion,
    questionnaire: Questionnaire,
    dps_id: str,
    mode: str,
    answers: dict[str, list[str]],
    submission_key: str,
    today: dt.date,
    date_precision: str = "day",
    also: Callable[[Session], None] | None = None,
) -> tuple[str, bool]:
    """Store validated answers as one anonymous response, in one transaction.

    Returns (response id, created). A key that was stored before with the same answers
    returns the earlier response and creates nothing, also when two identical submissions
    race; with other answers it raises KeyReused and nothing changes. `also` runs in the
    same transaction (finalising an interview deletes its draft there): when the response
    is a retry, it runs on its own, and commits.
    """
    key_hash = hashlib.sha256(submission_key.encode()).hexdigest()
    sent = payload_hash(submission_key, version.id, dps_id, mode, answers)
    response = {
        "id": secrets.token_hex(16),
        "questionnaire_version_id": version.id,
        "dps_id": dps_id,
        "mode": mode,
        "submitted_on": submission_date(today, date_precision),
        "date_precision": date_precision,
        "submission_key": key_hash,
        "payload_hash": sent,
        "synthetic": False,
    }
    rows = answers_of(response, answer_rows(questionnaire, answers))
    try:
        # Core inserts in one transaction: the response and all its answers, or nothing.
        with write_lock(session.get_bind()):
            session.execute(insert(Response.__table__).values(response))
            if rows:
                session.execute(insert(Answer.__table__), rows)
            if also is not None:
                also(session)
            session.commit()
    except IntegrityError:
        session.rollback()
        existing = session.execute(
            select(Response.id, Response.payload_hash).where(Response.submission_key == key_hash)
        ).first()
        if existing is None:
            raise
        if existing.payload_hash is not None and not hmac.compare_digest(
            existing.payload_hash, sent
        ):
            raise KeyReused(submission_key) from None
        if also is not None:
            with write_lock(session.get_bind()):
                also(session)
                session.commit()
        return existing.id, False
    except BaseException:
        session.rollback()
        raise
    return response["id"], True


def answer_rows(questionnaire: Questionnaire, answers: dict[str, list[str]]) -> list[dict]:
    """The rows one response stores: its values, and a `SKIPPED` row for every question
    (every matrix item) that was shown but left without an answer.

    Free text is left out of the skipped rows: reports count no free text, and its rows
    carry a review state. A multiple choice left empty gets one row, at position 0.
    """
    shown = visible_questions(questionnaire, answers)
    rows = []
    for question in questionnaire.questions():
        for answer_id in question.answer_ids:
            values = answers.get(answer_id, [])
            for position, value in enumerate(values):
                rows.append(answer_row(question, answer_id, position, value))
            if not values and question.id in shown and question.type not in _TEXT_TYPES:
                rows.append(answer_row(question, answer_id, 0, SKIPPED))
    return rows


def answer_row(question: Question, answer_id: str, position: int, value: str) -> dict:
    """The stored form of one value: free text scrubbed and pending review, numbers kept
    for means and medians ("Ikke aktuelt", "Vil ikke svare" and a skipped question have none)."""
    row = {"question_id": answer_id, "position": position, "value": value, "number": None}
    if value in (DECLINED, SKIPPED):
        return row | {"review": None}
    if question.type in _TEXT_TYPES:
        return row | {"value": scrub_free_text(value), "review": "pending"}
    number = None
    if question.type is QuestionType.NUMBER:
        number = parse_number(value)
    elif question.scale is not None and question.scale.numeric:
        not_applicable = question.scale.not_applicable
        if not_applicable is None or value != not_applicable.value:
            number = parse_number(value)
    return row | {"number": number, "review": None}
