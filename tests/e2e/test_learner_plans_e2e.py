"""ULN Learner Plans over SOAP (answers checked against the XSD) and from lrs-client, as the
demo's OLASS trainer."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from lrs_client.cli import main

from lrs_soap.domain.model import LearnerDetails
from tests.conftest import DEMO_LRB
from tests.e2e.own_learners import add_learners, native_service
from tests.e2e.test_find_by_uln_e2e import credentials, fault_code
from tests.ulns import valid_ulns

TRAINER = dict(ukprn="10000005", user="trainer", password="DemoTrainer2026!")
ULN, CLIENT_ULN = valid_ulns(2, 777_300_000)
MIA = LearnerDetails("Mia", "Plancase", dt.date(1999, 9, 9), "2", "HU1 1AA",
                     verification_type="1", ability_to_share="1")

LEO = LearnerDetails("Leo", "Clientcase", dt.date(1998, 8, 8), "1", "HU1 1AB",
                     verification_type="1", ability_to_share="1")


@pytest.fixture(scope="module")
def native(gateway):
    return native_service(gateway)


@pytest.fixture(scope="module")
def learner(gateway):
    add_learners(gateway, {ULN: MIA, CLIENT_ULN: LEO})
    return ULN


def aim(reference, status="PLANNED", **more):
    return {"Reference": reference, "PlannedStartDate": dt.date(2026, 1, 5),
            "PlannedEndDate": dt.date(2026, 6, 30), "Status": status, **more}


def test_save_read_and_a_stale_save_over_soap(native, learner):
    trainer = credentials(TRAINER)
    who = {"ULN": ULN, "GivenName": "Mia", "FamilyName": "Plancase"}
    created = native.SaveLearnerPlan(Credentials=trainer, **who, Goals="English",
                                     Aim=[aim("500/9999/1")])
    assert (created.ResponseCode, created.FoundULN, created.Plan.Version) == (
        "WSRC0006", ULN, 1)
    assert created.Plan.Aim[0].Title == "Functional Skills Qualification in English"
    assert created.Plan.Organisation == "Demo Prison Education"
    saved = native.SaveLearnerPlan(Credentials=trainer, **who, Version=1, Goals="English",
                                   Aim=[aim("500/9999/1", "COMPLETED", Outcome="Pass")])
    assert (saved.ResponseCode, saved.Plan.Version) == ("WSRC0006", 2)
    stale = native.SaveLearnerPlan(Credentials=trainer, **who, Version=1, Goals="Maths")
    assert (stale.ResponseCode, stale.Plan.Goals, stale.Plan.Version) == (
        "WSRC0013", "English", 2)
    read = native.GetLearnerPlans(Credentials=trainer, **who)
    [plan] = read.Plan
    assert [h.Change for h in plan.History] == [
        ["plan created with 1 aim"], ["aim 500/9999/1 outcome Pass",
                                      "aim 500/9999/1 status PLANNED -> COMPLETED"]]
    assert fault_code(lambda: native.GetLearnerPlans(Credentials=credentials(DEMO_LRB),
                                                     **who)) == "WSEC0006"
    assert fault_code(lambda: native.SaveLearnerPlan(
        Credentials=trainer, **who, Version=2, Aim=[aim("NOT/IN/REG")])) == "WSEC0001"


def run(gateway, *argv):
    return main(["--url", gateway.url, "--ukprn", TRAINER["ukprn"], "--user",
                 TRAINER["user"], "--password", TRAINER["password"], *argv])


def test_lrs_client_shows_the_demo_plan_and_saves_one(gateway, learner, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")
    assert run(gateway, "plan", "1026893096", "Sam", "Example") == 0
    out = capsys.readouterr().out
    assert "WSRC0004" in out and "IN_LEARNING" in out and "plan created with 2 aims" in out
    leo = (CLIENT_ULN, "Leo", "Clientcase")
    assert run(gateway, "save-plan", *leo, "--goals", "maths",
               "--aim", "Y/600/4321:2026-01-05:2026-02-05:PLANNED") == 0
    assert "WSRC0006" in capsys.readouterr().out
    assert run(gateway, "--json", "save-plan", *leo, "--version", "1", "--goals", "maths",
               "--aim", "Y/600/4321:2026-01-05:2026-02-05:completed:Pass") == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["ResponseCode"], data["Plan"]["Version"]) == ("WSRC0006", 2)
    assert data["Plan"]["Aim"][0]["Outcome"] == "Pass"
    assert run(gateway, "save-plan", *leo, "--version", "1", "--goals", "other") == 0
    assert "WSRC0013" in capsys.readouterr().out
    assert run(gateway, "plans") == 0
    assert "Demo Prison Education" in capsys.readouterr().out
    assert run(gateway, "save-plan", *leo, "--aim", "bad") == 2
