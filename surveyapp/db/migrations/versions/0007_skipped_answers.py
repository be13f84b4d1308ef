"""questions shown but left unanswered are stored, as "_skipped"

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

Reports counted "Ikke besvart" as the responses minus those who answered or declined, so
everyone who was never shown a question (the next of kin, for a question to patients) was
counted as not answering it. Submissions now store one `_skipped` answer row for every
question (every matrix item) that was shown but left without an answer; free text, info
texts and hidden questions get none (surveyapp.collect.submission.answer_rows).

This migration gives the responses stored before it the same rows: for each response, which
questions were shown is worked out again from its stored answers and its own questionnaire
version (the version's stored text, parsed by the loader), in batches of responses. The
downgrade deletes the rows again. Rows a response already has are never touched, so the
upgrade adds nothing to a response that already has its `_skipped` rows.
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from alembic import op

from surveyapp.questionnaire import Questionnaire, load_text, visibility

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

SKIPPED = "_skipped"
DECLINED = "_declined"
TEXT_TYPES = {"short_text", "long_text"}
BATCH = 1000  # responses per round trip

version_table = sa.table(
    "questionnaire_version",
    sa.column("id", sa.Integer),
    sa.column("content_hash", sa.String),
    sa.column("source_name", sa.String),
    sa.column("source_text", sa.Text),
)
response_table = sa.table(
    "response",
    sa.column("id", sa.String),
    sa.column("questionnaire_version_id", sa.Integer),
    sa.column("dps_id", sa.String),
    sa.column("mode", sa.String),
    sa.column("submitted_on", sa.Date),
)
answer_table = sa.table(
    "answer",
    sa.column("response_id", sa.String),
    sa.column("question_id", sa.String),
    sa.column("position", sa.Integer),
    sa.column("value", sa.Text),
    sa.column("number", sa.Float),
    sa.column("review", sa.String),
    sa.column("questionnaire_version_id", sa.Integer),
    sa.column("dps_id", sa.String),
    sa.column("mode", sa.String),
    sa.column("submitted_on", sa.Date),
)


def upgrade() -> None:
    connection = op.get_bind()
    versions = connection.execute(
        sa.select(
            version_table.c.id,
            version_table.c.content_hash,
            version_table.c.source_name,
            version_table.c.source_text,
        ).order_by(version_table.c.id)
    ).all()
    for version_id, content_hash, source_name, source_text in versions:
        has_responses = connection.execute(
            sa.select(response_table.c.id)
            .where(response_table.c.questionnaire_version_id == version_id)
            .limit(1)
        ).first()
        if has_responses is None:
            continue  # a version nobody answered need not load
        questionnaire = _parse(version_id, content_hash, source_name, source_text)
        _add_skipped_rows(connection, version_id, questionnaire)


def _parse(version_id, content_hash, source_name, source_text) -> Questionnaire:
    result = load_text(source_text, source_name)
    if result.questionnaire is None:
        problems = "; ".join(str(problem) for problem in result.problems[:3])
        raise RuntimeError(
            f"questionnaire version {version_id} ({source_name}, {content_hash}) stored in "
            f"the database does not load, so which questions its responses were shown cannot "
            f"be worked out: {problems}"
        )
    return result.questionnaire


def _add_skipped_rows(connection, version_id: int, questionnaire: Questionnaire) -> None:
    after = ""
    while True:
        responses = connection.execute(
            sa.select(
                response_table.c.id,
                response_table.c.dps_id,
                response_table.c.mode,
                response_table.c.submitted_on,
            )
            .where(
                response_table.c.questionnaire_version_id == version_id,
                response_table.c.id > after,
            )
            .order_by(response_table.c.id)
            .limit(BATCH)
        ).all()
        if not responses:
            return
        stored: dict[str, dict[str, list[tuple[int, str]]]] = defaultdict(lambda: defaultdict(list))
        for response_id, question_id, position, value in connection.execute(
            sa.select(
                answer_table.c.response_id,
                answer_table.c.question_id,
                answer_table.c.position,
                answer_table.c.value,
            ).where(answer_table.c.response_id.in_([r.id for r in responses]))
        ):
            stored[response_id][question_id].append((position, value))
        rows = []
        for response_id, dps_id, mode, submitted_on in responses:
            answers = {
                answer_id: [value for _position, value in sorted(values)]
                for answer_id, values in stored[response_id].items()
            }
            rows += [
                {
                    "response_id": response_id,
                    "question_id": answer_id,
                    "position": 0,
                    "value": SKIPPED,
                    "number": None,
                    "review": None,
                    # the response's columns every answer carries (RESPONSE_COPIES)
                    "questionnaire_version_id": version_id,
                    "dps_id": dps_id,
                    "mode": mode,
                    "submitted_on": submitted_on,
                }
                for answer_id in skipped_answer_ids(questionnaire, answers)
            ]
        if rows:
            connection.execute(sa.insert(answer_table), rows)
        after = responses[-1].id


def skipped_answer_ids(questionnaire: Questionnaire, answers: dict[str, list[str]]) -> list[str]:
    """The answer ids shown to a respondent with these stored answers and given none: the
    same rule as a submission's (a "Vil ikke svare" counts as no answer for conditions)."""
    given = {answer_id: values for answer_id, values in answers.items() if values != [DECLINED]}
    shown = visibility(questionnaire, given).questions
    return [
        answer_id
        for question in questionnaire.questions()
        if question.id in shown and question.type.value not in TEXT_TYPES
        for answer_id in question.answer_ids
        if not answers.get(answer_id)
    ]


def downgrade() -> None:
    op.execute(
        sa.delete(answer_table).where(
            answer_table.c.value == SKIPPED, answer_table.c.review.is_(None)
        )
    )
