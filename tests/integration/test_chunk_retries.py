"""Chunk retries: transient database errors are retried with growing, jittered waits,
bounded in count and time; any other error fails the job at once. (The fault test that
drops real PostgreSQL connections is tests/integration/test_database_blips.py.)"""

from __future__ import annotations

import random

import pytest
import sqlalchemy as sa
from sqlalchemy import exc

from lrs_soap.bootstrap import build_runtime
from lrs_soap.config import Settings
from lrs_soap.domain.batches import JobKind
from lrs_soap.service import batches
from lrs_soap.service.batches import RetryPolicy, RunSettings, run_next_job
from lrs_soap.store.errors import is_transient
from lrs_soap.store.jobs import SqlJobStore
from lrs_soap.store.orm import BatchJobRow, BatchRecordRow
from tests.integration.test_worker_crash import outcomes_and_survivors, submit_people


def lost_connection() -> exc.OperationalError:
    return exc.OperationalError("SELECT 1", {}, Exception("server closed the connection"))


def with_state(error_class, sqlstate: str):
    orig = Exception("database said no")
    orig.sqlstate = sqlstate  # as psycopg's errors carry it
    return error_class("UPDATE batch_jobs", {}, orig)


@pytest.mark.parametrize(("error", "transient"), [
    (lost_connection(), True),
    (with_state(exc.OperationalError, "40001"), True),  # serialization failure
    (with_state(exc.OperationalError, "40P01"), True),  # deadlock
    (with_state(exc.OperationalError, "57P01"), True),  # admin shutdown
    (with_state(exc.OperationalError, "08006"), True),  # connection failure
    (exc.OperationalError("x", {}, Exception("database is locked")), True),  # SQLite busy
    (with_state(exc.IntegrityError, "23505"), False),  # unique violation: our data
    (with_state(exc.DataError, "22001"), False),  # value too long
    (with_state(exc.OperationalError, "54000"), False),  # program limit: no retry helps
    (ValueError("a bug"), False),
])
def test_which_errors_are_transient(error, transient):
    assert is_transient(error) is transient


@pytest.fixture
def job(migrated_url):
    return migrated_url, submit_people(migrated_url, 6)


def run_with_faults(url, monkeypatch, faults: list[BaseException],
                    retry: RetryPolicy | None = None) -> tuple[list[float], dict]:
    real = batches.PROCESSORS[JobKind.LEARNER_REGISTRATION]

    def flaky(*args):
        if faults:
            raise faults.pop(0)
        return real(*args)

    monkeypatch.setitem(batches.PROCESSORS, JobKind.LEARNER_REGISTRATION, flaky)
    waits: list[float] = []
    with build_runtime(Settings(database_url=url)) as services:
        run = RunSettings("retrier", chunk_size=2, retry=retry or RetryPolicy(),
                          sleep=waits.append, rng=random.Random(7))
        run_next_job(services, run)
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        row = connection.execute(sa.select(BatchJobRow.status, BatchJobRow.failure_reason)).one()
        outcomes = connection.execute(sa.select(BatchRecordRow.outcome_code)).scalars().all()
    engine.dispose()
    return waits, {"status": row.status, "reason": row.failure_reason, "outcomes": outcomes}


def test_transient_failures_are_retried_with_growing_jittered_waits(job, monkeypatch):
    url, _ = job
    waits, result = run_with_faults(url, monkeypatch, [lost_connection() for _ in range(4)])
    assert result == {"status": "successful", "reason": None, "outcomes": ["WSRC0005"] * 6}
    assert len(waits) == 4
    for n, wait in enumerate(waits, 1):  # 0.25, 0.5, 1, 2 s, each jittered into [half, all]
        assert 0.25 * 2 ** (n - 1) / 2 <= wait <= 0.25 * 2 ** (n - 1)
    assert len(set(waits)) == 4


def test_a_permanent_error_fails_the_job_at_once(job, monkeypatch):
    url, _ = job
    waits, result = run_with_faults(url, monkeypatch, [ValueError("a bug")])
    assert waits == []
    assert result == {"status": "failed", "reason": "processing failed: ValueError",
                      "outcomes": [None] * 6}


def test_retries_are_bounded_in_count(job, monkeypatch):
    url, _ = job
    waits, result = run_with_faults(url, monkeypatch, [lost_connection() for _ in range(50)])
    assert len(waits) == RetryPolicy().attempts - 1
    assert sum(waits) <= RetryPolicy().budget
    assert result["status"] == "failed"
    assert result["reason"] == "processing failed 8 times: OperationalError"


def test_retries_are_bounded_in_time():
    policy, rng = RetryPolicy(attempts=100, budget=30.0), random.Random(3)
    waits, waited = [], 0.0
    for failures in range(1, policy.attempts):
        wait = policy.wait(failures, rng)
        if waited + wait > policy.budget:
            break
        waits.append(wait)
        waited += wait
    assert 20 < sum(waits) <= 30 and max(waits) <= policy.max_wait


def test_retries_give_up_when_the_waiting_budget_is_spent(job, monkeypatch):
    policy = RetryPolicy(attempts=100, first_wait=1.0, max_wait=8.0, budget=5.0)
    url, _ = job
    waits, result = run_with_faults(url, monkeypatch, [lost_connection() for _ in range(50)],
                                    policy)
    assert 2 <= len(waits) < 10 and sum(waits) <= policy.budget
    assert result == {"status": "failed",
                      "reason": f"processing failed {len(waits) + 1} times: OperationalError",
                      "outcomes": [None] * 6}


def test_a_connection_lost_while_writing_a_chunk_rolls_it_back_and_retries_it(job, monkeypatch):
    """The store itself fails after the chunk registered its learners: those registrations
    roll back with it, the retry makes them again, and each record is processed once."""
    url, job_id = job
    real, failed = SqlJobStore.record, []

    def record_losing_the_connection_once(self, *args):
        if not failed:
            failed.append(True)
            raise lost_connection()
        return real(self, *args)

    monkeypatch.setattr(SqlJobStore, "record", record_losing_the_connection_once)
    waits, result = run_with_faults(url, monkeypatch, [])
    assert len(waits) == 1 and result["status"] == "successful"
    engine = sa.create_engine(url)
    try:
        assert outcomes_and_survivors(engine, job_id) == (["WSRC0005"] * 6, 6)
    finally:
        engine.dispose()
