"""`lrs-soap events|learners|challenges`: the administrators' side of the Personal Learning
Record, run in-process against a fresh database with the demo data."""

from __future__ import annotations

import json
import re

import pytest

from lrs_soap.bootstrap import build_runtime
from lrs_soap.config import Settings
from lrs_soap.domain.model import LearnerStatus
from lrs_soap.domain.plr import RecordQuery
from lrs_soap.entrypoints.cli import main
from lrs_soap.service import accounts, challenges, plr
from lrs_soap.service.accounts import Credentials

SAM, ALEX, CHLOE, TOM = "1026893096", "6936002314", "4444599390", "8383558804"
PRIYA, PRIYA_DUPLICATE = "1964986809", "2468013572"
HEADER = ("uln,source,subject_code,subject,start_date,end_date,provider_ukprn,provider_name,"
          "collection_type,return_number\n")


@pytest.fixture
def database(fresh_database_url, monkeypatch):
    monkeypatch.setenv("LRS_DATABASE_URL", fresh_database_url)
    monkeypatch.setenv("COLUMNS", "250")
    assert main(["demo", "load"]) == 0
    return fresh_database_url


@pytest.fixture
def services(database):
    runtime = build_runtime(Settings(database_url=database))
    yield runtime.services
    runtime.close()


def college(services):
    return accounts.authenticate(services, Credentials("demo", "DemoCollege2026!",
                                                       ukprn="10000001"), "uln_challenge")


def learner(services, uln):
    with services.uow_factory() as uow:
        return uow.learners.by_uln(uln)


def record(services, uln, given, family):
    caller = accounts.authenticate(services, Credentials("demo", "DemoCollege2026!",
                                                         ukprn="10000001"),
                                   "read_learner_record")
    return plr.get_learner_record(services, caller, RecordQuery(uln, given, family))


def fails(argv, capsys, message):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in " ".join(err.split()), err
    assert "Traceback" not in err


# ----- events import -----

def test_events_import_adds_then_updates(services, tmp_path, capsys):
    path = tmp_path / "ilr.csv"
    path.write_text(HEADER + f"{SAM},ILR,60312345,Diploma,2019-09-02,2021-06-30,10000001,"
                             "Demo College,W,12\n", encoding="utf-8")
    assert main(["events", "import", str(path)]) == 0
    assert "1 added, 0 updated" in capsys.readouterr().out
    path.write_text(HEADER + f"{SAM},ILR,60312345,Diploma (new title),2019-09-02,2021-06-30,"
                             "10000001,Demo College,W,12\n", encoding="utf-8")
    assert main(["events", "import", str(path), "--by", "loader"]) == 0
    assert "0 added, 1 updated" in capsys.readouterr().out
    (event,) = record(services, SAM, "Sam", "Example").events
    assert (event.subject, event.return_number) == ("Diploma (new title)", "12")


def test_events_import_lists_every_bad_line_and_imports_nothing(services, tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + f"{SAM},ILR,60312345,Diploma,2019-09-02,2021-06-30,10000001,,,\n"
                             f"1748529632,ILR,60312345,Diploma,2019-09-02,,10000001,,,\n"
                             f"{SAM},XYZ,60312345,Diploma,2019-99-02,,1000,,,\n",
                    encoding="utf-8")
    assert main(["events", "import", str(path)]) == 2
    err = capsys.readouterr().err
    for expected in ("bad.csv line 3, column uln: is not the ULN of a known learner",
                     "bad.csv line 4, column source", "bad.csv line 4, column start_date",
                     "bad.csv line 4, column provider_ukprn"):
        assert expected in err
    assert record(services, SAM, "Sam", "Example").events == ()
    (tmp_path / "short.csv").write_text("uln,source\n", encoding="utf-8")
    fails(["events", "import", str(tmp_path / "short.csv")], capsys, "missing column(s)")


# ----- learners merge | unmerge | split | delete | report -----

def test_merge_with_a_challenge_then_unmerge(services, capsys):
    raised = challenges.raise_uln_challenge(services, college(services), CHLOE,
                                            "CREATED_INCORRECTLY", f"a duplicate of {SAM}")
    challenge = str(raised.challenge.id)
    assert main(["learners", "merge", CHLOE, SAM, "--challenge", challenge,
                 "--by", "ops"]) == 0
    out = capsys.readouterr().out
    assert f"ULN {CHLOE} merged into {SAM}" in out and f"challenge {challenge} resolved" in out
    assert learner(services, CHLOE).master_uln == SAM
    assert learner(services, SAM).linked_ulns == (CHLOE,)
    fails(["learners", "merge", CHLOE, TOM], capsys, f"ULN {CHLOE} is merged into {SAM}")
    fails(["learners", "merge", TOM, CHLOE], capsys, f"merge into {SAM} instead")
    fails(["learners", "unmerge", TOM], capsys, "only a merged ULN can be unmerged")
    fails(["learners", "merge", TOM, SAM, "--challenge", challenge], capsys, "resolved already")
    assert main(["learners", "unmerge", CHLOE]) == 0
    assert f"ULN {CHLOE} unmerged from {SAM}" in capsys.readouterr().out
    assert learner(services, CHLOE).status is LearnerStatus.ACTIVE
    with services.uow_factory() as uow:
        actions = [entry.action for entry in uow.access_log.page(
            ulns=[CHLOE], actions=["learner.merge", "learner.unmerge"], offset=0, limit=10)[1]]
    assert actions == ["learner.unmerge", "learner.merge"]


def test_the_demo_pair_cannot_be_unmerged_while_another_learner_has_its_demographics(
        services, capsys):
    assert learner(services, PRIYA_DUPLICATE).master_uln == PRIYA
    held = learner(services, PRIYA)
    twin = learner(services, PRIYA_DUPLICATE).details
    with services.uow_factory() as uow:
        uow.learners.update_details(PRIYA, twin, expected_version=held.version_number,
                                    now=services.clock())
        uow.commit()
    fails(["learners", "unmerge", PRIYA_DUPLICATE], capsys,
          f"cannot unmerge {PRIYA_DUPLICATE}: the active learner {PRIYA} has the same five "
          "demographics")
    assert learner(services, PRIYA_DUPLICATE).status is LearnerStatus.MERGED


def test_split_gives_the_second_person_a_new_uln_with_the_chosen_events(services, tmp_path,
                                                                        capsys):
    (event,) = [e for e in record(services, PRIYA, "Priya", "Shah").events if e.source == "AO"]
    raised = challenges.raise_uln_challenge(services, college(services), PRIYA, "SHARED_ULN",
                                            "two Priyas")
    assert main(["learners", "split", PRIYA, "--event", str(event.id), "--given-name", "Priya",
                 "--family-name", "Shah", "--dob", "2007-05-01", "--gender", "2",
                 "--postcode", "LE2 1AA", "--challenge", str(raised.challenge.id)]) == 0
    out = capsys.readouterr().out
    new_uln = re.search(r"second person is ULN (\d{10})", out).group(1)
    assert f"events moved: {event.id}" in out
    assert [e.id for e in record(services, new_uln, "Priya", "Shah").events] == [event.id]
    assert event.id not in [e.id for e in record(services, PRIYA, "Priya", "Shah").events]
    details = tmp_path / "third.json"
    details.write_text(json.dumps({"GivenName": "Pria", "FamilyName": "Shah",
                                   "DateOfBirth": "2007-06-01", "Gender": "2",
                                   "LastKnownPostCode": "LE3 1AA", "Title": "Ms"}))
    assert main(["learners", "split", PRIYA, "--from-json", str(details)]) == 0
    assert "events moved: none" in capsys.readouterr().out
    fails(["learners", "split", PRIYA, "--given-name", "X"], capsys,
          "the second person needs --family-name, --dob, --gender, --postcode")
    fails(["learners", "split", PRIYA, "--event", "99999", "--from-json", str(details)], capsys,
          "are not held under ULN")
    fails(["learners", "split", PRIYA_DUPLICATE, "--from-json", str(details)], capsys,
          f"split the master {PRIYA}")
    details.write_text(json.dumps({"Surname": "x"}))
    fails(["learners", "split", PRIYA, "--from-json", str(details)], capsys,
          "unknown field(s) Surname")


def test_delete_retires_a_uln(services, capsys):
    fails(["learners", "delete", PRIYA], capsys, "merged into 1964986809: unmerge")
    assert main(["learners", "delete", TOM]) == 0
    assert f"ULN {TOM} deleted" in capsys.readouterr().out
    assert record(services, TOM, "Tom", "Jones").code == "WSEC0208"
    fails(["learners", "delete", TOM], capsys, f"ULN {TOM} is deleted")
    fails(["learners", "delete", "1026893097"], capsys, "not a valid ULN (bad check digit)")


def test_the_report_names_the_learners_for_administrators(services, capsys):
    assert main(["learners", "delete", TOM]) == 0
    today = services.clock().date().isoformat()
    assert main(["learners", "report", "--from", today, "--to", today]) == 0
    out = capsys.readouterr().out
    assert "WSRC0004" in out and PRIYA_DUPLICATE in out and "Priya Shah 2007-03-09" in out
    assert "Deleted ULNs" in out and TOM in out and "Tom Jones" in out
    assert main(["learners", "report", "--from", "2001-01-01", "--to", "2001-01-02"]) == 0
    assert "WSRC0024 (nothing to report)" in capsys.readouterr().out
    fails(["learners", "report", "--from", "2020-01-01", "--to", "2022-01-01"], capsys,
          "longer than 366 days")


# ----- challenges list | reject -----

def test_challenges_are_listed_and_rejected(services, capsys):
    raised = challenges.raise_uln_challenge(services, college(services), SAM,
                                            "MERGED_INCORRECTLY", "Sam was never merged")
    assert main(["challenges", "list"]) == 0
    out = capsys.readouterr().out
    assert "Sam was never merged" in out and "MERGED_INCORRECTLY" in out
    assert main(["challenges", "reject", str(raised.challenge.id), "--reason",
                 "ULN 1026893096 is not merged"]) == 0
    assert "rejected" in capsys.readouterr().out
    assert main(["challenges", "list", "--status", "rejected"]) == 0
    assert "is not merged" in capsys.readouterr().out
    assert main(["challenges", "list", "--kind", "event", "--status", "all"]) == 0
    assert "0 in all" in capsys.readouterr().out
    fails(["challenges", "reject", str(raised.challenge.id), "--reason", "again"], capsys,
          "rejected already")
    fails(["challenges", "reject", "999", "--reason", "x"], capsys, "no ULN data challenge 999")
