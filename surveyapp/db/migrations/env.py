"""Alembic environment: runs on the connection `surveyapp.db.upgrade` hands in."""

from alembic import context

from surveyapp.db.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `surveyapp init` (surveyapp.db.upgrade)")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
