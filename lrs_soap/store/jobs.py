"""Batch jobs and their records: stored in one transaction, claimed with a lease, processed
in chunks whose outcomes are written together with their effects.

Claiming is a compare-and-set UPDATE (the row's status and lease are re-checked by the
database), so two workers can never both own a job; every chunk first renews the lease with
an UPDATE that only succeeds for the owner, which also fences off a worker whose lease ran
out (its chunk then rolls back).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

from sqlalchemy import and_, bindparam, func, insert, or_, select, update
from sqlalchemy.orm import Session

from lrs_soap.domain.batches import JobKind, JobStatus, Payload, RecordOutcome
from lrs_soap.service.ports import ClaimedJob, JobView
from lrs_soap.store.orm import BatchJobRow, BatchRecordRow

INSERT_CHUNK = 1000
_OPEN = (JobStatus.WAITING.value, JobStatus.IN_PROGRESS.value)


class SqlJobStore:
    def __init__(self, session: Session):
        self._session = session

    def create(self, *, job_id: int, kind: JobKind, organisation_id: int, user_name: str,
               job_type: str | None, submission_type: str | None, email: str | None,
               payloads: Sequence[Payload], now: dt.datetime) -> int:
        job = BatchJobRow(id=job_id, organisation_id=organisation_id, user_name=user_name,
                          kind=kind.value,
                          job_type=job_type, submission_type=submission_type, email=email,
                          status=JobStatus.WAITING.value, record_count=len(payloads),
                          submitted_at=now)
        self._session.add(job)
        self._session.flush()
        table = BatchRecordRow.__table__
        for start in range(0, len(payloads), INSERT_CHUNK):
            self._session.execute(insert(table), [
                {"job_id": job.id, "sequence": start + offset + 1, "payload": payload}
                for offset, payload in enumerate(payloads[start:start + INSERT_CHUNK])])
        return job.id

    def view(self, job_id: int) -> JobView | None:
        row = self._session.get(BatchJobRow, job_id)
        return None if row is None else _view(row, self._processed([job_id]).get(job_id, 0))

    def recent(self, organisation_id: int, limit: int) -> list[JobView]:
        """The organisation's newest jobs, newest first."""
        return self.page(organisation_id=organisation_id, kind=None, status=None, offset=0,
                         limit=limit)[1]

    def page(self, *, organisation_id: int, kind: JobKind | None, status: JobStatus | None,
             offset: int, limit: int) -> tuple[int, list[JobView]]:
        """(how many match, the ``limit`` of them from ``offset``), newest submission first
        (JobIDs are random, so they say nothing of age)."""
        conditions = [BatchJobRow.organisation_id == organisation_id]
        if kind is not None:
            conditions.append(BatchJobRow.kind == kind.value)
        if status is not None:
            conditions.append(BatchJobRow.status == status.value)
        total = self._session.scalar(
            select(func.count()).select_from(BatchJobRow).where(*conditions)) or 0
        rows = self._session.scalars(
            select(BatchJobRow).where(*conditions)
            .order_by(BatchJobRow.submitted_at.desc(), BatchJobRow.id.desc())
            .offset(offset).limit(limit)).all()
        processed = self._processed([row.id for row in rows])
        return total, [_view(row, processed.get(row.id, 0)) for row in rows]

    def _processed(self, job_ids: list[int]) -> dict[int, int]:
        """Records processed so far, by job, in one query."""
        if not job_ids:
            return {}
        rows = self._session.execute(
            select(BatchRecordRow.job_id, func.count())
            .where(BatchRecordRow.job_id.in_(job_ids), BatchRecordRow.processed_at.is_not(None))
            .group_by(BatchRecordRow.job_id))
        return {job_id: count for job_id, count in rows}

    def outcomes(self, job_id: int) -> list[tuple[int, Payload, str | None, dict | None]]:
        """(sequence, payload, outcome code, result) for every record, in order."""
        rows = self._session.execute(
            select(BatchRecordRow.sequence, BatchRecordRow.payload, BatchRecordRow.outcome_code,
                   BatchRecordRow.result)
            .where(BatchRecordRow.job_id == job_id).order_by(BatchRecordRow.sequence))
        return [tuple(row) for row in rows]

    def claim(self, worker: str, now: dt.datetime, lease: dt.timedelta, *,
              job_id: int | None = None,
              submitted_before: dt.datetime | None = None) -> ClaimedJob | None:
        claimable = and_(BatchJobRow.status.in_(_OPEN),
                         or_(BatchJobRow.lease_expires_at.is_(None),
                             BatchJobRow.lease_expires_at < now))
        if job_id is not None:
            claimable = and_(claimable, BatchJobRow.id == job_id)
        if submitted_before is not None:
            claimable = and_(claimable, BatchJobRow.submitted_at <= submitted_before)
        for _ in range(5):  # another worker may win the candidate we saw: look again
            candidate = self._session.scalar(
                select(BatchJobRow.id).where(claimable).order_by(BatchJobRow.id).limit(1))
            if candidate is None:
                return None
            won = self._session.execute(
                update(BatchJobRow).where(BatchJobRow.id == candidate, claimable)
                .values(status=JobStatus.IN_PROGRESS.value, lease_owner=worker,
                        lease_expires_at=now + lease,
                        started_at=func.coalesce(BatchJobRow.started_at, now))
                .execution_options(synchronize_session=False, preserve_rowcount=True))
            if won.rowcount == 1:
                row = self._session.execute(
                    select(BatchJobRow.kind, BatchJobRow.organisation_id, BatchJobRow.job_type,
                           BatchJobRow.submission_type, BatchJobRow.user_name)
                    .where(BatchJobRow.id == candidate)).one()
                return ClaimedJob(candidate, JobKind(row.kind), row.organisation_id,
                                  row.job_type, row.submission_type, row.user_name)
        return None

    def renew(self, job_id: int, worker: str, now: dt.datetime, lease: dt.timedelta) -> bool:
        """Extend our lease; False if the job is no longer ours (or no longer running)."""
        result = self._session.execute(
            update(BatchJobRow)
            .where(BatchJobRow.id == job_id, BatchJobRow.lease_owner == worker,
                   BatchJobRow.status == JobStatus.IN_PROGRESS.value)
            .values(lease_expires_at=now + lease)
            .execution_options(synchronize_session=False, preserve_rowcount=True))
        return result.rowcount == 1

    def pending(self, job_id: int, limit: int) -> list[tuple[int, Payload]]:
        rows = self._session.execute(
            select(BatchRecordRow.sequence, BatchRecordRow.payload)
            .where(BatchRecordRow.job_id == job_id, BatchRecordRow.processed_at.is_(None))
            .order_by(BatchRecordRow.sequence).limit(limit))
        return [(sequence, payload) for sequence, payload in rows]

    def record(self, job_id: int, outcomes: list[tuple[int, RecordOutcome]],
               now: dt.datetime) -> None:
        table = BatchRecordRow.__table__
        statement = (update(table)
                     .where(table.c.job_id == bindparam("j"), table.c.sequence == bindparam("s"),
                            table.c.processed_at.is_(None))
                     .values(outcome_code=bindparam("code"), result=bindparam("res"),
                             processed_at=bindparam("at")))
        self._session.connection().execute(statement, [
            {"j": job_id, "s": sequence, "code": outcome.code, "at": now,
             "res": {**outcome.detail, "errors": [e.as_dict() for e in outcome.errors]}}
            for sequence, outcome in outcomes])

    def outcome_counts(self, job_id: int) -> Counter[str]:
        rows = self._session.execute(
            select(BatchRecordRow.outcome_code, func.count())
            .where(BatchRecordRow.job_id == job_id).group_by(BatchRecordRow.outcome_code))
        return Counter({code: count for code, count in rows if code is not None})

    def finish(self, job_id: int, worker: str, status: JobStatus, now: dt.datetime, *,
               counters: dict[str, int], failure_reason: str | None = None) -> bool:
        result = self._session.execute(
            update(BatchJobRow)
            .where(BatchJobRow.id == job_id, BatchJobRow.lease_owner == worker)
            .values(status=status.value, finished_at=now, lease_owner=None,
                    lease_expires_at=None, counters=counters, failure_reason=failure_reason)
            .execution_options(synchronize_session=False, preserve_rowcount=True))
        return result.rowcount == 1


def _view(row: BatchJobRow, processed: int) -> JobView:
    return JobView(id=row.id, organisation_id=row.organisation_id, kind=JobKind(row.kind),
                   status=JobStatus(row.status), job_type=row.job_type,
                   submission_type=row.submission_type, record_count=row.record_count,
                   processed=processed, submitted_at=_utc(row.submitted_at),
                   started_at=_utc(row.started_at), finished_at=_utc(row.finished_at),
                   failure_reason=row.failure_reason, counters=row.counters or {})


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    return None if value is None else value.astimezone(dt.UTC)
