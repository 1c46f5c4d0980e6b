"""A batch worker started by `lrs-soap serve` whose serve is already gone exits at once,
before it imports the gateway or opens the database (the kernel's parent-death signal covers
the rest of its life: tests/e2e/test_front.py kills serve outright)."""

from __future__ import annotations

import os
import subprocess
import sys

from lrs_soap.entrypoints.worker_parent import PARENT_ENV


def test_a_worker_whose_serve_is_gone_exits_before_touching_the_database(tmp_path):
    database = tmp_path / "never.db"
    env = {**os.environ, PARENT_ENV: "1",  # not our parent: serve is gone
           "LRS_DATABASE_URL": f"sqlite:///{database}"}
    done = subprocess.run([sys.executable, "-m", "lrs_soap.entrypoints.worker_process",
                           "worker"],
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert not database.exists()
    assert done.stderr == ""


def test_a_worker_of_a_living_serve_goes_on_to_the_database(tmp_path):
    """The same start with this test as its serve: it reaches the database (an empty one,
    which it refuses), which the orphan above never did."""
    env = {**os.environ, PARENT_ENV: str(os.getpid()),
           "LRS_DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}"}
    done = subprocess.run([sys.executable, "-m", "lrs_soap.entrypoints.worker_process",
                           "worker"],
                          env=env, capture_output=True, text=True, timeout=60)
    assert "the database is at revision (none: empty)" in done.stderr
