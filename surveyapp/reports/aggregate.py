"""Counting answers in the database (GROUP BY), never by looping over responses in Python."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from surveyapp.db.models import Answer, QuestionnaireVersion, Response


def responses_per_dps(session: Session, questionnaire_id: str) -> dict[str, int]:
    rows = session.execute(
        select(Response.dps_id, func.count())
        .join(QuestionnaireVersion)
        .where(QuestionnaireVersion.questionnaire_id == questionnaire_id)
        .group_by(Response.dps_id)
    )
    return {dps_id: count for dps_id, count in rows}


def answer_counts(
    session: Session, questionnaire_id: str, question_ids: list[str]
) -> dict[str, dict[str, dict[str, int]]]:
    """counts[dps][answer id][value], over every version of the questionnaire (merged by id)."""
    rows = session.execute(
        select(Response.dps_id, Answer.question_id, Answer.value, func.count())
        .join(Answer.response)
        .join(QuestionnaireVersion)
        .where(
            QuestionnaireVersion.questionnaire_id == questionnaire_id,
            Answer.question_id.in_(question_ids),
        )
        .group_by(Response.dps_id, Answer.question_id, Answer.value)
    )
    counts: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for dps_id, question_id, value, count in rows:
        counts[dps_id][question_id][value] = count
    return counts


def respondent_counts(
    session: Session, questionnaire_id: str, question_ids: list[str]
) -> dict[str, dict[str, int]]:
    """respondents[dps][answer id]: how many responses have any value for that question."""
    rows = session.execute(
        select(Response.dps_id, Answer.question_id, func.count(func.distinct(Answer.response_id)))
        .join(Answer.response)
        .join(QuestionnaireVersion)
        .where(
            QuestionnaireVersion.questionnaire_id == questionnaire_id,
            Answer.question_id.in_(question_ids),
        )
        .group_by(Response.dps_id, Answer.question_id)
    )
    respondents: dict[str, dict[str, int]] = defaultdict(dict)
    for dps_id, question_id, count in rows:
        respondents[dps_id][question_id] = count
    return respondents
