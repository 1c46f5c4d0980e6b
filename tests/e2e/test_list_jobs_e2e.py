"""ListJobs and `lrs-client jobs`: the caller's own organisation's batch jobs, newest first,
filtered by kind and status, paged; another organisation's jobs are never listed."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import requests
import zeep
from lrs_client.cli import main as client
from zeep.exceptions import Fault

from tests.conftest import DEMO_AO, DEMO_LRB, NATIVE_NS, SOAP_ENV, ContractChecker

SOAP_NS = SOAP_ENV.strip("{}")

AO = {"UKPRN": DEMO_AO["ukprn"], "UserName": DEMO_AO["user"], "OrgPassword": DEMO_AO["password"]}
LRB = {"UKPRN": DEMO_LRB["ukprn"], "UserName": DEMO_LRB["user"],
       "OrgPassword": DEMO_LRB["password"]}
SAM = [{"ULN": "1026893096", "GivenName": "Sam", "FamilyName": "Example"}]
NINE = "2026-09-01T09:00:00+00:00"


def verify_batch(service, caller: dict) -> int:
    submitted = service.SubmitVerifyBatch(Credentials=caller, LearnerRecordCount=1, Learner=SAM)
    assert submitted.ResponseCode == "WSRC0007"
    return submitted.JobID


def learner_batch(service) -> int:
    learner = {"GivenName": "Robin", "FamilyName": "Listed", "DateOfBirth": dt.date(2005, 2, 3),
               "Gender": "2", "LastKnownPostCode": "LS2 9JT", "VerificationType": "1",
               "AbilityToShare": "1"}
    submitted = service.SubmitLearnerBatch(Credentials=LRB, JobType="CHK",
                                           LearnerRecordCount=1, Learner=[learner])
    assert submitted.ResponseCode == "WSRC0007"
    return submitted.JobID


@pytest.fixture
def jobs(lrs_gateway):
    """Four LRB jobs a minute apart (the second done at once, the rest waiting: no batch
    worker runs) and one of the awarding organisation's in between."""
    service = zeep.Client(lrs_gateway.wsdl_url).service
    control = lrs_gateway.control
    made = {"first": verify_batch(service, LRB)}
    control.move(dt.timedelta(minutes=1))
    control.set_batch_timing("immediate")
    made["done"] = verify_batch(service, LRB)
    control.set_batch_timing("normal")
    control.move(dt.timedelta(minutes=1))
    made["ao"] = verify_batch(service, AO)
    control.move(dt.timedelta(minutes=1))
    made["learners"] = learner_batch(service)
    control.move(dt.timedelta(minutes=1))
    made["last"] = verify_batch(service, LRB)
    return service, made


@pytest.mark.lrs_gateway(frozen_at=NINE, batch_workers=0)
def test_own_jobs_newest_first_filtered_and_paged(lrs_gateway, jobs, capsys):
    service, made = jobs
    listed = service.ListJobs(Credentials=LRB)
    assert (listed.ResponseCode, listed.TotalItems, listed.PageCount) == ("WSRC0004", 4, 1)
    assert [(j.JobID, j.JobKind, j.JobStatus, j.NumberOfRecords, j.RecordsProcessed)
            for j in listed.Job] == [
        (made["last"], "verification", "waiting", 1, 0),
        (made["learners"], "learner_registration", "waiting", 1, 0),
        (made["done"], "verification", "successful", 1, 1),
        (made["first"], "verification", "waiting", 1, 0)]
    assert listed.Job[1].JobType == "CHK"
    assert listed.Job[0].SubmittedDateTime == dt.datetime(2026, 9, 1, 9, 4, tzinfo=dt.UTC)
    assert listed.Job[2].JobFinishedDateTime == dt.datetime(2026, 9, 1, 9, 1, tzinfo=dt.UTC)

    verify_waiting = service.ListJobs(Credentials=LRB, JobKind="verification",
                                      JobStatus="waiting")
    assert [j.JobID for j in verify_waiting.Job] == [made["last"], made["first"]]
    second_page = service.ListJobs(Credentials=LRB, Page=2, PageSize=3)
    assert (second_page.PageIndex, second_page.PageSize, second_page.PageCount,
            second_page.TotalItems) == (2, 3, 2, 4)
    assert [j.JobID for j in second_page.Job] == [made["first"]]
    none = service.ListJobs(Credentials=LRB, JobKind="achievement")
    assert (none.ResponseCode, none.TotalItems, none.Job) == ("WSRC0001", 0, [])

    theirs = service.ListJobs(Credentials=AO)
    assert [j.JobID for j in theirs.Job] == [made["ao"]]

    # the answer as sent is valid against the contract (every element of a BatchJob)
    raw = requests.post(lrs_gateway.native_url, headers={"Content-Type": "text/xml"}, data=(
        f'<s:Envelope xmlns:s="{SOAP_NS}" xmlns:v="{NATIVE_NS}"><s:Body><v:ListJobs>'
        f"<v:Credentials><v:UKPRN>{LRB['UKPRN']}</v:UKPRN><v:UserName>{LRB['UserName']}"
        f"</v:UserName><v:OrgPassword>{LRB['OrgPassword']}</v:OrgPassword></v:Credentials>"
        "</v:ListJobs></s:Body></s:Envelope>").encode(), timeout=10)
    checker = ContractChecker()
    checker.check(raw.content)
    assert (checker.checked, checker.failures) == (1, [])

    # lrs-client jobs shows the same
    login = ["--url", lrs_gateway.url, "--ukprn", DEMO_LRB["ukprn"], "--user",
             DEMO_LRB["user"], "--password", DEMO_LRB["password"]]
    capsys.readouterr()
    assert client([*login, "--json", "jobs", "--kind", "verify", "--status", "successful"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(j["JobID"], j["JobKind"], j["JobStatus"]) for j in data["Job"]] == [
        (made["done"], "verification", "successful")]

    assert client([*login, "jobs", "--page-size", "2"]) == 0
    shown = capsys.readouterr().out
    assert "4 jobs, newest first, page 1 of 2" in shown
    rows = [line.split("│")[1:4] for line in shown.splitlines() if line.startswith("│ ")]
    assert [[cell.strip() for cell in row] for row in rows] == [
        [str(made["last"]), "verify", "waiting"], [str(made["learners"]), "learner", "waiting"]]
    assert str(made["ao"]) not in shown


@pytest.mark.lrs_gateway(batch_workers=0)
def test_bad_filters_and_wrong_passwords_are_faults(lrs_gateway):
    service = zeep.Client(lrs_gateway.wsdl_url).service
    for request, code in (({"Credentials": {**LRB, "OrgPassword": "WrongPassword123"}},
                           "WSEC0005"),
                          ({"Credentials": LRB, "PageSize": 101}, "WSEC0001")):
        with pytest.raises(Fault) as raised:
            service.ListJobs(**request)
        fault = raised.value.detail.find(f"{{{NATIVE_NS}}}LrsFault")
        assert fault.findtext(f"{{{NATIVE_NS}}}ErrorCode") == code
