"""Real databases for the store's tests: a SQLite file per test, and PostgreSQL when
LRS_TEST_POSTGRES_URL names a server we may create databases on (one database per module,
emptied before each test)."""

from __future__ import annotations

import os
import shutil

import pytest
import sqlalchemy as sa

from lrs_soap.store import SqlUnitOfWork, create_engine, migrate, session_factory
from tests.databases import POSTGRES_ENV, POSTGRES_SKIP_REASON, temporary_postgres_database


@pytest.fixture(scope="module")
def postgres_module_database():
    with temporary_postgres_database() as url:
        yield url


def _drop_everything(url: str) -> None:
    engine = create_engine(url)
    try:
        metadata = sa.MetaData()
        metadata.reflect(engine)
        metadata.drop_all(engine)  # alembic_version included
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path) -> str:
    """An empty database: nothing migrated yet."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'lrs.db'}"
    if not os.environ.get(POSTGRES_ENV):
        pytest.skip(POSTGRES_SKIP_REASON)
    url = request.getfixturevalue("postgres_module_database")
    _drop_everything(url)
    return url


@pytest.fixture
def migrated_url(database_url, tmp_path) -> str:
    if database_url == f"sqlite:///{tmp_path / 'lrs.db'}":
        # a copy of the plugin's template, migrated once per process: Alembic's upgrade
        # costs a few tenths of a second a test (tests/integration/test_migrations.py
        # migrates for real)
        from lrs_soap.testing.gateway import migrated_template

        shutil.copyfile(migrated_template(), tmp_path / "lrs.db")
    else:
        migrate.upgrade(database_url)
    return database_url


@pytest.fixture
def engine(migrated_url):
    engine = create_engine(migrated_url)
    yield engine
    engine.dispose()


@pytest.fixture
def uow_factory(engine):
    """A callable returning a fresh SqlUnitOfWork on the migrated database."""
    sessions = session_factory(engine)
    return lambda: SqlUnitOfWork(sessions)
