"""answers carry their response's reporting columns, counted from one index

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24

Reports count answers per DPS, question and value, filtered on version, mode and date.
Those columns lived on `response` only, so every count joined each answer to its response
(the join was most of the time of a report). They are now copied onto the answer rows;
`ix_answer_report` and `ix_response_report` hold all a report counts.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

COPIES = {
    "questionnaire_version_id": sa.Integer(),
    "dps_id": sa.String(length=40),
    "mode": sa.String(length=16),
    "submitted_on": sa.Date(),
}
NOT_REVIEWED = sa.text("review IS NULL")
REVIEWED = sa.text("review IS NOT NULL")


def upgrade() -> None:
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.drop_index("ix_response_dps_id")
        batch_op.create_index(
            "ix_response_report",
            ["dps_id", "questionnaire_version_id", "mode", "submitted_on"],
            unique=False,
        )
    with op.batch_alter_table("answer", schema=None) as batch_op:
        for name, kind in COPIES.items():
            batch_op.add_column(sa.Column(name, kind, nullable=True))
    op.execute(
        f"UPDATE answer SET ({', '.join(COPIES)}) = "
        f"(SELECT {', '.join('r.' + name for name in COPIES)} FROM response r "
        "WHERE r.id = answer.response_id)"
    )
    with op.batch_alter_table("answer", schema=None) as batch_op:
        for name, kind in COPIES.items():
            batch_op.alter_column(name, existing_type=kind, nullable=False)
        batch_op.drop_index("ix_answer_question_value")
        batch_op.create_index(
            "ix_answer_report",
            ["dps_id", "question_id", "value", "questionnaire_version_id", "mode"]
            + ["submitted_on", "position", "response_id"],
            unique=False,
            sqlite_where=NOT_REVIEWED,
            postgresql_where=NOT_REVIEWED,
        )
        batch_op.create_index(
            "ix_answer_review",
            ["review", "question_id"],
            unique=False,
            sqlite_where=REVIEWED,
            postgresql_where=REVIEWED,
        )


def downgrade() -> None:
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.drop_index("ix_answer_review")
        batch_op.drop_index("ix_answer_report")
        batch_op.create_index("ix_answer_question_value", ["question_id", "value"], unique=False)
        for name in reversed(COPIES):
            batch_op.drop_column(name)
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.drop_index("ix_response_report")
        batch_op.create_index("ix_response_dps_id", ["dps_id"], unique=False)
