"""Engines and sessions for SQLite (one machine) and PostgreSQL (beyond)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic.util.exc import CommandError as AlembicCommandError
from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, InterfaceError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from lrs_soap.config import SettingsError

SQLITE_BUSY_TIMEOUT_MS = 30_000
POSTGRES_EXAMPLE = "postgresql+psycopg://user:password@host/database"


class UnusableDatabase(SettingsError):
    """A database URL that no command could use; the message says why and what to do."""


def create_engine(database_url: str | URL, *, foreign_keys: bool = True, **kwargs) -> Engine:
    """An engine set up for concurrent workers on ``database_url``.

    ``foreign_keys=False`` is for SQLite migrations only: batch mode copies and drops tables,
    and an enforced foreign key would cascade or refuse that drop.
    """
    url = _with_our_driver(make_url(database_url))
    # Statement parameters carry learners' personal data: keep them out of error messages/logs.
    kwargs.setdefault("hide_parameters", True)
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


def _with_our_driver(url: URL) -> URL:
    if url.drivername == "postgresql":
        # psycopg 3 is the driver we ship (the postgres extra); SQLAlchemy's default is psycopg2.
        return url.set(drivername="postgresql+psycopg")
    return url


def check_url(database_url: str) -> None:
    """Refuse, saying why, a database URL no command could use; before anything connects."""
    try:
        url = _with_our_driver(make_url(database_url))
    except ArgumentError:
        raise UnusableDatabase(f"{database_url!r} is not a database URL (for example "
                               f"sqlite:///lrs-soap.db or {POSTGRES_EXAMPLE})") from None
    shown = url.render_as_string(hide_password=True) if url.password else database_url
    backend = url.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise UnusableDatabase(f"{shown}: lrs-soap runs on SQLite or PostgreSQL only "
                               f"(for example sqlite:///lrs-soap.db or {POSTGRES_EXAMPLE})")
    if backend == "sqlite" and url.database in (None, "", ":memory:"):
        raise UnusableDatabase(
            f"{shown} is an in-memory database: it lives and dies with one connection of one "
            "process, so the server's workers, the batch worker and the next command would "
            "each see a different, empty database; use a file, e.g. sqlite:///lrs-soap.db")
    try:
        url.get_dialect().import_dbapi()
    except (ImportError, NoSuchModuleError):
        if url.drivername == "postgresql+psycopg":
            raise UnusableDatabase(f"{shown}: PostgreSQL needs its driver, which is not "
                                   "installed: pip install 'lrs-soap[postgres]'") from None
        raise UnusableDatabase(f"{shown}: the driver {url.get_driver_name()!r} is not "
                               f"installed; lrs-soap ships psycopg ({POSTGRES_EXAMPLE}, "
                               "pip install 'lrs-soap[postgres]')") from None
    if backend == "sqlite" and not url.database.startswith("file:"):
        folder = Path(url.database).expanduser().resolve().parent
        if not folder.is_dir():
            raise UnusableDatabase(f"{shown}: cannot create the database file there: the "
                                   f"folder {folder} does not exist")


def database_problem(error: BaseException) -> str | None:
    """One line saying what is wrong with the database for an error raised while using it
    (cannot connect or open it, not migrated, locked...); None for any other error."""
    if isinstance(error, UnusableDatabase):
        return str(error)
    if isinstance(error, AlembicCommandError):
        return f"database migration: {error}"
    if not isinstance(error, OperationalError | InterfaceError):
        return None
    reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
    if "no such table" in reason or ("relation" in reason and "does not exist" in reason):
        return f"the database has no lrs-soap tables yet ({reason}): run lrs-soap db upgrade"
    return f"cannot use the database: {reason}"


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
