"""The end of a response's life: an admin deletes every response of a questionnaire or a
DPS, and the retention period (`SURVEYAPP_RETENTION_MONTHS`) deletes every half-year that
ended more than N calendar months ago. Every deletion is one transaction that also writes the
audit entry.

The purge takes whole half-years, never a day: the figures of an ended half-year are
published, and the same half-year before and after a purge of a few days would subtract to
those days' responses (docs/disclosure-design.md, «Deletion»).

Interview drafts are not responses and are left alone.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, delete, func, select
from sqlalchemy.orm import Session

from surveyapp import audit
from surveyapp.db import write_lock
from surveyapp.db.models import Answer, DpsUnit, QuestionnaireVersion, Response, User
from surveyapp.periods import period_of

DELETE_RESPONSES = "delete-responses"
PURGE_RESPONSES = "purge-responses"


@dataclass(frozen=True)
class Actor:
    """Who deleted, when it is not a signed-in user (the CLI, a scheduled purge)."""

    username: str
    id: int | None = None


SYSTEM = Actor("system")


@dataclass(frozen=True)
class Count:
    """How many responses one questionnaire or one DPS has."""

    id: str
    name: str
    responses: int
    active: bool = True


def _conditions(questionnaire_id: str | None, dps_id: str | None) -> list[ColumnElement[bool]]:
    conditions = []
    if questionnaire_id is not None:
        versions = select(QuestionnaireVersion.id).where(
            QuestionnaireVersion.questionnaire_id == questionnaire_id
        )
        conditions.append(Response.questionnaire_version_id.in_(versions))
    if dps_id is not None:
        conditions.append(Response.dps_id == dps_id)
    return conditions


def count_responses(
    session: Session, questionnaire_id: str | None = None, dps_id: str | None = None
) -> int:
    """Responses of a questionnaire, of a DPS, of both together, or all of them."""
    statement = select(func.count()).select_from(Response)
    return session.scalar(statement.where(*_conditions(questionnaire_id, dps_id))) or 0


def questionnaire_loaded(session: Session, questionnaire_id: str) -> bool:
    """Whether any version of this questionnaire was ever loaded (responses may exist)."""
    statement = select(QuestionnaireVersion.id).where(
        QuestionnaireVersion.questionnaire_id == questionnaire_id
    )
    return session.scalar(statement.limit(1)) is not None


def counts_per_questionnaire(session: Session) -> list[tuple[str, int]]:
    """(questionnaire id, responses) for every questionnaire that was ever loaded."""
    rows = session.execute(
        select(QuestionnaireVersion.questionnaire_id, func.count(Response.id))
        .outerjoin(Response, Response.questionnaire_version_id == QuestionnaireVersion.id)
        .group_by(QuestionnaireVersion.questionnaire_id)
        .order_by(QuestionnaireVersion.questionnaire_id)
    )
    return [(questionnaire_id, count) for questionnaire_id, count in rows]


def counts_per_dps(session: Session) -> list[Count]:
    """Every DPS unit (inactive ones too, they keep their responses) with its responses."""
    rows = session.execute(
        select(DpsUnit.id, DpsUnit.name, DpsUnit.active, func.count(Response.id))
        .outerjoin(Response, Response.dps_id == DpsUnit.id)
        .group_by(DpsUnit.id, DpsUnit.name, DpsUnit.active, DpsUnit.sort_order)
        .order_by(DpsUnit.sort_order, DpsUnit.id)
    )
    return [Count(id, name, count, active) for id, name, active, count in rows]


def delete_responses(
    session: Session,
    *,
    questionnaire_id: str | None = None,
    dps_id: str | None = None,
    by: User | Actor = SYSTEM,
) -> int:
    """Delete every response (and its answers) of a questionnaire, of a DPS, or of both
    together; returns how many. Deleting everything at once is not offered here."""
    if questionnaire_id is None and dps_id is None:
        raise ValueError("name a questionnaire, a DPS or both")
    details = {
        key: value
        for key, value in (("questionnaire_id", questionnaire_id), ("dps_id", dps_id))
        if value is not None
    }
    return _delete(
        session,
        select(Response.id).where(*_conditions(questionnaire_id, dps_id)),
        by=by,
        action=DELETE_RESPONSES,
        questionnaire_id=questionnaire_id,
        details=details,
    )


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months earlier, or the last day of a shorter month
    (31 March minus one month is 28 or 29 February)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last_day))


def purge_cutoff(months: int, today: dt.date) -> dt.date:
    """Responses submitted before this day are in half-years that ended more than `months`
    calendar months ago: the first day of the half-year that holds today minus `months`."""
    if months < 1:
        raise ValueError("the retention period is at least one month")
    return period_of(months_before(today, months)).start


def count_older_than(session: Session, months: int, today: dt.date) -> int:
    """How many responses `purge_older_than` would delete (for a dry run)."""
    cutoff = purge_cutoff(months, today)
    return session.scalar(select(func.count()).where(Response.submitted_on < cutoff)) or 0


def purge_older_than(
    session: Session, months: int, today: dt.date, *, by: User | Actor = SYSTEM
) -> int:
    """Delete the responses of every half-year that ended more than `months` calendar months
    before `today` (purge_cutoff); returns how many."""
    cutoff = purge_cutoff(months, today)
    return _delete(
        session,
        select(Response.id).where(Response.submitted_on < cutoff),
        by=by,
        action=PURGE_RESPONSES,
        questionnaire_id=None,
        details={"months": months, "before": cutoff.isoformat()},
    )


def _delete(
    session: Session,
    response_ids: Select,
    *,
    by: User | Actor,
    action: str,
    questionnaire_id: str | None,
    details: dict,
) -> int:
    """Answers, responses and the audit entry in one transaction: all of it or none."""
    with write_lock(session.get_bind()):
        try:
            # The foreign key cascades too, but deleting the answers first does not
            # depend on the database enforcing it.
            answers = session.execute(
                delete(Answer)
                .where(Answer.response_id.in_(response_ids))
                .execution_options(synchronize_session=False)
            ).rowcount
            responses = session.execute(
                delete(Response)
                .where(Response.id.in_(response_ids))
                .execution_options(synchronize_session=False)
            ).rowcount
            audit.record(  # commits
                session,
                by,
                action,
                questionnaire_id,
                details | {"responses": responses, "answers": answers},
            )
        except BaseException:
            session.rollback()
            raise
    session.expire_all()  # objects loaded before may describe deleted rows
    return responses
