"""The batch commands of lrs-client against the real gateway with a real worker running:
submit a file, watch it finish, get the per-record results as CSV."""

from __future__ import annotations

import csv
import shutil
import threading

import pytest
from lrs_client.cli import main as client

from lrs_soap.bootstrap import build_runtime
from lrs_soap.service.batches import RunSettings, run_next_job
from tests.conftest import DEMO_AO, DEMO_LRB, REPO

DATA = REPO / "tests" / "cli" / "data"


@pytest.fixture
def worker(gateway):
    """A batch worker beside the gateway, for as long as the test runs."""
    stop = threading.Event()

    def work():
        with build_runtime(gateway.settings) as services:
            while not stop.is_set():
                if run_next_job(services, RunSettings(worker="e2e-worker"), stop.is_set) is None:
                    stop.wait(0.1)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join(timeout=30)


def run(gateway, who, *argv):
    return client(["--url", gateway.url, "--ukprn", who["ukprn"], "--user", who["user"],
                   "--password", who["password"], *argv])


def rows(path):
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_submit_learner_batch_writes_every_records_result(gateway, worker, tmp_path, capsys):
    batch = shutil.copy(DATA / "LRB_10000001_010520241200.CSV", tmp_path)
    # --check (find only): registering the sample's people would change what other tests
    # sharing this database find
    assert run(gateway, DEMO_LRB, "submit-learner-batch", str(batch), "--check",
               "--poll", "0.2") == 0
    results = rows(tmp_path / "LRB_10000001_010520241200.results.csv")
    assert len(results) >= 1
    assert all(row["ReturnCode"] for row in results)
    assert "WSRC0009" in capsys.readouterr().out


def test_submit_verify_batch(gateway, worker, tmp_path, capsys):
    batch = shutil.copy(DATA / "VLD_10000001_010520241200.CSV", tmp_path)
    assert run(gateway, DEMO_LRB, "submit-verify-batch", str(batch), "--poll", "0.2") == 0
    results = rows(tmp_path / "VLD_10000001_010520241200.results.csv")
    assert len(results) == 2
    assert {row["ResponseCode"] for row in results} <= {"WSVRC001", "WSVRC002", "WSVRC003",
                                                         "WSVRC004", "WSVRC005", "WSVRC006"}


def test_submit_achievement_batch_writes_results_and_errors(gateway, worker, tmp_path):
    source = (DATA / "ACH_10000001_010520241200.CSV").read_text()
    batch = tmp_path / "ACH_10000002_010520241200.CSV"  # from the demo awarding organisation
    batch.write_text(source.replace(",10000001,FINAL", ",10000002,FINAL"))
    assert run(gateway, DEMO_AO, "submit-achievement-batch", str(batch), "--poll", "0.2") == 0
    assert len(rows(tmp_path / "ACH_10000002_010520241200.results.csv")) == 3
    # the sample's learners are not held here: each record is rejected, and says why
    errors = rows(tmp_path / "ACH_10000002_010520241200.errors.csv")
    assert {row["RecordNumber"] for row in errors} == {"1", "2", "3"}


def test_get_batch_fetches_a_job_later(gateway, worker, tmp_path, capsys):
    batch = shutil.copy(DATA / "VLD_10000001_010520241200.CSV", tmp_path)
    assert run(gateway, DEMO_LRB, "submit-verify-batch", str(batch), "--no-wait") == 0
    job_id = capsys.readouterr().out.strip()
    assert run(gateway, DEMO_LRB, "get-batch", "VLD", job_id, "--wait", "--poll", "0.2") == 0
    assert "WSRC0009" in capsys.readouterr().out
