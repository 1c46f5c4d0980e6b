"""`lrs-soap serve` watches its batch workers: a worker killed outright mid-job is logged and
replaced, the job finishes exactly once within the lease plus the restart back-off, and
/healthz reports worker liveness and the age of the oldest waiting job."""

from __future__ import annotations

import os
import signal
import time

import pytest
import requests
import sqlalchemy as sa

from lrs_soap.store.orm import BatchJobRow
from tests.e2e.servers import served_gateway
from tests.e2e.test_serve import _children, _is_batch_worker
from tests.integration.test_worker_crash import (
    RECORDS,
    outcomes_and_survivors,
    processed,
    submit_people,
)

pytestmark = pytest.mark.slow

LEASE_SECONDS, FIRST_RESTART_SECONDS = 5, 1


def submit(url: str, count: int) -> int:
    return submit_people(url, count, load_demo=False)  # serve --demo loaded it


def health(url: str) -> dict:
    return requests.get(f"{url}/healthz", timeout=10).json()


def wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"gave up waiting for {what}")


def batch_workers(server_pid: int) -> list[int]:
    return [pid for pid in _children(server_pid) if _is_batch_worker(pid)]


def test_a_killed_batch_worker_is_replaced_and_its_job_finishes_once(fresh_database_url,
                                                                      monkeypatch):
    monkeypatch.setenv("LRS_BATCH_CHUNK_SIZE", "2")
    monkeypatch.setenv("LRS_JOB_LEASE_SECONDS", str(LEASE_SECONDS))
    monkeypatch.setenv("LRS_WORKER_POLL_MS", "50")
    url = fresh_database_url
    engine = sa.create_engine(url)
    with served_gateway(url, "--batch-workers", "1") as gateway:
        first = wait_for(lambda: batch_workers(gateway.process.pid), 30, "the batch worker")[0]
        wait_for(lambda: health(gateway.url)["batch_workers_alive"], 30, "a heartbeat")
        job_id = submit(url, RECORDS)
        wait_for(lambda: processed(engine, job_id) >= 10, 60, "the job to start")
        os.kill(first, signal.SIGKILL)  # no goodbye: mid-chunk, lease still held
        killed_at, at_kill = time.monotonic(), processed(engine, job_id)
        assert at_kill < RECORDS, "the job ended before the worker was killed"
        second = wait_for(lambda: [p for p in batch_workers(gateway.process.pid) if p != first],
                          30, "a new batch worker")[0]
        wait_for(lambda: [w for w in health(gateway.url)["batch_workers_alive"]
                          if w.endswith(f":{second}")], 60, "the new worker's heartbeat")
        restarted_after = time.monotonic() - killed_at  # back-off and the new worker's start
        wait_for(lambda: processed(engine, job_id) > at_kill, 60, "the job to go on")
        resumed_after = time.monotonic() - killed_at
        with engine.connect() as connection:
            status = wait_for(lambda: connection.scalar(sa.select(BatchJobRow.status).where(
                BatchJobRow.id == job_id)) in ("successful", "failed") and connection.scalar(
                sa.select(BatchJobRow.status).where(BatchJobRow.id == job_id)), 90, "the end")
        alive = health(gateway.url)["batch_workers_alive"]
        gateway.process.send_signal(signal.SIGTERM)
        gateway.process.wait(timeout=60)
        log = gateway.output()
    outcomes, survivors = outcomes_and_survivors(engine, job_id)
    engine.dispose()
    print(f"\nworker killed after {at_kill} of {RECORDS} records; replaced and running "
          f"{restarted_after:.1f} s later; the job went on after {resumed_after:.1f} s "
          f"(lease {LEASE_SECONDS} s)")
    assert status == "successful"
    assert outcomes == ["WSRC0005"] * RECORDS and survivors == RECORDS  # exactly once
    # Within the lease plus the restart (back-off and the new interpreter's start, which a
    # busy machine slows), plus 2 s for polling.
    assert restarted_after >= FIRST_RESTART_SECONDS
    assert resumed_after <= max(LEASE_SECONDS, restarted_after) + 2
    assert [w.rsplit(":", 1)[1] for w in alive] == [str(second)]
    assert f"batch worker 1 (pid {first}) was killed by SIGKILL; restarting in 1 s" in log
    assert f"batch worker 1 started (pid {second})" in log


def test_healthz_reports_the_oldest_waiting_job_and_no_workers(fresh_database_url):
    with served_gateway(fresh_database_url, "--batch-workers", "0") as gateway:
        assert health(gateway.url)["oldest_waiting_job_seconds"] is None
        submit(fresh_database_url, 2)
        time.sleep(1.2)
        report = health(gateway.url)
    assert report["status"] == "ok" and report["batch_workers_alive"] == []
    assert 1.0 <= report["oldest_waiting_job_seconds"] < 30
