"""Engines and sessions for SQLite (one machine) and PostgreSQL (beyond)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 30_000


def create_engine(database_url: str | URL, *, foreign_keys: bool = True, **kwargs) -> Engine:
    """An engine set up for concurrent workers on ``database_url``.

    ``foreign_keys=False`` is for SQLite migrations only: batch mode copies and drops tables,
    and an enforced foreign key would cascade or refuse that drop.
    """
    url = make_url(database_url)
    # Statement parameters carry learners' personal data: keep them out of error messages/logs.
    kwargs.setdefault("hide_parameters", True)
    if url.drivername == "postgresql":
        # psycopg 3 is the driver we ship (the postgres extra); SQLAlchemy's default is psycopg2.
        url = url.set(drivername="postgresql+psycopg")
    backend = url.get_backend_name()
    if backend == "sqlite":
        connect_args = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, **kwargs.pop("connect_args", {})}
        engine = sa.create_engine(url, connect_args=connect_args, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas(foreign_keys))
        return engine
    if backend == "postgresql":
        # pre_ping replaces connections a database restart broke; connect_timeout turns an
        # unreachable server into a prompt error instead of a hung request.
        kwargs.setdefault("pool_pre_ping", True)
        connect_args = kwargs.setdefault("connect_args", {})
        connect_args.setdefault("connect_timeout", 5)
    return sa.create_engine(url, **kwargs)


def _sqlite_pragmas(foreign_keys: bool):
    def on_connect(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        try:
            # WAL lets readers work while one process writes; busy_timeout makes a second
            # writer wait for the lock instead of failing at once.
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            # In WAL mode NORMAL never corrupts the database; a power cut may lose the last
            # commits, not a crash of ours. FULL costs an fsync per commit (2 ms here).
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        finally:
            cursor.close()

    return on_connect


def session_factory(engine: Engine) -> sessionmaker[Session]:
    # Objects stay readable after commit: repositories hand out domain copies anyway.
    return sessionmaker(bind=engine, expire_on_commit=False)
