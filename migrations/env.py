"""Alembic environment for lrs-soap.

The database URL comes from ``config.attributes["database_url"]`` (set by
lrs_soap.store.migrate), else LRS_DATABASE_URL, else the application default: never from
alembic.ini, so no credentials live in a file.
"""

from __future__ import annotations

import os
from logging.config import fileConfig

from alembic import context
from sqlalchemy.engine import make_url

from lrs_soap.config import DEFAULT_DATABASE_URL
from lrs_soap.store.engine import create_engine
from lrs_soap.store.orm import Base

config = context.config
target_metadata = Base.metadata


def _database_url() -> str:
    given = config.attributes.get("database_url")
    if given:
        return str(given)
    return os.environ.get("LRS_DATABASE_URL") or DEFAULT_DATABASE_URL


def _options(url: str) -> dict:
    return {
        "target_metadata": target_metadata,
        "compare_type": True,
        # SQLite cannot ALTER most things: batch mode copies the table instead.
        "render_as_batch": make_url(url).get_backend_name() == "sqlite",
    }


def run_migrations_offline(url: str) -> None:
    context.configure(url=url, literal_binds=True,
                      dialect_opts={"paramstyle": "named"}, **_options(url))
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online(url: str) -> None:
    # Foreign keys off on SQLite: a batch-mode table copy must not cascade or be refused.
    engine = create_engine(url, foreign_keys=False)
    try:
        with engine.connect() as connection:
            context.configure(connection=connection, **_options(url))
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


# Only the alembic command line configures logging; called from code we keep the caller's.
if config.config_file_name is not None and "database_url" not in config.attributes:
    fileConfig(config.config_file_name, disable_existing_loggers=False)

if context.is_offline_mode():
    run_migrations_offline(_database_url())
else:
    run_migrations_online(_database_url())
