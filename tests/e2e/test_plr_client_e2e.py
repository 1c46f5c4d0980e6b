"""The Personal Learning Record through lrs-client against the real gateway, on the demo
data a newcomer gets: Priya Shah, her duplicate ULN merged into hers, her learning events."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from lrs_client.cli import main

from tests.conftest import DEMO_AO, DEMO_LRB

MASTER, DUPLICATE = "1964986809", "2468013572"


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch):
    """Tables as a wide terminal shows them, so cells are not folded across lines."""
    monkeypatch.setenv("COLUMNS", "250")


def run(gateway, *argv, who=DEMO_LRB):
    return main(["--url", gateway.url, "--ukprn", who["ukprn"], "--user", who["user"],
                 "--password", who["password"], *argv])


def as_json(gateway, capsys, *argv, who=DEMO_LRB):
    assert run(gateway, "--json", *argv, who=who) == 0
    return json.loads(capsys.readouterr().out)


def test_the_readme_lines_show_a_merged_learner(gateway, capsys):
    assert run(gateway, "find-by-uln", DUPLICATE, "Priya", "Shah") == 0
    out = capsys.readouterr().out
    assert "WSRC0022" in out and MASTER in out
    assert run(gateway, "get-learner-record", DUPLICATE, "Priya", "Shah") == 0
    out = capsys.readouterr().out
    assert "WSRC0022" in out and f"FoundULN: {MASTER}" in out
    assert "GCSE in Mathematics" in out and "4 learning events" in out


def test_record_json_brief_and_refusals(gateway, capsys):
    full = as_json(gateway, capsys, "get-learner-record", MASTER, "Priya", "Shah")
    assert (full["ResponseCode"], full["FoundULN"]) == ("WSRC0004", MASTER)
    sources = [event["Source"] for event in full["LearnerRecord"]]
    assert sources == ["NPD", "ILR", "ILR", "AO"]  # oldest first
    assert full["LearnerRecord"][0]["ParticipationStartDate"] == "2021-09-01"
    brief = as_json(gateway, capsys, "get-learner-record", MASTER, "Priya", "Shah", "--brief",
                    "--dob", "2007-03-09", "--gender", "2")
    assert brief["LearnerRecord"][0]["ParticipationStartDate"] is None
    assert brief["LearnerRecord"][0]["SubjectCode"] == "50079116"
    refused = as_json(gateway, capsys, "get-learner-record", MASTER, "Priya", "Patel")
    assert (refused["ResponseCode"], refused["FoundULN"], refused["LearnerRecord"]) == (
        "WSEC0208", None, [])
    assert run(gateway, "get-learner-record", MASTER, "Priya", "Patel") == 0
    assert "could not be verified" in capsys.readouterr().out
    assert run(gateway, "get-learner-record", MASTER, "Priya", "Shah", who=DEMO_AO) == 1
    assert "WSEC0006" in capsys.readouterr().err
    assert run(gateway, "get-learner-record", "1964986808", "Priya", "Shah") == 1
    assert "WSEC0136" in capsys.readouterr().err


def test_the_audit_lists_the_reads(gateway, capsys):
    as_json(gateway, capsys, "get-learner-record", DUPLICATE, "Priya", "Shah")
    audit = as_json(gateway, capsys, "learner-record-audit", MASTER, "Priya", "Shah",
                    "--page-size", "100")
    assert audit["ResponseCode"] == "WSRC0004"
    newest = audit["Entry"][0]
    assert (newest["ULN"], newest["Action"], newest["Outcome"], newest["UKPRN"]) == (
        DUPLICATE, "GetLearnerRecord", "WSRC0022", "10000001")
    assert audit["TotalItems"] == len(audit["Entry"]) >= 1
    assert run(gateway, "learner-record-audit", MASTER, "Priya", "Shah") == 0
    assert "GetLearnerRecord" in capsys.readouterr().out


def test_a_challenge_raised_and_corrected_through_the_client(gateway, capsys):
    record = as_json(gateway, capsys, "get-learner-record", MASTER, "Priya", "Shah")
    (achievement,) = [e for e in record["LearnerRecord"] if e["Source"] == "AO"]
    raised = as_json(gateway, capsys, "raise-event-challenge", MASTER, "Priya", "Shah",
                     str(achievement["ID"]), "--reason", "Grade should be Distinction")
    assert raised["Outcome"] == "RAISED"
    challenge_id = raised["Challenge"]["ChallengeID"]
    assert run(gateway, "event-challenges", "--owned", who=DEMO_AO) == 0
    assert "Grade should be Distinction" in capsys.readouterr().out
    assert run(gateway, "resolve-event-challenge", str(challenge_id), "--correct", who=DEMO_AO) == 1
    assert "WSEC0001" in capsys.readouterr().err
    resolved = as_json(gateway, capsys, "resolve-event-challenge", str(challenge_id),
                       "--correct", "--grade", "Distinction", "--reason", "remarked",
                       who=DEMO_AO)
    assert resolved["Outcome"] == "ACCEPTED"
    assert resolved["Challenge"]["LearningEvent"]["Grade"] == "Distinction"
    mine = as_json(gateway, capsys, "event-challenges", "--raised")
    assert any(c["ChallengeID"] == challenge_id and c["Status"] == "ACCEPTED"
               for c in mine["Challenge"])


def test_uln_challenges_and_the_report_through_the_client(gateway, capsys):
    raised = as_json(gateway, capsys, "raise-uln-challenge", MASTER, "--type", "shared-uln",
                     "--reason", "two Priya Shahs", who=DEMO_AO)
    assert (raised["Outcome"], raised["Challenge"]["ChallengeType"]) == ("RAISED", "SHARED_ULN")
    listed = as_json(gateway, capsys, "uln-challenges", "--status", "open", who=DEMO_AO)
    assert raised["Challenge"]["ChallengeID"] in [c["ChallengeID"] for c in listed["Challenge"]]
    today = dt.date.today()
    report = as_json(gateway, capsys, "uln-report", str(today - dt.timedelta(days=1)),
                     str(today + dt.timedelta(days=1)))
    assert {"MasterULN": MASTER, "MergedULN": DUPLICATE} in [
        {k: m[k] for k in ("MasterULN", "MergedULN")} for m in report["MergedLearner"]]
    assert run(gateway, "uln-report", "2001-01-01", "2001-01-31") == 0
    assert "WSRC0024" in capsys.readouterr().out
