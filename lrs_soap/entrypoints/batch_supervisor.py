"""`lrs-soap serve`'s batch workers: started beside the web workers, watched, replaced.

gunicorn's master loop calls ``tend`` about once a second and before it reaps children, so
a batch worker that dies (killed, crashed, out of memory) is noticed, logged with how it
ended, and started again after a back-off that doubles while workers keep dying young. Its
job is not lost: the lease it held runs out and the new worker carries on from the last
committed chunk.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass

from lrs_soap.config import Settings
from lrs_soap.entrypoints.worker_parent import PARENT_ENV
from lrs_soap.observability import multiprocess

log = logging.getLogger("lrs_soap.serve")

FIRST_DELAY, MAX_DELAY = 1.0, 60.0
# A worker that ran this long died of something new: its replacement starts at once.
STEADY_SECONDS = 60.0


@dataclass
class _Slot:
    process: subprocess.Popen | None = None
    started: float = 0.0
    next_start: float = 0.0
    quick_deaths: int = 0


class BatchSupervisor:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.slots = [_Slot() for _ in range(settings.batch_workers)]
        self.stopping = False

    def tend(self) -> None:
        """Notice dead workers and start the ones whose back-off has passed."""
        now = time.monotonic()
        for number, slot in enumerate(self.slots, 1):
            if slot.process is not None and slot.process.poll() is not None:
                self._buried(number, slot, now)
            if slot.process is None and not self.stopping and now >= slot.next_start:
                slot.process, slot.started = self._start(), now
                log.info("batch worker %s started (pid %s)", number, slot.process.pid)

    def _buried(self, number: int, slot: _Slot, now: float) -> None:
        code, pid = slot.process.returncode, slot.process.pid
        how = f"was killed by {signal.Signals(-code).name}" if code < 0 else f"exited ({code})"
        slot.quick_deaths = 0 if now - slot.started >= STEADY_SECONDS else slot.quick_deaths + 1
        delay = 0.0 if not slot.quick_deaths else min(
            MAX_DELAY, FIRST_DELAY * 2 ** (slot.quick_deaths - 1))
        slot.process, slot.next_start = None, now + delay
        multiprocess.forget_process(pid)  # no longer reported up in /metrics
        if not self.stopping:
            log.warning("batch worker %s (pid %s) %s; restarting in %.0f s", number, pid, how,
                        delay)

    def _start(self) -> subprocess.Popen:
        # A separate interpreter, not a fork of this one: gunicorn's master stays
        # single-threaded and the worker's database connections are its own.
        env = {**os.environ, "LRS_DATABASE_URL": self.settings.database_url,
               "LRS_LOG_LEVEL": self.settings.log_level, PARENT_ENV: str(os.getpid())}
        command = [sys.executable, "-m", "lrs_soap.entrypoints.worker_process", "worker"]
        return subprocess.Popen(command, env=env)

    def stop(self) -> None:
        """SIGTERM: each worker commits its chunk and exits; killed if it takes a lease."""
        self.stopping = True
        running = [slot.process for slot in self.slots if slot.process is not None]
        for process in running:
            process.terminate()
        for process in running:
            try:
                process.wait(timeout=self.settings.job_lease_seconds)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
