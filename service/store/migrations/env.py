"""Alembic environment of the store: one migration path for the whole schema (store and copy index).

Run programmatically by `service.store.db.upgrade()`, which hands over its connection in
`config.attributes["connection"]`; run by the `alembic` command (developers), it connects to
`sqlalchemy.url` from the ini file or else the store's default URL.
"""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy import Connection

from service.store.db import database_url, make_engine
from service.store.models import schema_metadata

config = context.config
target_metadata = schema_metadata()


def _url() -> str:
    return config.get_main_option("sqlalchemy.url") or database_url()


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        # SQLite cannot ALTER most things; batch mode rebuilds the table for later migrations.
        render_as_batch=connection.dialect.name == "sqlite",
    )


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    # Only the alembic command line gets here; it may configure logging from the ini file. The programmatic
    # path above leaves the application's logging alone.
    if config.config_file_name is not None:
        fileConfig(config.config_file_name)
    engine = make_engine(_url())
    with engine.connect() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
