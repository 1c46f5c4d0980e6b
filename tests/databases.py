"""Test databases: a SQLite file, or a fresh PostgreSQL database on the server named by
LRS_TEST_POSTGRES_URL. LRS_TEST_BACKEND=postgresql runs the end-to-end tiers on PostgreSQL."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from lrs_soap.store import create_engine

POSTGRES_ENV = "LRS_TEST_POSTGRES_URL"
BACKEND_ENV = "LRS_TEST_BACKEND"
POSTGRES_SKIP_REASON = f"{POSTGRES_ENV} not set: PostgreSQL tests skipped"


def backend() -> str:
    chosen = os.environ.get(BACKEND_ENV, "sqlite")
    if chosen not in ("sqlite", "postgresql"):
        raise pytest.UsageError(f"{BACKEND_ENV} must be sqlite or postgresql, not {chosen!r}")
    if chosen == "postgresql" and not os.environ.get(POSTGRES_ENV):
        raise pytest.UsageError(f"{BACKEND_ENV}=postgresql needs {POSTGRES_ENV}")
    return chosen


@contextlib.contextmanager
def temporary_postgres_database() -> Iterator[str]:
    admin_url = os.environ.get(POSTGRES_ENV)
    if not admin_url:
        pytest.skip(POSTGRES_SKIP_REASON)
    name = f"lrs_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
        with admin.connect() as connection:
            # FORCE: a connection a failed test left open must not keep the database alive.
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@contextlib.contextmanager
def fresh_database(directory) -> Iterator[str]:
    """An empty database on the backend this run tests."""
    if backend() == "postgresql":
        with temporary_postgres_database() as url:
            yield url
    else:
        yield f"sqlite:///{directory / 'lrs.db'}"
