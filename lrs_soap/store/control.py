"""Harness control state in the database, so every web and batch worker process sees it.

Reads and writes here run in their own short transactions on the engine (the admin API, the
CLI and each request's refresh), except ``next_counter``, which runs inside the caller's
unit of work so that a draw and what it is drawn for share one transaction.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lrs_soap.store.orm import ControlCounterRow, ControlFaultRow, ControlSettingRow

CONTROL_TABLES = frozenset({ControlSettingRow.__tablename__, ControlCounterRow.__tablename__,
                            ControlFaultRow.__tablename__})
_FAULT_COLUMNS = ("id", "operation", "organisation", "action", "code", "delay_ms", "remaining",
                  "created_at")


class SqlControlStore:
    def __init__(self, engine: Engine):
        self._engine = engine
        self.dialect = engine.dialect.name

    def settings(self) -> dict[str, dict]:
        with self._engine.connect() as connection:
            return {name: value for name, value in connection.execute(
                select(ControlSettingRow.name, ControlSettingRow.value))}

    def put_setting(self, name: str, value: dict | None) -> None:
        """Set (or, with None, remove) one named setting."""
        table = ControlSettingRow.__table__
        with self._engine.begin() as connection:
            connection.execute(delete(table).where(table.c.name == name))
            if value is not None:
                connection.execute(insert(table).values(name=name, value=value))

    def faults(self) -> list[dict]:
        """Armed faults (remaining > 0), oldest first."""
        table = ControlFaultRow.__table__
        with self._engine.connect() as connection:
            rows = connection.execute(select(*(table.c[c] for c in _FAULT_COLUMNS))
                                      .where(table.c.remaining > 0).order_by(table.c.id))
            return [dict(row._mapping) for row in rows]

    def add_fault(self, *, operation: str | None, organisation: str | None, action: str,
                  code: str | None, delay_ms: int | None, count: int,
                  now: dt.datetime) -> int:
        table = ControlFaultRow.__table__
        with self._engine.begin() as connection:
            return connection.execute(
                insert(table).values(operation=operation, organisation=organisation,
                                     action=action, code=code, delay_ms=delay_ms,
                                     remaining=count, created_at=now)
                .returning(table.c.id)).scalar_one()

    def consume_fault(self, fault_id: int) -> bool:
        """Take one use of a fault; False if another process took the last one first."""
        table = ControlFaultRow.__table__
        with self._engine.begin() as connection:
            result = connection.execute(
                update(table).where(table.c.id == fault_id, table.c.remaining > 0)
                .values(remaining=table.c.remaining - 1)
                .execution_options(preserve_rowcount=True))
            return result.rowcount == 1

    def clear_faults(self, fault_id: int | None = None) -> int:
        """Remove one rule or all of them; returns how many were still armed."""
        table = ControlFaultRow.__table__
        chosen = table.c.id == fault_id if fault_id is not None else table.c.id.is_not(None)
        with self._engine.begin() as connection:
            armed = connection.execute(
                delete(table).where(chosen, table.c.remaining > 0)
                .execution_options(preserve_rowcount=True)).rowcount
            connection.execute(delete(table).where(chosen))
            return armed


def next_counter(session: Session, name: str) -> int:
    """1, 2, 3, ... per name, atomically across processes, in the caller's transaction."""
    table = ControlCounterRow.__table__
    for _ in range(3):
        value = session.execute(
            update(table).where(table.c.name == name).values(value=table.c.value + 1)
            .returning(table.c.value)).scalar()
        if value is not None:
            return value
        nested = session.begin_nested()  # a racing first draw may insert the row first
        try:
            session.execute(insert(table).values(name=name, value=1))
            nested.commit()
            return 1
        except IntegrityError:
            nested.rollback()
    raise RuntimeError(f"could not draw from counter {name!r}")
