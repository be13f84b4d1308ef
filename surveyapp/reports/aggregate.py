"""Counting answers in the database (GROUP BY), never by looping over responses in Python.

Every query takes the same Scope (the filters, resolved once), so the figures of one report
agree with each other.
Answers carry copies of their response's DPS, version, mode and date, so counting them
reads one index (`ix_answer_report`) and joins nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, aliased

from surveyapp.db.models import Answer, QuestionnaireVersion, Response
from surveyapp.db.seed import all_units
from surveyapp.reports.model import Filters


class Scope:
    """What one report counts: its filters, resolved once into conditions on the columns
    responses and answers share."""

    def __init__(self, session: Session, questionnaire_id: str, filters: Filters) -> None:
        self.session = session
        rows = session.execute(
            select(QuestionnaireVersion.id, QuestionnaireVersion.content_hash)
            .where(QuestionnaireVersion.questionnaire_id == questionnaire_id)
            .order_by(QuestionnaireVersion.id)
        )
        self.content_hashes = {
            version_id: content_hash
            for version_id, content_hash in rows
            if not filters.version_ids or version_id in filters.version_ids
        }
        # The version ids as a list, not a subquery: SQLite then checks each row against
        # constants, which makes counting a third faster.
        self.versions = list(self.content_hashes)
        self.filters = filters
        self.units = all_units(session)  # active or not: all may have answers
        self.every_dps = [unit.id for unit in self.units]

    def on(self, table: type[Answer] | type[Response]) -> list[ColumnElement[bool]]:
        """The filters as conditions on answers or on responses."""
        filters = self.filters
        conditions = [table.questionnaire_version_id.in_(self.versions)]
        if filters.mode:
            conditions.append(table.mode == filters.mode)
        if filters.date_from:
            conditions.append(table.submitted_on >= filters.date_from)
        if filters.date_to:
            conditions.append(table.submitted_on <= filters.date_to)
        if filters.group:
            question_id, value = filters.group
            grouping = aliased(Answer)
            in_group = select(grouping.response_id).where(
                # every DPS by name: the index then finds the group by (DPS, question, value)
                # instead of reading all of it, which cuts a grouped export by a quarter
                grouping.dps_id.in_(self.every_dps),
                grouping.question_id == question_id,
                grouping.value == value,
                grouping.review.is_(None),  # a choice, never free text; lets the index serve
            )
            response_id = Answer.response_id if table is Answer else Response.id
            conditions.append(response_id.in_(in_group))
        return conditions


def response_counts(scope: Scope) -> dict[tuple[str, int], int]:
    """How many responses each DPS has in each version: one pass over ix_response_report."""
    rows = scope.session.execute(
        select(Response.dps_id, Response.questionnaire_version_id, func.count())
        .where(*scope.on(Response))
        .group_by(Response.dps_id, Response.questionnaire_version_id)
    )
    return {(dps_id, version_id): count for dps_id, version_id, count in rows}


def answer_counts(
    scope: Scope, *, multiple: Collection[str]
) -> tuple[dict[str, dict[str, dict[str, int]]], dict[str, dict[str, int]]]:
    """(counts, respondents) over every version included (merged by question id).

    counts[dps][answer id][value] is how often a value was given. respondents[dps][answer
    id] is how many responses gave any value to a multiple choice (`multiple`): fewer than
    its values, since each response's values are at positions 0, 1, ...
    """
    conditions = [Answer.review.is_(None), *scope.on(Answer)]
    rows = scope.session.execute(
        select(Answer.dps_id, Answer.question_id, Answer.value, func.count())
        .where(*conditions)
        .group_by(Answer.dps_id, Answer.question_id, Answer.value)
    )
    counts: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for dps_id, question_id, value, count in rows:
        counts[dps_id][question_id][value] = count
    respondents: dict[str, dict[str, int]] = defaultdict(dict)
    if multiple:
        # A separate query over the first value of each multiple choice: the index finds
        # them by (DPS, question), so the big count above stays a plain GROUP BY.
        rows = scope.session.execute(
            select(Answer.dps_id, Answer.question_id, func.count())
            .where(
                *conditions,
                Answer.dps_id.in_(scope.every_dps),
                Answer.question_id.in_(sorted(multiple)),
                Answer.position == 0,
            )
            .group_by(Answer.dps_id, Answer.question_id)
        )
        for dps_id, question_id, count in rows:
            respondents[dps_id][question_id] = count
    return counts, respondents


def approved_free_texts(scope: Scope) -> list[tuple[str, str, str]]:
    """(dps, answer id, text) of free text an admin has approved for reports."""
    rows = scope.session.execute(
        select(Answer.dps_id, Answer.question_id, Answer.value)
        .where(Answer.review == "approved", *scope.on(Answer))
        .order_by(Answer.dps_id, Answer.question_id)
    )
    return [tuple(row) for row in rows]
