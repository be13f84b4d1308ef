"""Counting answers in the database (GROUP BY), never by looping over responses in Python.

Every query takes the same Scope (a questionnaire's versions and one fixed period), so the
figures of one report agree with each other. Answers carry copies of their response's DPS,
version, mode and date, so counting them reads one index (`ix_answer_report`); the report
group's answer of each response is joined in once (the group cut).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session, aliased

from surveyapp.db.models import Answer, QuestionnaireVersion, Response
from surveyapp.db.seed import all_units
from surveyapp.periods import Period

Key = tuple[str, str | None, str]  # (DPS, the group question's value or None, mode)


class Scope:
    """What one report counts: the questionnaire's versions and, once set, one period."""

    def __init__(self, session: Session, questionnaire_id: str) -> None:
        self.session = session
        rows = session.execute(
            select(QuestionnaireVersion.id, QuestionnaireVersion.content_hash)
            .where(QuestionnaireVersion.questionnaire_id == questionnaire_id)
            .order_by(QuestionnaireVersion.id)
        )
        self.questionnaire_id = questionnaire_id
        self.content_hashes = dict(rows.all())
        # The version ids as a list, not a subquery: SQLite then checks each row against
        # constants, which makes counting a third faster.
        self.versions = list(self.content_hashes)
        self.units = all_units(session)  # active or not: all may have answers
        self.every_dps = [unit.id for unit in self.units]
        self.period: Period | None = None

    def on(self, table: type[Answer] | type[Response]) -> list[ColumnElement[bool]]:
        """The versions and the period as conditions on answers or on responses."""
        conditions = [table.questionnaire_version_id.in_(self.versions)]
        if self.period is not None:
            conditions.append(table.submitted_on.between(self.period.start, self.period.end))
        return conditions


def first_response_day(scope: Scope) -> dt.date | None:
    return scope.session.scalar(
        select(func.min(Response.submitted_on)).where(
            Response.questionnaire_version_id.in_(scope.versions)
        )
    )


def newest_version_answered(scope: Scope) -> int | None:
    """The highest version id among the scope's responses (in its period, once set)."""
    return scope.session.scalar(
        select(func.max(Response.questionnaire_version_id)).where(*scope.on(Response))
    )


def responses_per_dps(scope: Scope) -> dict[str, int]:
    rows = scope.session.execute(
        select(Response.dps_id, func.count()).where(*scope.on(Response)).group_by(Response.dps_id)
    )
    return dict(rows.all())


def fingerprint(scope: Scope) -> tuple:
    """Cheap evidence that a period's data are what they were: the database, the number of
    responses and answers, and the smallest and largest (random) response ids."""
    responses, first, last = scope.session.execute(
        select(func.count(), func.min(Response.id), func.max(Response.id)).where(
            *scope.on(Response)
        )
    ).one()
    answers = scope.session.scalar(select(func.count()).where(*scope.on(Answer)))
    bind = scope.session.get_bind()
    database = str(getattr(bind, "engine", bind).url)
    return database, responses or 0, answers or 0, first, last, tuple(scope.versions)


def response_counts(scope: Scope, group_question: str | None) -> tuple[dict[Key, int], list[int]]:
    """Responses per (DPS, group value, mode), and the versions answered."""
    group = aliased(Answer)
    query = select(
        Response.dps_id,
        (group.value if group_question else Response.mode).label("group_value"),
        Response.mode,
        Response.questionnaire_version_id,
        func.count(),
    ).where(*scope.on(Response))
    if group_question:
        query = query.outerjoin(
            group,
            and_(
                group.response_id == Response.id,
                group.question_id == group_question,
                group.position == 0,
                group.review.is_(None),
            ),
        )
    query = query.group_by(
        Response.dps_id,
        group.value if group_question else Response.mode,
        Response.mode,
        Response.questionnaire_version_id,
    )
    counts: dict[Key, int] = defaultdict(int)
    versions = set()
    for dps_id, value, mode, version_id, count in scope.session.execute(query):
        counts[(dps_id, value if group_question else None, mode)] += count
        versions.add(version_id)
    return dict(counts), sorted(versions)


def answer_counts(
    scope: Scope, group_question: str | None, *, multiple: Collection[str]
) -> tuple[dict[Key, dict[str, dict[str, int]]], dict[Key, dict[str, int]], dict]:
    """(counts, respondents, sums) over every version included (merged by question id).

    counts[(dps, group value, mode)][answer id][value] is how often a value was given.
    respondents[...][answer id] is how many responses gave any value to a multiple choice
    (`multiple`): its values are at positions 0, 1, ... . sums[...][answer id] is the sum of
    the numbers given (for means of number questions).
    """
    group = aliased(Answer)
    conditions = [Answer.review.is_(None), *scope.on(Answer)]
    group_value = group.value if group_question else Answer.mode

    def grouped(*columns):
        query = select(Answer.dps_id, group_value, Answer.mode, *columns).where(*conditions)
        if group_question:
            query = query.outerjoin(
                group,
                and_(
                    group.response_id == Answer.response_id,
                    group.question_id == group_question,
                    group.position == 0,
                    group.review.is_(None),
                ),
            )
        return query

    counts: dict[Key, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    sums: dict[Key, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    query = grouped(Answer.question_id, Answer.value, func.count(), func.sum(Answer.number))
    query = query.group_by(
        Answer.dps_id, group_value, Answer.mode, Answer.question_id, Answer.value
    )
    for dps_id, value, mode, question_id, answer, count, total in scope.session.execute(query):
        key = (dps_id, value if group_question else None, mode)
        counts[key][question_id][answer] = count
        if total is not None:
            sums[key][question_id] += total
    respondents: dict[Key, dict[str, int]] = defaultdict(dict)
    if multiple:
        query = grouped(Answer.question_id, func.count()).where(
            Answer.dps_id.in_(scope.every_dps),
            Answer.question_id.in_(sorted(multiple)),
            Answer.position == 0,
        )
        query = query.group_by(Answer.dps_id, group_value, Answer.mode, Answer.question_id)
        for dps_id, value, mode, question_id, count in scope.session.execute(query):
            respondents[(dps_id, value if group_question else None, mode)][question_id] = count
    return counts, respondents, sums


def approved_free_texts(scope: Scope) -> list[tuple[str, str, str]]:
    """(dps, answer id, text) of free text an admin has approved for reports."""
    rows = scope.session.execute(
        select(Answer.dps_id, Answer.question_id, Answer.value).where(
            Answer.review == "approved", *scope.on(Answer)
        )
    )
    return [tuple(row) for row in rows]
