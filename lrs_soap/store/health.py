"""ports.WorkerHealth on SQLAlchemy: batch worker heartbeats and the batch queue's age."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from lrs_soap.domain.batches import JobStatus
from lrs_soap.store.orm import BatchJobRow, WorkerHeartbeatRow

_BEATS = WorkerHeartbeatRow.__table__
_INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


class SqlWorkerHealth:
    def __init__(self, session: Session):
        self._session = session

    def beat(self, worker: str, started_at: dt.datetime, now: dt.datetime) -> None:
        insert = _INSERTS[self._session.get_bind().dialect.name]
        self._session.execute(insert(_BEATS).values(
            worker=worker, started_at=started_at, seen_at=now).on_conflict_do_update(
            index_elements=[_BEATS.c.worker], set_={"seen_at": now}))

    def forget(self, worker: str | None = None, seen_before: dt.datetime | None = None) -> None:
        statement = delete(_BEATS)
        if worker is not None:
            statement = statement.where(_BEATS.c.worker == worker)
        if seen_before is not None:
            statement = statement.where(_BEATS.c.seen_at < seen_before)
        self._session.execute(statement)

    def workers(self) -> list[tuple[str, dt.datetime, dt.datetime]]:
        """(worker, started_at, seen_at) of every worker that has beaten recently."""
        rows = self._session.execute(select(_BEATS).order_by(_BEATS.c.worker))
        return [(row.worker, row.started_at, row.seen_at) for row in rows]

    def oldest_waiting_job(self) -> dt.datetime | None:
        """When the oldest job still waiting for a worker was submitted."""
        submitted = self._session.scalar(select(func.min(BatchJobRow.submitted_at)).where(
            BatchJobRow.status == JobStatus.WAITING.value))
        return None if submitted is None else submitted.replace(
            tzinfo=submitted.tzinfo or dt.UTC)
