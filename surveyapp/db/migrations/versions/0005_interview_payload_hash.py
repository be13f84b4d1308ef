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
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.drop_column("payload_hash")
