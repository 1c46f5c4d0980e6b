"""The request journal's table, written in batches by a thread of each process (a call's own
transaction may roll back; its journal entry must not, so it is never part of it).

Appending is on the hot path of every SOAP call. A committed INSERT per call cost about a
sixth of a FindByULN, so a call only queues its entry; the process's writer thread writes
what is queued at most FLUSH_DELAY_SECONDS after the first of it, in one transaction on the
connection it keeps. What a reader asks is still answered as if every call were written
before its answer left (docs/decisions.md, "The journal's cost on the hot path"):

- every read first writes what this process has queued (in the reader's thread);
- a search that may not be the only writing process (several web workers, or a process
  that never appended, such as `lrs-soap journal`) also waits SETTLE_SECONDS, many times
  FLUSH_DELAY_SECONDS, so other processes' writers have written what they queued before
  (counts do not wait: a total may miss other workers' last moment, not this process's);
- close() (a worker's graceful exit, the end of an embedded gateway) writes what is left,
  and so does the interpreter's exit; an entry appended after close() is written by its
  caller.

On PostgreSQL the writer's connection commits with synchronous_commit off: an entry is
visible to every session at once, and only a crash of the database server itself could
lose the last moment's entries (never the data the calls changed).
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import datetime as dt
import logging
import os
import threading
import time

from sqlalchemy import Engine, delete, func, insert, select

from lrs_soap.service.journal_ports import CallCount, JournalEntry, JournalQuery
from lrs_soap.store.orm import RequestJournalRow

TABLE = RequestJournalRow.__table__
_METADATA = [c for c in TABLE.c if c.name not in ("request_envelope", "response_envelope")]
_INSERT = insert(TABLE)
# the database numbers entries (not ``id``), so the order holds across processes
_STORED_FIELDS = tuple(f.name for f in dataclasses.fields(JournalEntry) if f.name != "id")
FLUSH_DELAY_SECONDS = 0.01  # the longest a queued entry waits for the writer thread
# What a reader waits for other processes' writers: 20 delays, so a loaded machine's
# writer (its thread scheduled late, its first connection slow to open) is still in time.
SETTLE_SECONDS = 0.2
MAX_QUEUED = 2000  # a queue this long is written by the appending thread itself

log = logging.getLogger(__name__)


class SqlJournal:
    """service.journal_ports.JournalStore on an engine. ``sole_writer``: this process is the only
    one appending (an embedded gateway, a server with one web worker), so a reader here need
    not wait for other processes' writers."""

    def __init__(self, engine: Engine, *, sole_writer: bool = False):
        self._engine = engine
        self._sole_writer = sole_writer
        self._insert = _DriverInsert(engine.dialect)
        self._start_queue()

    def _start_queue(self) -> None:
        """A fresh queue, writer thread state and writer connection (at start, and in a forked
        child, where the parent's queue and connection are the parent's to write and close,
        and its locks may have been held)."""
        self._writer = None  # a DBAPI connection (through the pool), this process's own
        self._queued: list = []  # the INSERT's parameters, one per entry, oldest first
        self._wake = threading.Condition(threading.Lock())  # guards _queued and _stopping
        self._write_lock = threading.Lock()  # one batch at a time on the writer connection
        self._thread: threading.Thread | None = None
        self._pid = os.getpid()
        self._stopping = False

    def _own_queue(self) -> None:
        """In a forked child, start this process's own queue (first, in append, flush and close)."""
        if self._pid != os.getpid():
            self._start_queue()

    def append(self, entry: JournalEntry) -> None:
        """Queue the entry; the writer thread writes it within FLUSH_DELAY_SECONDS."""
        parameters = self._insert.of(entry)
        self._own_queue()
        with self._wake:
            self._queued.append(parameters)
            waiting = len(self._queued)
            if waiting == 1:
                self._wake.notify()
            closed = self._stopping
        if closed:  # no writer thread will come for it: write it now, and give the line back
            self.flush()
            self._give_back_writer()
            return
        if self._thread is None:
            self._start_writer()
        if waiting >= MAX_QUEUED:  # the writer is behind (a locked database): write here
            self.flush()

    def _start_writer(self) -> None:
        with self._wake:
            if self._thread is not None or self._stopping:
                return
            self._thread = threading.Thread(target=self._write_queued, daemon=True,
                                            name="lrs-soap-journal")
            # started under the lock: close() never joins a thread that is not yet running
            self._thread.start()
            atexit.register(self.flush)  # close() unregisters it (bound methods compare equal)

    def _write_queued(self) -> None:
        while True:
            with self._wake:
                while not self._queued and not self._stopping:
                    self._wake.wait()
                if self._stopping:
                    return  # close() writes what is left
            time.sleep(FLUSH_DELAY_SECONDS)  # the calls of the next moment join this batch
            self.flush()

    def flush(self) -> None:
        """Write what this process has queued, now, in the caller's thread."""
        self._own_queue()
        with self._write_lock:
            with self._wake:
                batch, self._queued = self._queued, []
            if not batch:
                return
            try:
                self._write(batch)
            except Exception:
                # the kept connection may have died with the database (a restart): once more
                # on a fresh one, so the batch is not lost for a stale line
                self._drop_writer()
                try:
                    self._write(batch)
                except Exception as error:  # a journal failure never fails a call
                    self._drop_writer()  # the next batch opens anew
                    log.warning("request journal: could not record %d call(s) (%s)",
                                len(batch), type(error).__name__)

    def _write(self, batch: list) -> None:
        writer = self._connection()
        cursor = writer.cursor()
        try:
            cursor.executemany(self._insert.statement, batch)
        finally:
            cursor.close()
        writer.commit()

    def _settle(self) -> None:
        """Before a read: everything appended before it, by any process, is written."""
        self.flush()
        if not (self._sole_writer and self._thread is not None):  # this process appended
            time.sleep(SETTLE_SECONDS)

    def _connection(self):
        if self._writer is None:
            writer = self._engine.raw_connection()
            if self._engine.dialect.name == "postgresql":
                cursor = writer.cursor()
                cursor.execute("SET synchronous_commit TO off")
                cursor.close()
                writer.commit()
            self._writer = writer
        return self._writer

    def _drop_writer(self) -> None:
        writer, self._writer = self._writer, None
        if writer is not None:
            with contextlib.suppress(Exception):  # it is being thrown away
                writer.invalidate()

    def close(self) -> None:
        """Write what is queued, stop the writer thread and give its connection back
        (before the engine is disposed)."""
        self._own_queue()
        with self._wake:
            self._stopping = True
            self._wake.notify()
            thread = self._thread
        if thread is not None:
            thread.join()
        self.flush()
        atexit.unregister(self.flush)
        self._give_back_writer()

    def _give_back_writer(self) -> None:
        with self._write_lock:
            if self._writer is not None:
                self._writer.close()
            self._writer = None

    def search(self, query: JournalQuery) -> list[JournalEntry]:
        self._settle()
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
        # The newest by id (so "the newest id, then what came after it" misses nothing),
        # listed by arrival: processes write their batches in any order, so two calls
        # answered by different workers within FLUSH_DELAY_SECONDS may be numbered
        # out of the order they came.
        return sorted((JournalEntry(**row) for row in rows), key=_arrival)

    def counts(self, *, since: dt.datetime, organisation: str | tuple[str, ...] | None,
               faces: tuple[str, ...] | None = None) -> list[CallCount]:
        # A total (the portal's home page, on every load) need not wait SETTLE_SECONDS for
        # other processes' last moment: that would hold the serving thread.
        self.flush()
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
        self.flush()  # this process's entries count too (other processes prune their own way)
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

    def of(self, entry: JournalEntry) -> tuple | dict:
        """The INSERT's parameters for ``entry``."""
        values = {}
        for name, process in self.processors:
            value = getattr(entry, name)
            values[name] = process(value) if process is not None and value is not None \
                else value
        if self.positions is None:
            return values
        return tuple(values[name] for name in self.positions)


def _arrival(entry: JournalEntry) -> tuple[dt.datetime, int]:
    return entry.at, entry.id


def _for_organisation(statement, organisation: str | tuple[str, ...] | None):
    if organisation is None:
        return statement
    names = (organisation,) if isinstance(organisation, str) else tuple(organisation)
    return statement.where(TABLE.c.organisation.in_(names))

