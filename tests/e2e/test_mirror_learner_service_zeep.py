"""End to end: a zeep client built from wsdl/LearnerService.wsdl (as a client generated from
the live singleWsdl would be) calls every LearnerService.svc operation over HTTP."""

from __future__ import annotations

import datetime as dt

import pytest
import requests
import zeep
from lxml import etree
from zeep.exceptions import Fault

from lrs_soap.bootstrap import build_runtime
from lrs_soap.domain import uln as uln_rules
from lrs_soap.service.batches import RunSettings, run_next_job
from tests.batch_records import batch_record
from tests.conftest import DEMO_AO, DEMO_LRB, REPO
from tests.contract.learner_service_golden import (
    DUPLICATE,
    EXACT,
    MASTER,
    POSSIBLE,
    SEEDS,
    UNKNOWN,
    seed,
)

WSDL = REPO / "wsdl" / "LearnerService.wsdl"
BINDING = "{http://tempuri.org/}BasicHttpBinding_LearnerPortType"
EXCEPTION = "{http://api.lrs.miap.gov.uk/exceptions}MIAPAPIException"


@pytest.fixture(scope="module")
def lrs(gateway):
    seed(gateway.settings)
    client = zeep.Client(str(WSDL))
    return client.create_service(BINDING, f"{gateway.url}/LearnerService.svc")


def header(who=DEMO_LRB, **changes):
    """The BaseLearnerServiceRqst fields as a generated client fills them: UKPRN, with
    OrganisationRef null (zeep sends xsi:nil, as .NET does)."""
    return {"OrganisationRef": None, "UKPRN": who["ukprn"], "OrgPassword": who["password"],
            "UserName": who["user"], **changes}


def fault_code(call) -> str:
    with pytest.raises(Fault) as raised:
        call()
    assert raised.value.message == "uk.gov.miap.lrs.api.exceptions.MIAPAPIException"
    return raised.value.detail.find(EXCEPTION).findtext("ErrorCode")


def run_batch_jobs(gateway) -> None:
    with build_runtime(gateway.settings) as services:
        while run_next_job(services, RunSettings(worker="mirror-zeep-test")) is not None:
            pass


def test_the_served_wsdl_is_ours_with_our_address(gateway):
    for query in ("wsdl", "singleWsdl"):
        served = requests.get(f"{gateway.url}/LearnerService.svc?{query}", timeout=30)
        assert served.status_code == 200
        address = etree.fromstring(served.content).find(
            ".//{http://schemas.xmlsoap.org/wsdl/soap/}address")
        assert address.get("location") == f"{gateway.url}/LearnerService.svc"
    client = zeep.Client(f"{gateway.url}/LearnerService.svc?singleWsdl")
    operations = client.wsdl.bindings[BINDING]._operations
    assert set(operations) == {
        "learnerByULN", "learnerByDemographics", "registerSingleLearner", "updateSingleLearner",
        "submitBatchRegistration", "getBatchRegistrationOutput", "submitVerifyBatch",
        "getVerifyBatchOutput", "retrieveULNs", "verifyLearner"}
    assert {name: op.soapaction for name, op in operations.items()
            if op.soapaction} == {"verifyLearner": "http://tempuri.org/LearnerPortType/verifyLearner"}


def test_learner_by_uln(lrs):
    found = lrs.learnerByULN(FindType="FUL", **header(), ULN=EXACT, FamilyName="Mirrorexact",
                             GivenName="Mira")
    assert found.ResponseCode == "WSRC0004" and len(found.Learner) == 1
    learner = found.Learner[0]
    assert (learner.ULN, learner.GivenName, learner.DateOfBirth, learner.VersionNumber) == (
        EXACT, "Mira", "2001-02-03", 1)
    assert learner.LinkedULNs is None  # zeep reads the empty <LinkedULNs/> as nothing
    assert learner.Notes == "Mirror contract test learner"

    linked = lrs.learnerByULN(FindType="FUL", **header(), ULN=DUPLICATE,
                              FamilyName="Mirrorlinked", GivenName="Nia")
    assert linked.ResponseCode == "WSRC0022"
    assert (linked.Learner[0].ULN, linked.Learner[0].MasterSubstituted) == (MASTER, "Y")
    assert linked.Learner[0].LinkedULNs.ULN == [DUPLICATE]


def test_learner_by_demographics_then_register_then_update(lrs):
    person = {"FamilyName": "Mirrorzeep", "GivenName": "Zoe", "DateOfBirth": "2003-09-10",
              "Gender": "2", "LastKnownPostCode": "LS29JT"}
    nothing = lrs.learnerByDemographics(FindType="FUL", **header(), **person,
                                        PreviousFamilyName=None, SchoolAtAge16=None,
                                        PlaceOfBirth=None, EmailAddress=None)
    assert (nothing.ResponseCode, nothing.Learner, nothing.LastKnownPostCode) == (
        "WSRC0001", [], "LS29JT")
    details = {"GivenName": "Zoe", "FamilyName": "Mirrorzeep", "LastKnownPostCode": "LS2 9JT",
               "DateOfBirth": "2003-09-10", "Gender": "2", "VerificationType": "0",
               "AbilityToShare": "1"}
    registered = lrs.registerSingleLearner(**header(), Learner=details)
    assert registered.ResponseCode == "WSRC0005" and uln_rules.is_valid(registered.ULN)
    again = lrs.registerSingleLearner(**header(), Learner=details)
    assert (again.ResponseCode, again.ULN) == ("WSRC0021", None)

    moved = {**details, "LastKnownAddressTown": "Leeds", "ULN": registered.ULN}
    # zeep hands back the only child of a response (ResponseCode) itself
    assert lrs.updateSingleLearner(**header(), Learner={**moved, "VersionNumber": 1}) == (
        "WSRC0006")
    assert lrs.updateSingleLearner(**header(), Learner={**moved, "VersionNumber": 1}) == (
        "WSRC0013")
    exact = lrs.learnerByDemographics(FindType="FUL", **header(), **person,
                                      PreviousFamilyName=None, SchoolAtAge16=None,
                                      PlaceOfBirth=None, EmailAddress=None)
    assert exact.ResponseCode == "WSRC0004"
    assert (exact.Learner[0].LastKnownAddressTown, exact.Learner[0].VersionNumber) == ("Leeds", 2)


def test_learner_by_demographics_possible_match(lrs):
    possible = lrs.learnerByDemographics(
        FindType="FUL", **header(), FamilyName="Mirrorpossible", GivenName="Rosa",
        DateOfBirth="2004-05-06", Gender="2", LastKnownPostCode="LS1 4AP",
        PreviousFamilyName=None, SchoolAtAge16=None, PlaceOfBirth=None, EmailAddress=None)
    assert possible.ResponseCode == "WSRC0003"
    assert [learner.ULN for learner in possible.Learner] == [POSSIBLE]


def test_verify_learner(lrs):
    def verify(uln, family, given, dob=None, gender=None, who=DEMO_AO):
        return lrs.verifyLearner(**header(who), LearnerToVerify={
            "ULN": uln, "FamilyName": family, "GivenName": given, "DateOfBirth": dob,
            "Gender": gender})  # zeep unwraps VerifyLearnerResponse's only child

    match = verify(EXACT, "Mirrorexact", "Mira", "2001-02-03")
    assert (match.ResponseCode, match.ULN, match.FailureFlag) == ("WSVRC001", EXACT, [])
    assert verify(DUPLICATE, "Mirrorlinked", "Nia").ULN == MASTER
    mismatch = verify(EXACT, "Mirrorexact", "Mira", "2001-03-02", "1", who=DEMO_LRB)
    assert (mismatch.ResponseCode, mismatch.FailureFlag, mismatch.ULN) == (
        "WSVRC005", ["VRF7", "VRF8"], None)
    assert verify(UNKNOWN, "Body", "No").ResponseCode == "WSVRC006"


def test_retrieve_ulns(lrs):
    retrieved = lrs.retrieveULNs(**header(), ULNsToRetrieve={"ULN": [EXACT, DUPLICATE, UNKNOWN]})
    items = retrieved  # zeep unwraps the only child twice: the VerifiedULN list
    assert [(i.ULN, i.MasterULN, i.ResponseCode) for i in items] == [
        (EXACT, None, "WSRC0004"), (DUPLICATE, MASTER, "WSRC0022"), (UNKNOWN, None, "WSRC0001")]
    assert (items[1].GivenName, items[1].DateOfBirth) == ("Nia", "2002-03-04")


def held_record(uln: str) -> dict[str, str]:
    """A seeded learner's details as BatchLearner elements."""
    return {k: v for k, v in batch_record(dict(SEEDS)[uln]).items() if v is not None}


def test_registration_batch(lrs, gateway):
    records = [
        {"MISIdentifier": "Z1", "GivenName": "Zac", "FamilyName": "Mirrorzeepbatch",
         "LastKnownPostCode": "LS2 9JT", "DateOfBirth": "2002-10-11", "Gender": "1",
         "AbilityToShare": "1", "VerificationType": "0"},
        # Mira's record as held: an update that changes nothing (WSRC0020)
        {"ULN": EXACT, "MISIdentifier": "Z2", **held_record(EXACT)},
    ]
    submitted = lrs.submitBatchRegistration(**header(), JobType="FUL", LearnerRecordCount=2,
                                            Learner=records)
    assert submitted.ResponseCode == "WSRC0007" and submitted.JobID > 0
    waiting = lrs.getBatchRegistrationOutput(**header(), JobID=submitted.JobID)
    assert (waiting.ResponseCode, waiting.JobStatus, waiting.Learner) == (
        "WSRC0008", "Waiting", [])
    run_batch_jobs(gateway)
    done = lrs.getBatchRegistrationOutput(**header(), JobID=submitted.JobID)
    assert (done.ResponseCode, done.JobStatus, done.NewLearnersCount,
            done.ExistsUpdatedLearnersCount) == ("WSRC0009", "Successful", 1, 1)
    assert [(r.MISIdentifier, r.ReturnCode) for r in done.Learner] == [
        ("Z1", "WSRC0005"), ("Z2", "WSRC0020")]
    assert uln_rules.is_valid(done.Learner[0].ULN) and done.Learner[1].ULN == EXACT
    assert dt.datetime.strptime(done.JobFinishedDateTime, "%Y-%m-%d %H:%M:%S")

    wrong = lrs.submitBatchRegistration(**header(), JobType="CHK", LearnerRecordCount=2,
                                        Learner=records[:1])
    assert (wrong.ResponseCode, wrong.JobID) == ("WSRC0017", 0)
    unknown = lrs.getBatchRegistrationOutput(**header(), JobID=987654321)
    assert (unknown.ResponseCode, unknown.JobStatus) == ("WSRC0018", None)


def test_registration_batch_updates_the_learners_it_names(lrs, gateway):
    """A record with a ULN updates its learner (UpdateLearner's codes), one without a ULN
    that finds its learner stores what it carries that is newer."""
    zoe = {"GivenName": "Zoe", "FamilyName": "Mirrorupdate", "LastKnownPostCode": "LS2 9JT",
           "DateOfBirth": "2003-04-05", "Gender": "2", "AbilityToShare": "1",
           "VerificationType": "1"}
    first = lrs.submitBatchRegistration(**header(), JobType="FUL", LearnerRecordCount=1,
                                        Learner=[{"MISIdentifier": "U0", **zoe}])
    run_batch_jobs(gateway)
    uln = lrs.getBatchRegistrationOutput(**header(), JobID=first.JobID).Learner[0].ULN
    records = [{"ULN": uln, "MISIdentifier": "U1", **zoe, "EmailAddress": "zoe@example.org"},
               {"MISIdentifier": "U2", **zoe, "Notes": "found by demographics"}]
    second = lrs.submitBatchRegistration(**header(), JobType="FUL", LearnerRecordCount=2,
                                         Learner=records)
    run_batch_jobs(gateway)
    done = lrs.getBatchRegistrationOutput(**header(), JobID=second.JobID)
    assert [(r.MISIdentifier, r.ULN, r.ReturnCode) for r in done.Learner] == [
        ("U1", uln, "WSRC0006"), ("U2", uln, "WSRC0006")]
    assert (done.NewLearnersCount, done.ExistsUpdatedLearnersCount,
            done.RejectedLearnersCount) == (0, 2, 0)
    found = lrs.learnerByULN(FindType="FUL", **header(), ULN=uln, FamilyName="Mirrorupdate",
                             GivenName="Zoe").Learner[0]
    assert (found.EmailAddress, found.Notes, found.VersionNumber) == (
        "zoe@example.org", "found by demographics", 3)


def test_verification_batch(lrs, gateway):
    records = [{"MISIdentifier": "Q1", "ULN": EXACT, "FamilyName": "Mirrorexact",
                "GivenName": "Mira", "DateOfBirth": None, "Gender": None},
               {"MISIdentifier": "Q2", "ULN": DUPLICATE, "FamilyName": "Mirrorlinked",
                "GivenName": "Nia", "DateOfBirth": "2002-03-04", "Gender": "1"}]
    submitted = lrs.submitVerifyBatch(**header(DEMO_AO), LearnerRecordCount=2, OrgEmail=None,
                                      Learner=records)
    assert submitted.ResponseCode == "WSRC0007"
    assert lrs.getVerifyBatchOutput(**header(DEMO_AO),
                                    JobID=submitted.JobID).ResponseCode == "WSRC0008"
    run_batch_jobs(gateway)
    done = lrs.getVerifyBatchOutput(**header(DEMO_AO), JobID=submitted.JobID)
    assert (done.ResponseCode, done.JobStatus) == ("WSRC0009", "Successful")
    assert [(v.MISIdentifier, v.SearchedULN, v.ResponseCode) for v in done.VerifiedLearner] == [
        ("Q1", EXACT, "WSVRC001"), ("Q2", DUPLICATE, "WSVRC002")]
    wrong = lrs.submitVerifyBatch(**header(DEMO_AO), LearnerRecordCount=3, OrgEmail=None,
                                  Learner=records)
    assert wrong.ResponseCode == "WSRC0030"


def test_faults(lrs):
    def find(**changes):
        return lambda: lrs.learnerByULN(FindType="FUL", **header(**changes), ULN=EXACT,
                                        FamilyName="Mirrorexact", GivenName="Mira")

    assert fault_code(find(UKPRN="99999999")) == "WSEC0003"
    assert fault_code(find(OrgPassword="NotThePassword!!")) == "WSEC0005"
    assert fault_code(find(UKPRN=DEMO_AO["ukprn"], OrgPassword=DEMO_AO["password"])) == (
        "WSEC0006")
    assert fault_code(find(OrgPassword=None)) == "WSEC0001"  # the legacy XSD requires it
    assert fault_code(lambda: lrs.learnerByULN(
        FindType="FUL", **header(), ULN="5550001004", FamilyName="Mirrorexact",
        GivenName="Mira")) == "WSEC0136"
