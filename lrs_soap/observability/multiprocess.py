"""The directory where every process of `lrs-soap serve` leaves its metric samples.

Set up before gunicorn forks and before anything imports prometheus_client (which picks
its multiprocess mode from the environment at import); removed when serve stops. Imports
prometheus_client only inside functions, for that reason.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

ENV = "PROMETHEUS_MULTIPROC_DIR"


def prepare() -> tuple[Path, bool]:
    """(the directory, whether we made it). An operator's own directory is emptied of old
    samples (a restarted server would otherwise add up its predecessor's counts)."""
    given = os.environ.get(ENV)
    if given:
        path = Path(given)
        path.mkdir(parents=True, exist_ok=True)
        for stale in path.glob("*.db"):
            stale.unlink()
        return path, False
    path = Path(tempfile.mkdtemp(prefix="lrs-soap-metrics-"))
    os.environ[ENV] = str(path)
    return path, True


def forget_process(pid: int) -> None:
    """A worker process has exited: drop its live-only gauges (liveness)."""
    if ENV in os.environ:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid)


def clean_up(path: Path, made_here: bool) -> None:
    if made_here:
        shutil.rmtree(path, ignore_errors=True)
        os.environ.pop(ENV, None)
