"""The request journal's table: one short transaction per recorded call, on its own
connection (a call's own transaction may roll back; its journal entry must not).

Appending is on the hot path of every SOAP call, so each process keeps one connection for
it (a gateway process answers one request at a time; threads of an embedded gateway take
turns) instead of a pool checkout, a fresh statement and a deep copy per call. Each entry
is still committed before the call's answer leaves, so any process reading the journal
right after sees it. On PostgreSQL that connection commits with synchronous_commit off:
the entry is visible to every session at once, and only a crash of the database server
itself could lose the last moment's entries (never the data the calls changed).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import threading

from sqlalchemy import Engine, delete, func, insert, select

from lrs_soap.service.journal import CallCount, JournalEntry, JournalQuery
from lrs_soap.store.orm import RequestJournalRow

TABLE = RequestJournalRow.__table__
_METADATA = [c for c in TABLE.c if c.name not in ("request_envelope", "response_envelope")]
_INSERT = insert(TABLE)
# the database numbers entries (not ``id``), so the order holds across processes
_STORED_FIELDS = tuple(f.name for f in dataclasses.fields(JournalEntry) if f.name != "id")


class SqlJournal:
    """service.journal.JournalStore on an engine."""

    def __init__(self, engine: Engine):
        self._engine = engine
        self._lock = threading.Lock()
        self._writer = None  # a DBAPI connection (through the pool), this process's own
        self._writer_pid = 0
        self._insert = _DriverInsert(engine.dialect)

    def append(self, entry: JournalEntry) -> None:
        statement, parameters = self._insert.of(entry)
        with self._lock:
            try:
                writer = self._connection()
                cursor = writer.cursor()
                try:
                    cursor.execute(statement, parameters)
                finally:
                    cursor.close()
                writer.commit()
            except Exception:
                self._drop_writer()  # a broken or stale connection: the next call opens anew
                raise

    def _connection(self):
        if self._writer is None or self._writer_pid != os.getpid():  # never across a fork
            writer = self._engine.raw_connection()
            if self._engine.dialect.name == "postgresql":
                cursor = writer.cursor()
                cursor.execute("SET synchronous_commit TO off")
                cursor.close()
                writer.commit()
            self._writer, self._writer_pid = writer, os.getpid()
        return self._writer

    def _drop_writer(self) -> None:
        writer, self._writer = self._writer, None
        if writer is not None:
            with contextlib.suppress(Exception):  # it is being thrown away
                writer.invalidate()

    def close(self) -> None:
        """Give the writer's connection back (before the engine is disposed)."""
        with self._lock:
            if self._writer is not None and self._writer_pid == os.getpid():
                self._writer.close()
            self._writer = None

    def search(self, query: JournalQuery) -> list[JournalEntry]:
        columns = list(TABLE.c) if query.envelopes else _METADATA
        statement = select(*columns).order_by(TABLE.c.id.desc()).limit(max(query.limit, 0))
        for column, value in (("operation", query.operation), ("code", query.code),
                              ("user_name", query.user_name), ("face", query.face),
                              ("endpoint", query.endpoint), ("request_id", query.request_id)):
            if value is not None:
                statement = statement.where(TABLE.c[column] == value)
        statement = _for_organisation(statement, query.organisation)
        if query.since is not None:
            statement = statement.where(TABLE.c.at >= query.since)
        if query.until is not None:
            statement = statement.where(TABLE.c.at < query.until)
        if query.after_id is not None:
            statement = statement.where(TABLE.c.id > query.after_id)
        with self._engine.connect() as connection:
            rows = connection.execute(statement).mappings().all()
        return [JournalEntry(**row) for row in reversed(rows)]

    def counts(self, *, since: dt.datetime, organisation: str | tuple[str, ...] | None,
               faces: tuple[str, ...] | None = None) -> list[CallCount]:
        calls = func.count().label("calls")
        statement = (select(TABLE.c.operation, TABLE.c.code, calls)
                     .where(TABLE.c.at >= since)
                     .group_by(TABLE.c.operation, TABLE.c.code)
                     .order_by(calls.desc(), TABLE.c.operation, TABLE.c.code))
        statement = _for_organisation(statement, organisation)
        if faces is not None:
            statement = statement.where(TABLE.c.face.in_(faces))
        with self._engine.connect() as connection:
            return [CallCount(row.operation, row.code, row.calls)
                    for row in connection.execute(statement)]

    def prune(self, *, keep_rows: int, older_than: dt.datetime) -> int:
        """Delete entries older than ``older_than`` and all but the newest ``keep_rows``."""
        with self._engine.begin() as connection:
            removed = connection.execute(delete(TABLE).where(TABLE.c.at < older_than)).rowcount
            oldest_kept = connection.scalar(
                select(TABLE.c.id).order_by(TABLE.c.id.desc()).offset(keep_rows).limit(1))
            if oldest_kept is not None:
                removed += connection.execute(
                    delete(TABLE).where(TABLE.c.id <= oldest_kept)).rowcount
        return removed


class _DriverInsert:
    """The journal's INSERT compiled once for the dialect, its values converted by the
    columns' own types (UtcDateTime...), for the driver's cursor: no per-call compiling."""

    def __init__(self, dialect):
        compiled = _INSERT.compile(dialect=dialect, column_keys=list(_STORED_FIELDS))
        self.statement = compiled.string
        self.positions = compiled.positiontup  # None when the driver takes named parameters
        # dialect_impl: the dialect's own type under a TypeDecorator (SQLite's DATETIME turns
        # a datetime into text; the bare driver's adapter for it is deprecated since 3.12)
        self.processors = [(name, TABLE.c[name].type.dialect_impl(dialect).bind_processor(dialect))
                           for name in _STORED_FIELDS]

    def of(self, entry: JournalEntry) -> tuple[str, object]:
        values = {}
        for name, process in self.processors:
            value = getattr(entry, name)
            values[name] = process(value) if process is not None and value is not None \
                else value
        if self.positions is None:
            return self.statement, values
        return self.statement, tuple(values[name] for name in self.positions)


def _for_organisation(statement, organisation: str | tuple[str, ...] | None):
    if organisation is None:
        return statement
    names = (organisation,) if isinstance(organisation, str) else tuple(organisation)
    return statement.where(TABLE.c.organisation.in_(names))

