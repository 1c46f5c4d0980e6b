"""Learner registration and verification batches end to end: submit over SOAP, a real
worker processes the job, the results come back over SOAP."""

from __future__ import annotations

import datetime as dt

import pytest
import zeep

from lrs_soap.bootstrap import build_runtime
from lrs_soap.service.batches import RunSettings, run_next_job
from tests.conftest import DEMO_AO, DEMO_LRB, NATIVE_NS, REPO
from tests.e2e.test_find_by_uln_e2e import (
    CREDS,
    credentials,
    envelope,
    fault_code,
    fault_of,
    post,
)

BINDING = f"{{{NATIVE_NS}}}LrsNativeBinding"


@pytest.fixture(scope="module")
def native(gateway):
    client = zeep.Client(str(REPO / "wsdl" / "lrs-native-v1.wsdl"))
    return client.create_service(BINDING, f"{gateway.url}/soap/v1")


@pytest.fixture
def process_jobs(gateway):
    """Run a real batch worker over the gateway's database until the queue is empty."""
    def run():
        with build_runtime(gateway.settings) as services:
            run = RunSettings(worker="test-worker")
            done = 0
            while run_next_job(services, run) is not None:
                done += 1
        assert done >= 1
    return run


def learner(given, family, dob, postcode, **extra):
    return {"GivenName": given, "FamilyName": family, "DateOfBirth": dob, "Gender": "2",
            "LastKnownPostCode": postcode, "VerificationType": "1", "AbilityToShare": "1",
            **extra}


def test_learner_batch_registers_finds_and_rejects(native, process_jobs):
    records = [
        learner("Batchy", "Newperson", dt.date(2001, 7, 7), "LS2 9JT", MISIdentifier="A1"),
        learner("Sam", "Example", dt.date(2000, 1, 31), "AB12 3DF", MISIdentifier="A2"),
        learner("Sam", "Example", dt.date(2000, 1, 31), "AB12 3DF", ULN="1026893096", Title="Ms"),
        learner("Tiny", "Toddler", dt.date.today() - dt.timedelta(days=800), "LS2 9JT"),
        learner("Batchy", "Newperson", dt.date(2001, 7, 7), "LS2 9JT", MISIdentifier="A5"),
    ]
    submitted = native.SubmitLearnerBatch(Credentials=credentials(), JobType="FUL",
                                          LearnerRecordCount=len(records), Learner=records)
    assert submitted.ResponseCode == "WSRC0007" and submitted.JobID
    waiting = native.GetLearnerBatch(Credentials=credentials(), JobID=submitted.JobID)
    assert waiting.ResponseCode == "WSRC0008" and waiting.Learner == []
    process_jobs()
    done = native.GetLearnerBatch(Credentials=credentials(), JobID=submitted.JobID)
    assert done.ResponseCode == "WSRC0009" and done.JobStatus == "successful"
    codes = [(r.RecordNumber, r.ReturnCode) for r in done.Learner]
    assert codes == [(1, "WSRC0005"), (2, "WSRC0004"), (3, "WSRC0020"), (4, "RC013"),
                     (5, "WSRC0004")]
    assert done.Learner[0].MISIdentifier == "A1" and done.Learner[0].ULN
    assert done.Learner[4].ULN == done.Learner[0].ULN  # found the one registered just before
    assert (done.NewLearnersCount, done.ExistsUpdatedLearnersCount,
            done.RejectedLearnersCount) == (1, 3, 1)
    assert done.JobStartedDateTime <= done.JobFinishedDateTime


def test_learner_batch_updates_like_update_learner(native, process_jobs):
    """Native face: a record with a ULN updates its learner; the same record again changes
    nothing (WSRC0020); a single UpdateLearner holding the old version is told WSRC0013."""
    rory = learner("Rory", "Nativeupdate", dt.date(2002, 9, 9), "LS2 9JT")
    first = native.SubmitLearnerBatch(Credentials=credentials(), JobType="FUL",
                                      LearnerRecordCount=1, Learner=[rory])
    process_jobs()
    uln = native.GetLearnerBatch(Credentials=credentials(), JobID=first.JobID).Learner[0].ULN
    moved = {**rory, "ULN": uln, "LastKnownAddressLine1": "9 New Road"}
    for expected in ("WSRC0006", "WSRC0020"):
        job = native.SubmitLearnerBatch(Credentials=credentials(), JobType="FUL",
                                        LearnerRecordCount=1, Learner=[moved]).JobID
        process_jobs()
        done = native.GetLearnerBatch(Credentials=credentials(), JobID=job)
        assert [(r.ULN, r.ReturnCode) for r in done.Learner] == [(uln, expected)]
        assert done.ExistsUpdatedLearnersCount == 1
    found = native.FindByULN(Credentials=credentials(), FindType="FUL", ULN=uln,
                             GivenName="Rory", FamilyName="Nativeupdate")
    assert (found.Learner.LastKnownAddressLine1, found.Learner.VersionNumber) == (
        "9 New Road", 2)
    stale = native.UpdateLearner(Credentials=credentials(), Learner={
        **rory, "ULN": uln, "VersionNumber": 1, "Notes": "too late"})
    assert stale.ResponseCode == "WSRC0013"


def test_learner_batch_with_a_wrong_record_count_is_wsrc0017(native):
    records = [learner("Count", "Wrong", dt.date(2001, 7, 8), "LS2 9JT")]
    response = native.SubmitLearnerBatch(Credentials=credentials(), JobType="CHK",
                                         LearnerRecordCount=2, Learner=records)
    assert response.ResponseCode == "WSRC0017" and response.JobID is None


def test_more_than_200_learners_is_a_schema_fault_naming_the_limit(gateway):
    record = ("<v:Learner><v:GivenName>Many</v:GivenName><v:FamilyName>People</v:FamilyName>"
              "<v:LastKnownPostCode>LS2 9JT</v:LastKnownPostCode>"
              "<v:DateOfBirth>2001-07-08</v:DateOfBirth><v:Gender>2</v:Gender>"
              "<v:VerificationType>1</v:VerificationType><v:AbilityToShare>1</v:AbilityToShare>"
              "</v:Learner>")
    response = post(gateway, envelope(
        f"<v:SubmitLearnerBatch>{CREDS}<v:JobType>CHK</v:JobType>"
        f"<v:LearnerRecordCount>201</v:LearnerRecordCount>{record * 201}"
        "</v:SubmitLearnerBatch>"))
    code, details = fault_of(response)
    assert code == "WSEC0001" and "Learner" in details


def test_check_batch_registers_nobody(native, process_jobs):
    records = [learner("Checky", "Onlyfind", dt.date(2002, 8, 8), "LS2 9JT")]
    job = native.SubmitLearnerBatch(Credentials=credentials(), JobType="CHK",
                                    LearnerRecordCount=1, Learner=records).JobID
    process_jobs()
    done = native.GetLearnerBatch(Credentials=credentials(), JobID=job)
    assert [r.ReturnCode for r in done.Learner] == ["WSRC0001"]
    assert done.LearnersNotFoundCount == 1


def test_verify_batch_gives_each_record_its_code_and_flags(native, process_jobs):
    records = [
        {"MISIdentifier": "V1", "ULN": "1026893096", "GivenName": "Sam", "FamilyName": "Example"},
        {"ULN": "1026893096", "GivenName": "Tom", "FamilyName": "Jones",
         "DateOfBirth": dt.date(1999, 1, 1)},
        {"ULN": "1748529632", "GivenName": "No", "FamilyName": "Body"},
        {"ULN": "1026893097", "GivenName": "Bad", "FamilyName": "Digit"},
    ]
    submitted = native.SubmitVerifyBatch(Credentials=credentials(DEMO_AO), LearnerRecordCount=4,
                                         Learner=records)
    assert submitted.ResponseCode == "WSRC0007"
    process_jobs()
    done = native.GetVerifyBatch(Credentials=credentials(DEMO_AO), JobID=submitted.JobID)
    assert done.ResponseCode == "WSRC0009"
    results = {r.RecordNumber: r for r in done.VerifiedLearner}
    assert results[1].ResponseCode == "WSVRC001" and results[1].MISIdentifier == "V1"
    assert results[2].ResponseCode == "WSVRC005" and "VRF7" in results[2].FailureFlag
    assert results[3].ResponseCode == "WSVRC006"
    assert results[4].ResponseCode == "WSEC0136"


def test_verify_batch_count_mismatch_is_wsrc0030(native):
    records = [{"ULN": "1026893096", "GivenName": "Sam", "FamilyName": "Example"}]
    response = native.SubmitVerifyBatch(Credentials=credentials(DEMO_AO), LearnerRecordCount=3,
                                        Learner=records)
    assert response.ResponseCode == "WSRC0030"


def test_unknown_or_foreign_job_is_wsrc0018(native):
    records = [{"ULN": "1026893096", "GivenName": "Sam", "FamilyName": "Example"}]
    job = native.SubmitVerifyBatch(Credentials=credentials(DEMO_AO), LearnerRecordCount=1,
                                   Learner=records).JobID
    assert native.GetVerifyBatch(Credentials=credentials(DEMO_LRB),
                                 JobID=job).ResponseCode == "WSRC0018"
    assert native.GetVerifyBatch(Credentials=credentials(DEMO_AO),
                                 JobID=999999).ResponseCode == "WSRC0018"
    assert native.GetLearnerBatch(Credentials=credentials(DEMO_LRB),
                                  JobID=job).ResponseCode == "WSRC0018"  # wrong kind


# ----- achievement batches -----

def achievement(action="CREATE", uln="1026893096", reference="100/2510/8", **changes):
    record = {"Action": action, "ULN": uln, "GivenName": "Sam", "FamilyName": "Example",
              "DateOfBirth": dt.date(2000, 1, 31), "Gender": "2",
              "QualificationReference": reference, "Grade": "Merit",
              "AwardDate": dt.date(2024, 7, 1), "ActionDate": dt.date(2024, 7, 2),
              "ProviderUKPRN": "10000001"}
    record.update(changes)
    return {k: v for k, v in record.items() if v is not None}


def submit_achievements(native, records, who=DEMO_AO, **extra):
    return native.SubmitAchievementBatch(Credentials=credentials(who),
                                         RecordCount=len(records), Achievement=records, **extra)


def test_achievement_batch_creates_withdraws_and_reports_errors(native, process_jobs):
    records = [
        achievement(uln="8383558804", GivenName="Tom", FamilyName="Jones",
                    DateOfBirth=dt.date(1998, 12, 24), Gender="1", MISIdentifier="T1"),
        achievement(uln="8383558804", GivenName="Tom", FamilyName="Jones",
                    DateOfBirth=dt.date(1998, 12, 24), Gender="1", reference="Y/600/4321"),
        achievement(reference="601/0000/X"),                        # another owner's
        achievement(uln="1748529632"),                              # nobody holds this ULN
        achievement(AwardDate=dt.date.today() + dt.timedelta(days=30)),  # in the future
        achievement(uln="1026893097"),                              # bad check digit
    ]
    submitted = submit_achievements(native, records, SubmissionType="PROVISIONAL")
    assert submitted.ResponseCode == "WSRC0007"
    process_jobs()
    done = native.GetAchievementBatch(Credentials=credentials(DEMO_AO), JobID=submitted.JobID)
    assert done.ResponseCode == "WSRC0009"
    assert (done.AchievementsCreated, done.RejectedRecords) == (2, 4)
    failing = {(e.RecordNumber, e.Field) for e in done.Error}
    assert {3, 4, 5, 6} == {record for record, _ in failing}
    assert (6, "ULN") in failing and (5, "AwardDate") in failing

    later = [achievement("PROMOTE", uln="8383558804", GivenName="Tom", FamilyName="Jones",
                         DateOfBirth=dt.date(1998, 12, 24), Gender="1"),
             achievement("WITHDRAW", uln="8383558804", GivenName="Tom", FamilyName="Jones",
                         DateOfBirth=dt.date(1998, 12, 24), Gender="1",
                         reference="Y/600/4321", ActionReason="entered in error")]
    job = submit_achievements(native, later).JobID
    process_jobs()
    done = native.GetAchievementBatch(Credentials=credentials(DEMO_AO), JobID=job)
    assert (done.AchievementsPromotedToFinal, done.AchievementsWithdrawn) == (1, 1)
    assert done.Error == []


def test_empty_achievement_batch_is_wsec0047(native):
    assert fault_code(lambda: submit_achievements(native, [])) == "WSEC0047"


def test_achievement_count_mismatch_is_wsrc0017(native):
    response = native.SubmitAchievementBatch(Credentials=credentials(DEMO_AO), RecordCount=5,
                                             Achievement=[achievement()])
    assert response.ResponseCode == "WSRC0017"


def test_a_learner_registration_body_cannot_submit_achievements_wsrc0043(native):
    response = submit_achievements(native, [achievement()], who=DEMO_LRB)
    assert response.ResponseCode == "WSRC0043" and response.JobID is None
