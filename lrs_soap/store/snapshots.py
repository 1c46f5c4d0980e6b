"""Whole-database snapshots for harness resets: every row of every table, kept in memory,
put back in one transaction.

Restoring deletes every row (control state included) and inserts the snapshot's rows with
their own ids, so a reset costs one statement per table rather than a migration cycle or a
new file. PostgreSQL's id sequences are then moved past the restored ids.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, delete, insert, select, text
from sqlalchemy.orm import Session

from lrs_soap.store.control import CONTROL_TABLES
from lrs_soap.store.orm import Base
from lrs_soap.store.unit_of_work import SqlUnitOfWork


@dataclass(frozen=True)
class Snapshot:
    rows: dict[str, list[dict]]

    def count(self) -> int:
        return sum(len(rows) for rows in self.rows.values())


EMPTY = Snapshot({})


def take(uow: SqlUnitOfWork) -> Snapshot:
    """Every row of the data tables (not the control tables), as seen by ``uow``."""
    session = uow.session
    session.flush()
    return Snapshot({table.name: [dict(row._mapping) for row in session.execute(select(table))]
                     for table in Base.metadata.sorted_tables
                     if table.name not in CONTROL_TABLES})


def restore(uow: SqlUnitOfWork, snapshot: Snapshot) -> None:
    """Replace everything with ``snapshot`` inside ``uow``'s transaction (not committed)."""
    session = uow.session
    session.flush()
    session.expunge_all()
    tables = Base.metadata.sorted_tables
    # DELETE, not TRUNCATE: on tables this small PostgreSQL deletes faster than it
    # truncates (measured: tests/perf/bench_control.py).
    for table in reversed(tables):
        session.execute(delete(table))
    for table in tables:
        rows = snapshot.rows.get(table.name)
        if rows:
            session.execute(insert(table), rows)
    if session.get_bind().dialect.name == "postgresql":
        _move_sequences(session, snapshot)


def _move_sequences(session: Session, snapshot: Snapshot) -> None:
    """Each id sequence just past the restored ids (or back to 1), in one round trip."""
    calls, parameters = [], {}
    for n, table in enumerate(t for t in Base.metadata.sorted_tables if _serial(t)):
        ids = [row["id"] for row in snapshot.rows.get(table.name, ())]
        calls.append(f"setval(pg_get_serial_sequence(:t{n}, 'id'), :v{n}, :c{n})")
        parameters.update({f"t{n}": table.name, f"v{n}": max(ids, default=1),
                           f"c{n}": bool(ids)})
    session.execute(text("SELECT " + ", ".join(calls)), parameters)


def _serial(table) -> bool:
    return "id" in table.c and table.c.id.primary_key and isinstance(table.c.id.type, Integer)
