"""Alembic environment: runs on the connection db.schema hands in, or on the
URL of `alembic -x url=...` / PARTNERSHIPS_DATABASE_URL when run by hand."""

from __future__ import annotations

from alembic import context

from db.engine import make_engine
from db.explorer_text import outside_metadata
from db.models import Base
from db.settings import database_url

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or database_url()
    engine = make_engine(url)
    with engine.begin() as conn:
        _run(conn)
    engine.dispose()


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        # The explorer's FTS5 tables and trigram indexes are not in the models.
        include_name=lambda name, type_, _parents: not outside_metadata(name, type_),
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
