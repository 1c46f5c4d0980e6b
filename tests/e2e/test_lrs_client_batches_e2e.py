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


def results(path):
    """The results CSV as (RecordNumber, MISIdentifier, and the rest) tuples."""
    return [tuple(row.values()) for row in rows(path)]


def test_submit_learner_batch_writes_every_records_result(gateway, worker, tmp_path, capsys):
    batch = tmp_path / "LRB_10000001_010520241200.CSV"
    # the sample's three people, whom the demo does not hold, and Sam Example, whom it does;
    # --check (find only): registering them would change what other tests sharing this
    # database find
    batch.write_text((DATA / batch.name).read_text()
                     + ",Sam,,Example,,,,,,,,,AB12 3DF,,2000-01-31,,2,,,,1,,1,,,S1\n")
    assert run(gateway, DEMO_LRB, "submit-learner-batch", str(batch), "--check",
               "--poll", "0.2") == 0
    assert results(tmp_path / "LRB_10000001_010520241200.results.csv") == [
        ("1", "A1", "WSRC0001", "", "", ""),
        ("2", "A2", "WSRC0001", "", "", ""),
        ("3", "A3", "WSRC0001", "", "", "no learner with this ULN and these names"),
        ("4", "S1", "WSRC0004", "1026893096", "", ""),
    ]
    assert "WSRC0009" in capsys.readouterr().out


def test_submit_verify_batch(gateway, worker, tmp_path, capsys):
    batch = tmp_path / "VLD_10000001_010520241200.CSV"
    batch.write_text((DATA / batch.name).read_text()
                     + "S1,1026893096,Sam,Example,2000-01-31,2\n"
                     + "S2,1026893096,Samuel,Example,2000-01-31,2\n"
                     + "P1,2468013572,Priya,Shah,2007-03-09,2\n")
    assert run(gateway, DEMO_LRB, "submit-verify-batch", str(batch), "--poll", "0.2") == 0
    assert results(tmp_path / "VLD_10000001_010520241200.results.csv") == [
        ("1", "V1", "1234567899", "WSVRC006", "", ""),
        ("2", "V2", "3234567890", "WSVRC006", "", ""),
        ("3", "S1", "1026893096", "WSVRC001", "", ""),
        ("4", "S2", "1026893096", "WSVRC003", "", ""),  # Samuel for Sam: a similar name
        ("5", "P1", "2468013572", "WSVRC002", "", ""),  # the duplicate merged into hers
    ]


def test_submit_achievement_batch_writes_results_and_errors(gateway, worker, tmp_path):
    source = (DATA / "ACH_10000001_010520241200.CSV").read_text()
    batch = tmp_path / "ACH_10000002_010520241200.CSV"  # from the demo awarding organisation
    batch.write_text(source.replace(",10000001,FINAL", ",10000002,FINAL"))
    assert run(gateway, DEMO_AO, "submit-achievement-batch", str(batch), "--poll", "0.2") == 0
    assert results(tmp_path / "ACH_10000002_010520241200.results.csv") == [
        ("1", "C1", "CREATE", "rejected"), ("2", "C2", "UPDATE", "rejected"),
        ("3", "C3", "WITHDRAW", "rejected")]
    # the sample's learners are not held here: each record is rejected, and says why
    assert results(tmp_path / "ACH_10000002_010520241200.errors.csv") == [
        (number, mis, "ULN", "is not the ULN of a known learner")
        for number, mis in (("1", "C1"), ("2", "C2"), ("3", "C3"))]


def test_get_batch_fetches_a_job_later(gateway, worker, tmp_path, capsys):
    batch = shutil.copy(DATA / "VLD_10000001_010520241200.CSV", tmp_path)
    assert run(gateway, DEMO_LRB, "submit-verify-batch", str(batch), "--no-wait") == 0
    job_id = capsys.readouterr().out.strip()
    assert run(gateway, DEMO_LRB, "get-batch", "VLD", job_id, "--wait", "--poll", "0.2") == 0
    assert "WSRC0009" in capsys.readouterr().out
