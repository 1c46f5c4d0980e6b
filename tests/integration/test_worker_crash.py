"""Kill a real worker process in the middle of a job: another worker finishes it and every
record is processed exactly once."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time

import pytest
import sqlalchemy as sa

from lrs_soap.bootstrap import build_runtime
from lrs_soap.config import Settings
from lrs_soap.domain.batches import JobKind
from lrs_soap.service import accounts, batches
from lrs_soap.service.accounts import Credentials
from lrs_soap.service.demo import load
from lrs_soap.store.orm import BatchJobRow, BatchRecordRow, LearnerRow
from tests.batch_records import sent

RECORDS = 200


def people(count: int) -> list[dict]:
    # Birth months apart, on the 20th (no day/month swap): nobody is anybody's possible match.
    return [{"GivenName": f"Crash{chr(65 + i % 26)}{chr(65 + i // 26 % 26)}",
             "FamilyName": "Survivor", "DateOfBirth": str(dt.date(1980 + i // 12, i % 12 + 1,
                                                                  20)),
             "Gender": "1", "LastKnownPostCode": "LS2 9JT", "VerificationType": "1",
             "AbilityToShare": "1", "MISIdentifier": f"M{i}"} for i in range(count)]


def start_worker(url: str) -> subprocess.Popen:
    env = {**os.environ, "LRS_DATABASE_URL": url, "LRS_BATCH_CHUNK_SIZE": "2",
           "LRS_JOB_LEASE_SECONDS": "5", "LRS_WORKER_POLL_MS": "50",
           "PYTHONWARNINGS": "ignore"}
    return subprocess.Popen([sys.executable, "-m", "lrs_soap.entrypoints.cli", "worker"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def processed(engine, job_id: int) -> int:
    with engine.connect() as connection:
        return connection.scalar(sa.select(sa.func.count()).select_from(BatchRecordRow).where(
            BatchRecordRow.job_id == job_id, BatchRecordRow.processed_at.is_not(None)))


def submit_people(url: str, count: int, *, load_demo: bool = True) -> int:
    """A learner registration batch of ``count`` new people from the demo college."""
    with build_runtime(Settings(database_url=url)) as services:
        if load_demo:
            load(services)
        caller = accounts.authenticate(services, Credentials("demo", "DemoCollege2026!",
                                                             ukprn="10000001"), "learner_batch")
        return batches.submit(services, caller, batches.Submission(
            JobKind.LEARNER_REGISTRATION, sent(people(count)), count, job_type="FUL")).job_id


def outcomes_and_survivors(engine, job_id: int) -> tuple[list[str | None], int]:
    """Each record's outcome code, and how many learners the people batch registered."""
    with engine.connect() as connection:
        outcomes = connection.execute(sa.select(BatchRecordRow.outcome_code)
                                      .where(BatchRecordRow.job_id == job_id)).scalars().all()
        survivors = connection.scalar(sa.select(sa.func.count()).select_from(LearnerRow)
                                      .where(LearnerRow.family_name == "Survivor"))
    return outcomes, survivors


@pytest.mark.slow
def test_a_killed_worker_loses_nothing_and_duplicates_nothing(migrated_url):
    job_id = submit_people(migrated_url, RECORDS)
    engine = sa.create_engine(migrated_url)
    first = start_worker(migrated_url)
    try:
        deadline = time.monotonic() + 60
        while processed(engine, job_id) < 10 and time.monotonic() < deadline:
            time.sleep(0.01)
        first.send_signal(signal.SIGKILL)  # no goodbye: mid-chunk, lease still held
        first.wait()
        at_kill = processed(engine, job_id)
        assert 0 < at_kill < RECORDS, "the worker was not killed mid-job"

        second = start_worker(migrated_url)
        try:
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                with engine.connect() as connection:
                    status = connection.scalar(sa.select(BatchJobRow.status)
                                               .where(BatchJobRow.id == job_id))
                if status == "successful":
                    break
                time.sleep(0.2)
            assert status == "successful"
        finally:
            second.send_signal(signal.SIGTERM)
            assert second.wait(timeout=30) == 0
    finally:
        if first.poll() is None:
            first.kill()
    outcomes, survivors = outcomes_and_survivors(engine, job_id)
    engine.dispose()
    # Every record registered exactly one new learner: a record processed twice would have
    # found its own learner the second time (WSRC0004); a lost one would have no outcome.
    assert outcomes == ["WSRC0005"] * RECORDS
    assert survivors == RECORDS


def test_a_stopping_worker_leaves_after_a_committed_chunk_and_the_next_one_finishes(
        migrated_url):
    import datetime as dt

    from lrs_soap.service.batches import RunSettings, run_next_job

    with build_runtime(Settings(database_url=migrated_url)) as services:
        load(services)
        caller = accounts.authenticate(services, Credentials("demo", "DemoCollege2026!",
                                                             ukprn="10000001"), "learner_batch")
        job_id = batches.submit(services, caller, batches.Submission(
            JobKind.LEARNER_REGISTRATION, sent(people(6)), 6, job_type="FUL")).job_id
        quick_lease = dt.timedelta(seconds=0)  # so the second worker may take over at once
        assert run_next_job(services, RunSettings("first", chunk_size=2, lease=quick_lease),
                            stop=lambda: True) == job_id
        engine = sa.create_engine(migrated_url)
        assert processed(engine, job_id) == 2  # one chunk, committed
        assert run_next_job(services, RunSettings("second", chunk_size=2)) == job_id
        assert processed(engine, job_id) == 6
        with engine.connect() as connection:
            assert connection.scalar(sa.select(BatchJobRow.status)
                                     .where(BatchJobRow.id == job_id)) == "successful"
        engine.dispose()
