"""SQL for the exceptions of learner batches (lrs_soap.domain.batch_exceptions).

An exception row points at its batch record, which keeps the record as submitted; resolving
is a compare-and-set on the row's status, so two resolutions of one exception can never
both happen (the second finds it no longer open).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from lrs_soap.domain import sent_learner
from lrs_soap.domain.batch_exceptions import BatchException, ExceptionStatus
from lrs_soap.store.orm import BatchExceptionRow, BatchRecordRow

_ROW = (BatchExceptionRow, BatchRecordRow.payload)


class SqlBatchExceptions:
    """ports.BatchExceptionStore on the unit of work's Session; never commits."""

    def __init__(self, session: Session):
        self._session = session

    def add(self, *, organisation_id: int, job_id: int, record_number: int, code: str,
            possible_ulns: list[str], now: dt.datetime) -> None:
        self._session.add(BatchExceptionRow(
            organisation_id=organisation_id, job_id=job_id, record_number=record_number,
            code=code, possible_ulns=possible_ulns, raised_at=now,
            status=ExceptionStatus.OPEN.value))
        self._session.flush()

    def _select(self):
        return select(*_ROW).join(BatchRecordRow, (BatchRecordRow.job_id
                                                   == BatchExceptionRow.job_id)
                                  & (BatchRecordRow.sequence == BatchExceptionRow.record_number))

    def get(self, exception_id: int) -> BatchException | None:
        row = self._session.execute(
            self._select().where(BatchExceptionRow.id == exception_id)).first()
        return None if row is None else _exception(*row)

    def page(self, *, organisation_id: int, status: ExceptionStatus | None,
             job_id: int | None, offset: int, limit: int) -> tuple[int, list[BatchException]]:
        """(how many match, the ``limit`` of them from ``offset``), oldest first."""
        conditions = [BatchExceptionRow.organisation_id == organisation_id]
        if status is not None:
            conditions.append(BatchExceptionRow.status == status.value)
        if job_id is not None:
            conditions.append(BatchExceptionRow.job_id == job_id)
        total = self._session.scalar(
            select(func.count()).select_from(BatchExceptionRow).where(*conditions)) or 0
        rows = self._session.execute(
            self._select().where(*conditions).order_by(BatchExceptionRow.id)
            .offset(offset).limit(limit))
        return total, [_exception(*row) for row in rows]

    def resolve(self, exception_id: int, *, status: ExceptionStatus, uln: str | None,
                by: str, reason: str | None, now: dt.datetime) -> bool:
        """Close an open exception; False when it was no longer open."""
        result = self._session.execute(
            update(BatchExceptionRow)
            .where(BatchExceptionRow.id == exception_id,
                   BatchExceptionRow.status == ExceptionStatus.OPEN.value)
            .values(status=status.value, resolved_uln=uln, resolved_at=now,
                    resolved_by=by[:35], reason=reason)
            .execution_options(synchronize_session=False, preserve_rowcount=True))
        return result.rowcount == 1

    def set_uln(self, exception_id: int, uln: str) -> None:
        """The ULN registered for a resolved exception."""
        self._session.execute(
            update(BatchExceptionRow).where(BatchExceptionRow.id == exception_id)
            .values(resolved_uln=uln).execution_options(synchronize_session=False))


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    return None if value is None else value.astimezone(dt.UTC)


def _exception(row: BatchExceptionRow, payload: dict) -> BatchException:
    return BatchException(
        id=row.id, organisation_id=row.organisation_id, job_id=row.job_id,
        record_number=row.record_number, code=row.code, raised_at=_utc(row.raised_at),
        status=ExceptionStatus(row.status), record=sent_learner.read(payload),
        possible_ulns=tuple(row.possible_ulns or ()), resolved_uln=row.resolved_uln,
        resolved_at=_utc(row.resolved_at), resolved_by=row.resolved_by, reason=row.reason)
