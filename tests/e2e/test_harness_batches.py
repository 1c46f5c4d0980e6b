"""Batch timing and deterministic minting, as a harness tests its polling: hold, release,
fail, delay on the service clock, at once; the same seed mints the same ULNs and JobIDs."""

from __future__ import annotations

import datetime as dt
import time

import pytest
import zeep

AO = {"UKPRN": "10000002", "UserName": "demo", "OrgPassword": "DemoAwarding2026"}
LRB = {"UKPRN": "10000001", "UserName": "demo", "OrgPassword": "DemoCollege2026!"}
RECORDS = [{"ULN": "1026893096", "GivenName": "Sam", "FamilyName": "Example"}]
FAST = {"worker_poll_ms": 20}


def submit(service) -> int:
    submitted = service.SubmitVerifyBatch(Credentials=AO, LearnerRecordCount=1, Learner=RECORDS)
    assert submitted.ResponseCode == "WSRC0007"
    return submitted.JobID


def status(service, job_id) -> str:
    return service.GetVerifyBatch(Credentials=AO, JobID=job_id).ResponseCode


def settles(service, job_id, seconds=15.0) -> str:
    """The job's code once it is no longer WSRC0008 (or WSRC0008 after ``seconds``)."""
    deadline = time.monotonic() + seconds
    while (code := status(service, job_id)) == "WSRC0008" and time.monotonic() < deadline:
        time.sleep(0.05)
    return code


@pytest.mark.lrs_gateway(**FAST)
def test_held_jobs_wait_until_released(lrs_gateway):
    service = zeep.Client(lrs_gateway.wsdl_url).service
    lrs_gateway.control.set_batch_timing("hold")
    job = submit(service)
    time.sleep(0.5)  # 25 worker rounds
    assert status(service, job) == "WSRC0008"
    lrs_gateway.control.set_batch_timing("normal")
    assert settles(service, job) == "WSRC0009"


@pytest.mark.lrs_gateway(**FAST)
def test_failing_jobs_answer_wsrc0010(lrs_gateway):
    service = zeep.Client(lrs_gateway.wsdl_url).service
    lrs_gateway.control.set_batch_timing("fail")
    assert settles(service, submit(service)) == "WSRC0010"


@pytest.mark.lrs_gateway(batch_workers=0)
def test_immediate_jobs_are_done_when_submit_answers(lrs_gateway):
    service = zeep.Client(lrs_gateway.wsdl_url).service
    lrs_gateway.control.set_batch_timing("immediate")
    done = service.GetVerifyBatch(Credentials=AO, JobID=submit(service))
    assert done.ResponseCode == "WSRC0009"
    assert done.VerifiedLearner[0].ResponseCode == "WSVRC001"


@pytest.mark.lrs_gateway(frozen_at="2026-09-01T09:00:00+00:00", **FAST)
def test_a_delay_runs_on_the_service_clock(lrs_gateway):
    service = zeep.Client(lrs_gateway.wsdl_url).service
    lrs_gateway.control.set_batch_timing("delay", 600)
    job = submit(service)
    time.sleep(0.5)
    assert status(service, job) == "WSRC0008"
    lrs_gateway.control.move(dt.timedelta(minutes=10))
    assert settles(service, job) == "WSRC0009"


def register(service) -> str:
    person = {"GivenName": "Robin", "FamilyName": "Seeded", "DateOfBirth": dt.date(2005, 2, 3),
              "Gender": "2", "LastKnownPostCode": "LS2 9JT"}
    assert service.FindByDemographics(Credentials=LRB, FindType="FUL",
                                      Demographics=person).ResponseCode == "WSRC0001"
    registered = service.RegisterLearner(
        Credentials=LRB, Learner={**person, "VerificationType": "1", "AbilityToShare": "1"})
    assert registered.ResponseCode == "WSRC0005"
    return registered.ULN


@pytest.mark.lrs_gateway(batch_workers=0)
def test_the_same_seed_mints_the_same_ulns_and_job_ids(lrs_gateway):
    service = zeep.Client(lrs_gateway.wsdl_url).service
    control = lrs_gateway.control
    control.set_seed(2026)
    first = (register(service), submit(service), submit(service))
    control.reset("demo")  # keeps the seed; its draws start again
    second = (register(service), submit(service), submit(service))
    assert first == second
    control.set_seed(7)
    control.reset("demo")
    assert register(service) != first[0]


@pytest.mark.lrs_gateway(batch_workers=0)
def test_without_a_seed_job_ids_are_random_and_in_the_live_range(lrs_gateway):
    service = zeep.Client(lrs_gateway.wsdl_url).service
    jobs = [submit(service) for _ in range(6)]
    assert all(1 <= job <= 2**31 - 1 for job in jobs)  # xs:int on ExternalService
    assert len(set(jobs)) == 6
    gaps = {b - a for a, b in zip(jobs, jobs[1:], strict=False)}
    assert gaps != {1}  # not sequential: one organisation's JobID says nothing of another's
    assert all(status(service, job) == "WSRC0008" for job in jobs)
