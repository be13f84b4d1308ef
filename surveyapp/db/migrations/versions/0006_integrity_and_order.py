"""answers' copied columns enforced by a composite foreign key; SQLite tables without rowid

Revision ID: 0006
Revises: 0004 (the coordinator relinks it after 0005)
Create Date: 2026-12-01

An answer copies its response's version, DPS, mode and date (0004). Nothing held them equal;
now `fk_answer_response_copies` refers to `uq_response_copies` on the response, on both
databases. On SQLite `response` and `answer` are rebuilt WITHOUT ROWID: their rows are kept
in the order of the (random) response id, and no rowid counts the inserts. PostgreSQL keeps
rows in its heap in insert order; docs/privacy.md says how an admin removes that order.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

COPIES = ["questionnaire_version_id", "dps_id", "mode", "submitted_on"]
ANSWER_COLUMNS = ", ".join(
    ["response_id", "question_id", "position", "value", "number", "review", *COPIES]
)
NOT_REVIEWED = sa.text("review IS NULL")
REVIEWED = sa.text("review IS NOT NULL")
ANSWER_REPORT = ["dps_id", "question_id", "value", "questionnaire_version_id", "mode"] + [
    "submitted_on",
    "position",
    "response_id",
]


def _drop_answer_indexes() -> None:
    op.drop_index("ix_answer_review", table_name="answer")
    op.drop_index("ix_answer_report", table_name="answer")


def _create_answer_indexes() -> None:
    op.create_index(
        "ix_answer_report",
        "answer",
        ANSWER_REPORT,
        sqlite_where=NOT_REVIEWED,
        postgresql_where=NOT_REVIEWED,
    )
    op.create_index(
        "ix_answer_review",
        "answer",
        ["review", "question_id"],
        sqlite_where=REVIEWED,
        postgresql_where=REVIEWED,
    )


def _restore_answers_and_indexes() -> None:
    """SQLite, after the rebuild: the answers back from their copy, the indexes made again."""
    op.execute(f"INSERT INTO answer ({ANSWER_COLUMNS}) SELECT {ANSWER_COLUMNS} FROM answer_kept")
    op.execute("DROP TABLE answer_kept")
    op.create_index(
        "ix_response_report",
        "response",
        ["dps_id", "questionnaire_version_id", "mode", "submitted_on"],
    )
    _create_answer_indexes()


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    rowid = {"sqlite_with_rowid": False} if sqlite else {}
    if sqlite:  # rebuilt below; made again with their WHERE clauses afterwards
        _drop_answer_indexes()
        op.drop_index("ix_response_report", table_name="response")
        # Rebuilding `response` drops the old table, and with foreign keys on (they cannot be
        # turned off inside the migration's transaction) that deletes every answer by
        # cascade: the answers wait in a copy meanwhile.
        op.execute(f"CREATE TEMPORARY TABLE answer_kept AS SELECT {ANSWER_COLUMNS} FROM answer")
    with op.batch_alter_table(
        "response", recreate="always" if sqlite else "auto", table_kwargs=rowid
    ) as batch_op:
        batch_op.create_unique_constraint("uq_response_copies", ["id", *COPIES])
    with op.batch_alter_table(
        "answer", recreate="always" if sqlite else "auto", table_kwargs=rowid
    ) as batch_op:
        batch_op.create_foreign_key(
            "fk_answer_response_copies",
            "response",
            ["response_id", *COPIES],
            ["id", *COPIES],
            ondelete="CASCADE",
        )
    if sqlite:
        _restore_answers_and_indexes()


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        _drop_answer_indexes()
        op.drop_index("ix_response_report", table_name="response")
        op.execute(f"CREATE TEMPORARY TABLE answer_kept AS SELECT {ANSWER_COLUMNS} FROM answer")
    with op.batch_alter_table("answer", recreate="always" if sqlite else "auto") as batch_op:
        batch_op.drop_constraint("fk_answer_response_copies", type_="foreignkey")
    with op.batch_alter_table("response", recreate="always" if sqlite else "auto") as batch_op:
        batch_op.drop_constraint("uq_response_copies", type_="unique")
    if sqlite:
        op.execute("DELETE FROM answer")
        _restore_answers_and_indexes()
