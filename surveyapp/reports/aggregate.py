"""Counting answers in the database (GROUP BY), never by looping over responses in Python.

Every query takes the same filters, so the figures of one report agree with each other.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import ColumnElement, and_, exists, func, select
from sqlalchemy.orm import Session, aliased

from surveyapp.db.models import Answer, QuestionnaireVersion, Response
from surveyapp.reports.model import Filters


def _conditions(questionnaire_id: str, filters: Filters) -> list[ColumnElement[bool]]:
    conditions = [QuestionnaireVersion.questionnaire_id == questionnaire_id]
    if filters.version_ids:
        conditions.append(Response.questionnaire_version_id.in_(filters.version_ids))
    if filters.mode:
        conditions.append(Response.mode == filters.mode)
    if filters.date_from:
        conditions.append(Response.submitted_on >= filters.date_from)
    if filters.date_to:
        conditions.append(Response.submitted_on <= filters.date_to)
    if filters.group:
        question_id, value = filters.group
        grouping = aliased(Answer)
        conditions.append(
            exists().where(
                and_(
                    grouping.response_id == Response.id,
                    grouping.question_id == question_id,
                    grouping.value == value,
                )
            )
        )
    return conditions


def responses_per_dps(session: Session, questionnaire_id: str, filters: Filters) -> dict[str, int]:
    rows = session.execute(
        select(Response.dps_id, func.count())
        .join(QuestionnaireVersion)
        .where(*_conditions(questionnaire_id, filters))
        .group_by(Response.dps_id)
    )
    return {dps_id: count for dps_id, count in rows}


def answer_counts(
    session: Session, questionnaire_id: str, filters: Filters
) -> dict[str, dict[str, dict[str, int]]]:
    """counts[dps][answer id][value] over every version included (merged by question id)."""
    rows = session.execute(
        select(Response.dps_id, Answer.question_id, Answer.value, func.count())
        .join(Answer.response)
        .join(QuestionnaireVersion)
        .where(Answer.review.is_(None), *_conditions(questionnaire_id, filters))
        .group_by(Response.dps_id, Answer.question_id, Answer.value)
    )
    counts: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for dps_id, question_id, value, count in rows:
        counts[dps_id][question_id][value] = count
    return counts


def respondent_counts(
    session: Session, questionnaire_id: str, filters: Filters, answer_ids: list[str]
) -> dict[str, dict[str, int]]:
    """respondents[dps][answer id]: responses with any value for it (multiple choice)."""
    if not answer_ids:
        return {}
    rows = session.execute(
        select(Response.dps_id, Answer.question_id, func.count(func.distinct(Answer.response_id)))
        .join(Answer.response)
        .join(QuestionnaireVersion)
        .where(
            Answer.question_id.in_(answer_ids),
            Answer.review.is_(None),
            *_conditions(questionnaire_id, filters),
        )
        .group_by(Response.dps_id, Answer.question_id)
    )
    respondents: dict[str, dict[str, int]] = defaultdict(dict)
    for dps_id, question_id, count in rows:
        respondents[dps_id][question_id] = count
    return respondents


def approved_free_texts(
    session: Session, questionnaire_id: str, filters: Filters
) -> list[tuple[str, str, str]]:
    """(dps, answer id, text) of free text an admin has approved for reports."""
    rows = session.execute(
        select(Response.dps_id, Answer.question_id, Answer.value)
        .join(Answer.response)
        .join(QuestionnaireVersion)
        .where(Answer.review == "approved", *_conditions(questionnaire_id, filters))
        .order_by(Response.dps_id, Answer.question_id)
    )
    return [tuple(row) for row in rows]


def versions_included(
    session: Session, questionnaire_id: str, filters: Filters
) -> list[tuple[int, str]]:
    rows = session.execute(
        select(QuestionnaireVersion.id, QuestionnaireVersion.content_hash)
        .join(Response)
        .where(*_conditions(questionnaire_id, filters))
        .group_by(QuestionnaireVersion.id, QuestionnaireVersion.content_hash)
        .order_by(QuestionnaireVersion.id)
    )
    return [tuple(row) for row in rows]
