"""`lrs-soap worker`: process batch jobs until told to stop.

SIGTERM or SIGINT lets the current chunk commit, then the worker exits; a worker killed
outright loses only its uncommitted chunk, which another worker redoes once the lease ends.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import socket
import threading
import time

from lrs_soap.bootstrap import build_runtime
from lrs_soap.config import Settings
from lrs_soap.entrypoints.worker_parent import PARENT_ENV
from lrs_soap.service.batches import RunSettings, run_next_job
from lrs_soap.service.worker_health import Heartbeat

log = logging.getLogger(__name__)

def _orphaned() -> bool:
    parent = os.environ.get(PARENT_ENV)
    return bool(parent) and os.getppid() != int(parent)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _dead_here(name: str) -> bool:
    """A worker of this host whose process no longer exists (killed outright, say)."""
    host, _, pid = name.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


class OutageLog:
    """While the database is away a worker fails on every poll: the first failure is
    logged with its traceback, then one line at most every ``every`` seconds, then the
    recovery, instead of a traceback a poll."""

    def __init__(self, every: float = 30.0, clock=time.monotonic):
        self._clock = clock
        self._every, self._failures, self._last = every, 0, 0.0

    def failed(self, worker: str) -> None:
        self._failures += 1
        now = self._clock()
        if self._failures == 1:
            log.exception("batch worker %s: could not claim a job", worker)
            self._last = now
        elif now - self._last >= self._every:
            log.warning("batch worker %s: still failing to claim a job (%s tries)", worker,
                        self._failures)
            self._last = now

    def succeeded(self, worker: str) -> None:
        if self._failures:
            log.info("batch worker %s: claiming jobs again after %s failed tries", worker,
                     self._failures)
        self._failures = 0


def run_worker(settings: Settings, stop: threading.Event | None = None,
               max_jobs: int | None = None) -> int:
    """Process jobs until ``stop`` is set (or ``max_jobs`` were done); returns jobs done."""
    # Imported here, not at the top: `serve` imports this module before it sets up the
    # metrics directory, and prometheus_client must not be imported before that.
    from lrs_soap.observability import metrics

    stop = stop or threading.Event()
    run = RunSettings(worker=worker_name(), chunk_size=settings.batch_chunk_size,
                      lease=dt.timedelta(seconds=settings.job_lease_seconds))
    done, outage = 0, OutageLog()
    runtime = build_runtime(settings)
    with runtime as services:
        heartbeat = Heartbeat(services, run.worker, gone=_dead_here)
        log.info("batch worker %s started", run.worker)
        metrics.worker_started("batch")

        def stop_after_chunk() -> bool:
            heartbeat()
            return stop.is_set()

        while not stop.is_set() and (max_jobs is None or done < max_jobs):
            heartbeat()
            metrics.batch_worker_heartbeat(run.worker)
            if _orphaned():
                log.warning("batch worker %s: lrs-soap serve is gone; stopping", run.worker)
                break
            try:
                if runtime.control is not None:
                    runtime.control.refresh()  # the harness's shared clock
                job_id = run_next_job(services, run, stop_after_chunk)
                outage.succeeded(run.worker)
            except Exception:  # the database may be away: wait and try again
                outage.failed(run.worker)
                job_id = None
            if job_id is None:
                stop.wait(settings.worker_poll_ms / 1000)
            else:
                done += 1
        heartbeat.stop()
    log.info("batch worker %s stopped after %s job(s)", run.worker, done)
    return done


def main(settings: Settings) -> int:
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    run_worker(settings, stop)
    return 0
