"""a response keeps a hash of what was sent with its idempotency key

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

A retried submission carries the same key and the same answers. Until now a second
submission with a used key but other answers was taken for a retry: answered "stored",
and nothing was stored. `payload_hash` (an HMAC of the submission keyed with the client's
key, which is not stored) tells the two apart. Responses stored before have none.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.add_column(sa.Column("payload_hash", sa.String(length=64), nullable=True))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # In place (SQLite 3.35+): rebuilding `response` in a batch would drop the old table,
        # and with foreign keys on that deletes every answer by cascade.
        op.execute("ALTER TABLE response DROP COLUMN payload_hash")
        return
    op.drop_column("response", "payload_hash")
