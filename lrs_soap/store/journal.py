"""The request journal's table: one short transaction per recorded call, on its own
connection (a call's own transaction may roll back; its journal entry must not)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import Engine, delete, func, insert, select

from lrs_soap.service.journal import CallCount, JournalEntry, JournalQuery
from lrs_soap.store.orm import RequestJournalRow

TABLE = RequestJournalRow.__table__
_METADATA = [c for c in TABLE.c if c.name not in ("request_envelope", "response_envelope")]


class SqlJournal:
    """service.journal.JournalStore on an engine."""

    def __init__(self, engine: Engine):
        self._engine = engine

    def append(self, entry: JournalEntry) -> None:
        row = dataclasses.asdict(entry)
        del row["id"]  # the database numbers entries, so the order holds across processes
        with self._engine.begin() as connection:
            connection.execute(insert(TABLE), row)

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

    def counts(self, *, since: dt.datetime,
               organisation: str | tuple[str, ...] | None) -> list[CallCount]:
        calls = func.count().label("calls")
        statement = (select(TABLE.c.operation, TABLE.c.code, calls)
                     .where(TABLE.c.at >= since)
                     .group_by(TABLE.c.operation, TABLE.c.code)
                     .order_by(calls.desc(), TABLE.c.operation, TABLE.c.code))
        statement = _for_organisation(statement, organisation)
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


def _for_organisation(statement, organisation: str | tuple[str, ...] | None):
    if organisation is None:
        return statement
    names = (organisation,) if isinstance(organisation, str) else tuple(organisation)
    return statement.where(TABLE.c.organisation.in_(names))

