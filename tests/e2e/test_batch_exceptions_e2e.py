"""Learner batches that update, and their exceptions resolved, through lrs-client against
a gateway of their own (its learners change: the shared demo gateway's must not)."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
import re
import shutil
import threading
from wsgiref.simple_server import make_server

import pytest
from lrs_client.cli import main as client

from lrs_soap.bootstrap import build_runtime
from lrs_soap.config import Settings
from lrs_soap.domain.model import LearnerDetails
from lrs_soap.record_elements import DETAIL_FIELDS
from lrs_soap.service import demo
from lrs_soap.service.batches import RunSettings, run_next_job
from lrs_soap.store import migrate
from tests.batch_records import batch_record
from tests.conftest import DEMO_LRB, REPO, CheckedApp, _QuietHandler, _ThreadedServer
from tests.databases import fresh_database
from tests.ulns import valid_ulns

EXAMPLE = REPO / "docs" / "examples" / "LRB_10000001_040120261300.CSV"
HEADINGS = [element for element, _ in DETAIL_FIELDS] + ["ULN", "MISIdentifier"]


@pytest.fixture(scope="module")
def gateway(tmp_path_factory, contract_checker):
    """The demo data behind a real HTTP server, with a batch worker running beside it."""
    from lrs_soap.entrypoints.wsgi import create_app

    with fresh_database(tmp_path_factory.mktemp("exceptions-db")) as url:
        migrate.upgrade(url)
        server = make_server("127.0.0.1", 0, lambda e, s: app(e, s),
                             server_class=_ThreadedServer, handler_class=_QuietHandler)
        settings = Settings(database_url=url, possible_match_wait_seconds=0,
                            public_url=f"http://127.0.0.1:{server.server_port}")
        with build_runtime(settings) as services:
            demo.load(services)
        gateway_app = create_app(settings)
        app = CheckedApp(gateway_app, contract_checker)
        stop = threading.Event()
        threads = [threading.Thread(target=server.serve_forever, daemon=True),
                   threading.Thread(target=_work, args=(settings, stop), daemon=True)]
        for thread in threads:
            thread.start()
        yield dataclasses.make_dataclass("Gateway", ["url", "settings"])(
            f"http://127.0.0.1:{server.server_port}", settings)
        stop.set()
        server.shutdown()
        server.server_close()
        threads[1].join(timeout=30)
        gateway_app.close()


def _work(settings: Settings, stop: threading.Event) -> None:
    with build_runtime(settings) as services:
        while not stop.is_set():
            if run_next_job(services, RunSettings(worker="e2e"), stop.is_set) is None:
                stop.wait(0.1)


def lrs(gateway, capsys, *argv) -> tuple[int, str]:
    capsys.readouterr()
    code = client(["--url", gateway.url, "--ukprn", DEMO_LRB["ukprn"], "--user",
                   DEMO_LRB["user"], "--password", DEMO_LRB["password"], *argv])
    return code, capsys.readouterr().out


def lrs_json(gateway, capsys, *argv) -> dict:
    code, out = lrs(gateway, capsys, "--json", *argv)
    assert code == 0, out
    return json.loads(out)


def results(path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_readme_example(gateway, capsys, tmp_path):
    """The README's commands, in its order, with the answers its comments promise."""
    batch = shutil.copy(EXAMPLE, tmp_path)
    code, out = lrs(gateway, capsys, "submit-learner-batch", str(batch), "--send-anyway",
                    "--poll", "0.2")  # S5 breaks a record rule on purpose (RC011)
    assert code == 0 and "WSRC0009" in out
    rows = results(tmp_path / "LRB_10000001_040120261300.results.csv")
    assert [(r["MISIdentifier"], r["ReturnCode"], r["ULN"] or r["PossibleMatchULN"])
            for r in rows][:3] == [("S1", "WSRC0006", "1026893096"),
                                   ("S2", "WSRC0006", "8383558804"),
                                   ("S3", "WSRC0003", "6936002314")]
    assert [r["ReturnCode"] for r in rows[3:]] == ["WSRC0005", "RC011"]
    listing = lrs_json(gateway, capsys, "batch-exceptions")
    [exception] = listing["Exception"]
    assert (exception["ExceptionID"], exception["PossibleMatchULN"],
            exception["Learner"]["GivenName"]) == (1, ["6936002314"], "Alex")
    linked = lrs_json(gateway, capsys, "resolve-exception", "1", "--link", "6936002314",
                      "--reason", "moved next door")
    assert (linked["Outcome"], linked["ULN"]) == ("LINKED", "6936002314")
    again = lrs_json(gateway, capsys, "resolve-exception", "1", "--discard")
    assert (again["Outcome"], again["Exception"]["Status"]) == ("ALREADY_RESOLVED", "LINKED")
    code, out = lrs(gateway, capsys, "batch-exceptions", "--status", "linked")
    assert code == 0 and "1 exception (linked), page 1 of 1" in out
    sam = lrs_json(gateway, capsys, "find-by-uln", "1026893096", "Sam", "Example")
    assert sam["Learner"]["EmailAddress"] == "sam@example.org"


# ----- 200 records: new learners, updates, possible matches, too many, bad rows -------------

ULNS = valid_ulns(101, 303_000_000)
TWIN_BIRTHDAY = 199


def person(k: int, family: str, **changes) -> LearnerDetails:
    """Person ``k`` of the test: a birth date of their own (day 20: no day/month swap), so
    that no record finds another group's learners."""
    return dataclasses.replace(LearnerDetails(
        f"Given{chr(65 + k % 26)}{chr(65 + k // 26)}", family,
        dt.date(1950 + k // 12, 1 + k % 12, 20), "2", "LS2 9JT", verification_type="1"),
        **changes)


def row(details: LearnerDetails, mis: str, **elements) -> dict[str, str]:
    return batch_record(details, blank="", MISIdentifier=mis, **elements)


HELD = ([person(k, "Hundredupdate") for k in range(40)]
        + [person(40 + k, "Hundredexact") for k in range(20)]
        + [person(60 + k, "Hundredpossible") for k in range(30)]
        + [person(TWIN_BIRTHDAY, "Hundredtwin", given_name=name, gender="1") for name in (
            "Alfa", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India",
            "Juliett", "Kilo")])
YOUNG = dt.date.today().replace(year=dt.date.today().year - 5, month=1, day=20)


def two_hundred() -> tuple[list[dict[str, str]], list[str]]:
    """The records and the ReturnCode each must get."""
    records, codes = [], []

    def add(record, code):
        records.append(record)
        codes.append(code)

    for k in range(60):
        add(row(person(100 + k, "Hundrednew"), f"N{k}"), "WSRC0005")
    for i in range(40):
        add(row(dataclasses.replace(HELD[i], email_address=f"u{i}@example.org"), f"U{i}",
                ULN=ULNS[i]), "WSRC0006")
    for i in range(20):
        add(row(HELD[40 + i], f"E{i}"), "WSRC0004")
    for i in range(30):
        add(row(dataclasses.replace(HELD[60 + i], postcode="LS2 9JU"), f"P{i}"), "WSRC0003")
    for i in range(10):
        add(row(person(TWIN_BIRTHDAY, "Hundredtwin", given_name=f"Zulu{chr(65 + i)}",
                       gender="1"), f"T{i}"), "WSRC0002")
    for k in range(20):
        add(row(person(160 + k, "Hundredbad", verification_type="999"), f"B{k}"), "RC011")
    for k in range(10):
        add(row(person(k, "Hundredyoung", date_of_birth=YOUNG), f"Y{k}"), "RC013")
    for i in range(5):
        add(row(HELD[i], f"D{i}", ULN=ULNS[i][:-1] + str((int(ULNS[i][-1]) + 1) % 10)),
            "RC011")
    for i in range(5):
        add(row(dataclasses.replace(HELD[i], given_name="Someoneelse"), f"W{i}",
                ULN=ULNS[i]), "WSRC0001")
    return records, codes


@pytest.mark.slow
def test_a_200_record_batch_and_every_exception_resolved(gateway, capsys, tmp_path):
    with build_runtime(gateway.settings) as services:
        now = services.clock()
        with services.uow_factory() as uow:
            for uln, details in zip(ULNS, HELD, strict=True):
                uow.uln_registry.claim(uln, now)
                uow.learners.add(uln, details, registered_by=None, now=now)
            uow.commit()
    records, expected = two_hundred()
    path = tmp_path / "LRB_10000001_050120261200.CSV"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(HEADINGS)
        writer.writerow(["2A", "Two hundred", "10000001", "mis@college.example.org"])
        writer.writerows([[record.get(name, "") for name in HEADINGS] for record in records])
    code, out = lrs(gateway, capsys, "submit-learner-batch", str(path), "--send-anyway",
                    "--poll", "0.2")  # its bad rows break record rules on purpose
    assert code == 0, out
    rows = results(tmp_path / "LRB_10000001_050120261200.results.csv")
    assert [(r["MISIdentifier"], r["ReturnCode"]) for r in rows] == [
        (record["MISIdentifier"], code) for record, code in zip(records, expected, strict=True)]
    job_id = re.search(r"JobID (\d+)", out).group(1)
    report = lrs_json(gateway, capsys, "get-batch", "learner", job_id)
    assert (report["NewLearnersCount"], report["ExistsUpdatedLearnersCount"],
            report["PossibleMatchLearnersCount"], report["LearnersNotFoundCount"],
            report["RejectedLearnersCount"]) == (60, 60, 40, 5, 35)
    for i in (0, 39):
        found = lrs_json(gateway, capsys, "find-by-uln", ULNS[i], HELD[i].given_name,
                         "Hundredupdate")
        assert (found["Learner"]["EmailAddress"], found["Learner"]["VersionNumber"]) == (
            f"u{i}@example.org", 2)

    listing = lrs_json(gateway, capsys, "batch-exceptions", "--page-size", "100")
    assert listing["TotalItems"] == 40
    open_ones = listing["Exception"]
    assert [e["ReturnCode"] for e in open_ones] == ["WSRC0003"] * 30 + ["WSRC0002"] * 10
    outcomes = []
    for n, exception in enumerate(open_ones):
        if exception["ReturnCode"] == "WSRC0003" and n % 3 == 0:
            choice = ["--link", exception["PossibleMatchULN"][0]]
        elif exception["ReturnCode"] == "WSRC0002" and n % 2 == 0:
            choice = ["--link", ULNS[90 + n % 11]]
        elif n % 3 == 1 or exception["ReturnCode"] == "WSRC0002":
            choice = ["--register"]
        else:
            choice = ["--discard"]
        answer = lrs_json(gateway, capsys, "resolve-exception", str(exception["ExceptionID"]),
                          *choice)
        outcomes.append(answer["Outcome"])
        if choice == ["--register"]:
            name = exception["Learner"]
            found = lrs_json(gateway, capsys, "find-by-uln", answer["ULN"], name["GivenName"],
                             name["FamilyName"])
            assert found["ResponseCode"] == "WSRC0004"
    assert (outcomes.count("LINKED"), outcomes.count("REGISTERED"),
            outcomes.count("DISCARDED")) == (15, 15, 10)
    assert lrs_json(gateway, capsys, "batch-exceptions")["ResponseCode"] == "WSRC0001"
    again = lrs_json(gateway, capsys, "resolve-exception", str(open_ones[0]["ExceptionID"]),
                     "--discard")
    assert again["Outcome"] == "ALREADY_RESOLVED"
