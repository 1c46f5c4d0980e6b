"""PostgreSQL goes away 20 times while a real worker processes batches: every connection
is cut and new ones are refused for a moment, each time. Every batch completes, and every
record is processed exactly once. (Before chunk retries had back-off, one 30 ms blip
failed a 10,000-record batch in 1 of 4 trials.)"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from lrs_soap.bootstrap import build_runtime
from lrs_soap.config import Settings
from lrs_soap.domain.batches import JobKind
from lrs_soap.service import accounts, batches
from lrs_soap.service.accounts import Credentials
from lrs_soap.service.demo import load
from lrs_soap.store import create_engine, migrate
from tests.batch_records import sent
from tests.databases import POSTGRES_ENV, temporary_postgres_database
from tests.integration.test_worker_crash import people

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

JOBS, RECORDS, BLIPS, BLIP_SECONDS = 3, 120, 20, 0.2
FAMILIES = ("Alderton", "Brightwater", "Cunningham")  # nobody anybody's possible match
POSTCODES = ("LS2 9JT", "M1 1AE", "B1 1AA")


def blip(admin, database: str) -> None:
    """Refuse new connections, cut every open one, and let them back after a moment."""
    with admin.connect() as connection:
        connection.execute(sa.text(f'ALTER DATABASE "{database}" WITH ALLOW_CONNECTIONS false'))
        connection.execute(sa.text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": database})
        time.sleep(BLIP_SECONDS)
        connection.execute(sa.text(f'ALTER DATABASE "{database}" WITH ALLOW_CONNECTIONS true'))


def test_every_batch_completes_exactly_once_through_20_database_blips():
    with temporary_postgres_database() as url:
        migrate.upgrade(url)
        with build_runtime(Settings(database_url=url)) as services:
            load(services)
            caller = accounts.authenticate(services, Credentials(
                "demo", "DemoCollege2026!", ukprn="10000001"), "learner_batch")
            job_ids = []
            for n in range(JOBS):
                records = people(RECORDS)
                for record in records:  # a distinct person per job and record
                    record["FamilyName"] = FAMILIES[n]
                    record["LastKnownPostCode"] = POSTCODES[n]
                    record["DateOfBirth"] = record["DateOfBirth"][:-2] + str(20 + n)
                job_ids.append(batches.submit(services, caller, batches.Submission(
                    JobKind.LEARNER_REGISTRATION, sent(records), RECORDS, job_type="FUL")).job_id)
        database = make_url(url).database
        admin = create_engine(os.environ[POSTGRES_ENV], isolation_level="AUTOCOMMIT")
        watcher = create_engine(os.environ[POSTGRES_ENV].rsplit("/", 1)[0] + f"/{database}")
        env = {**os.environ, "LRS_DATABASE_URL": url, "LRS_BATCH_CHUNK_SIZE": "1",
               "LRS_WORKER_POLL_MS": "50", "PYTHONWARNINGS": "ignore"}
        worker = subprocess.Popen([sys.executable, "-m", "lrs_soap.entrypoints.cli", "worker"],
                                  env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  text=True)
        blips_done = []

        def blipper() -> None:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:  # from the first committed chunk on
                with watcher.connect() as connection:
                    if connection.scalar(sa.text(
                            "SELECT count(*) FROM batch_records WHERE processed_at IS NOT NULL")):
                        break
                time.sleep(0.05)
            for _ in range(BLIPS):
                blip(admin, database)
                blips_done.append(time.monotonic())
                time.sleep(0.1)

        thread = threading.Thread(target=blipper)
        try:
            thread.start()
            thread.join(timeout=120)
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                try:
                    with watcher.connect() as connection:
                        statuses = connection.execute(sa.text(
                            "SELECT status FROM batch_jobs ORDER BY id")).scalars().all()
                except sa.exc.OperationalError:
                    statuses = []
                if statuses and all(s in ("successful", "failed") for s in statuses):
                    break
                time.sleep(0.2)
            with watcher.connect() as connection:
                outcomes = connection.execute(sa.text(
                    "SELECT outcome_code, count(*) FROM batch_records GROUP BY outcome_code"
                )).all()
                learners = connection.execute(sa.text(
                    "SELECT count(*), count(DISTINCT demographics_key) FROM learners "
                    "WHERE family_name IN ('Alderton', 'Brightwater', 'Cunningham')")).one()
        finally:
            worker.terminate()
            log = worker.communicate(timeout=60)[0]
            watcher.dispose()
            admin.dispose()
    retried = log.count("transient), attempt")
    print(f"\n{len(blips_done)} blips; {retried} chunk retries; job statuses {statuses}")
    assert len(blips_done) == BLIPS
    assert statuses == ["successful"] * JOBS
    assert outcomes == [("WSRC0005", JOBS * RECORDS)]  # each record exactly once
    assert tuple(learners) == (JOBS * RECORDS, JOBS * RECORDS)
    assert retried >= 1  # the blips did hit chunks, and they were retried
    assert "job failed" not in log
