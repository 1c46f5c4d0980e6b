"""Batch jobs, their records and exceptions, and the batch workers' heartbeats."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from lrs_soap.store.tables.base import (
    Base,
    UtcDateTime,
    org_fk,
)


class BatchJobRow(Base):
    """A submitted batch; ``id`` is the JobID given to the caller."""

    __tablename__ = "batch_jobs"
    # Workers pick waiting jobs and jobs whose lease has expired.
    __table_args__ = (Index("ix_batch_jobs_status_lease", "status", "lease_expires_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = org_fk()
    user_name: Mapped[str] = mapped_column(String(35))
    kind: Mapped[str] = mapped_column(String(20))  # learner_registration, verification, ...
    job_type: Mapped[str | None] = mapped_column(String(3))  # FUL / CHK
    submission_type: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))
    status: Mapped[str] = mapped_column(String(20))  # waiting, in_progress, successful, failed
    record_count: Mapped[int] = mapped_column(Integer)
    submitted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    started_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    lease_owner: Mapped[str | None] = mapped_column(String(100))
    lease_expires_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    failure_reason: Mapped[str | None] = mapped_column(Text)
    counters: Mapped[dict | None] = mapped_column(JSON)


class BatchRecordRow(Base):
    __tablename__ = "batch_records"
    __table_args__ = (UniqueConstraint("job_id", "sequence"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("batch_jobs.id", ondelete="CASCADE"))
    sequence: Mapped[int] = mapped_column(Integer)
    payload: Mapped[dict] = mapped_column(JSON)  # the record as submitted
    outcome_code: Mapped[str | None] = mapped_column(String(20))
    result: Mapped[dict | None] = mapped_column(JSON)
    processed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class BatchExceptionRow(Base):
    """A learner batch record left for its organisation to resolve (exceptions process);
    its details stay in the batch record (``job_id``, ``record_number``)."""

    __tablename__ = "batch_exceptions"
    __table_args__ = (UniqueConstraint("job_id", "record_number"),
                      Index("ix_batch_exceptions_organisation_status",
                            "organisation_id", "status"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = org_fk()
    job_id: Mapped[int] = mapped_column(ForeignKey("batch_jobs.id", ondelete="CASCADE"))
    record_number: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(8))  # WSRC0003, WSRC0002
    possible_ulns: Mapped[list] = mapped_column(JSON)
    raised_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(10))  # OPEN, LINKED, REGISTERED, DISCARDED
    resolved_uln: Mapped[str | None] = mapped_column(String(10))
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    resolved_by: Mapped[str | None] = mapped_column(String(35))
    reason: Mapped[str | None] = mapped_column(Text)


class WorkerHeartbeatRow(Base):
    """Batch workers alive: each refreshes its row while it runs (what /healthz reports)."""

    __tablename__ = "worker_heartbeats"
    worker: Mapped[str] = mapped_column(String(200), primary_key=True)
    started_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    seen_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
