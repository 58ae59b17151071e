"""Alembic environment: uses the caller's connection, or the configured URL from the CLI."""

from alembic import context
from sqlalchemy import create_engine

from yuqing.storage.db import database_url
from yuqing.storage.models import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or database_url()
    with create_engine(url).begin() as conn:
        _migrate(conn)


def _migrate(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


run()
