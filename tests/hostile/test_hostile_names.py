"""Hostile names against a real `lrs-soap serve`: names without a letter and bidirectional
control characters are refused with the same fault on every operation and face; a name
reducing to an empty key never matches (a ULN alone reveals nothing); a date of birth
changed by an update meets the registration age rules."""

from __future__ import annotations

import datetime as dt

import pytest
import zeep
from zeep.exceptions import Fault

from lrs_soap.bootstrap import build_runtime
from lrs_soap.config import Settings
from lrs_soap.domain.model import LearnerDetails
from lrs_soap.service.batches import RunSettings, run_next_job
from tests.conftest import NATIVE_NS, REPO
from tests.databases import fresh_database
from tests.e2e.servers import served_gateway
from tests.e2e.test_find_by_uln_e2e import credentials
from tests.ulns import valid_ulns

BINDING = f"{{{NATIVE_NS}}}LrsNativeBinding"
LEGACY_ULN = valid_ulns(1, 555_444_300)[0]
BAD_NAMES = ["!!!", "🙂🙂", "---", "'.'", "12345", "Sam\u202eSmith", "\u2066Ann\u2069"]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    with fresh_database(tmp_path_factory.mktemp("names")) as url, \
            served_gateway(url, "--batch-workers", "0") as gateway:
        # A learner stored before the rule existed, with names that reduce to nothing.
        with build_runtime(Settings(database_url=url)) as services, \
                services.uow_factory() as uow:
            now = dt.datetime.now(dt.UTC)
            uow.uln_registry.claim(LEGACY_ULN, now)
            uow.learners.add(LEGACY_ULN, LearnerDetails("!!!", "???", dt.date(2001, 2, 3), "1",
                                                        "LS2 9JT"), registered_by=None, now=now)
            uow.commit()
        client = zeep.Client(str(REPO / "wsdl" / "lrs-native-v1.wsdl"))
        service = client.create_service(BINDING, f"{gateway.url}/soap/v1")
        service.database_url = url  # for the batch test's worker
        yield service


def refusal(call) -> tuple[str, str]:
    with pytest.raises(Fault) as raised:
        call()
    fault = raised.value.detail.find(f"{{{NATIVE_NS}}}LrsFault")
    return (fault.find(f"{{{NATIVE_NS}}}ErrorCode").text,
            fault.find(f"{{{NATIVE_NS}}}FurtherDetails").text)


def person(given: str, family: str = "Fairweather") -> dict:
    return {"GivenName": given, "FamilyName": family, "DateOfBirth": dt.date(2003, 4, 5),
            "Gender": "1", "LastKnownPostCode": "LS2 9JT", "VerificationType": "1",
            "AbilityToShare": "1"}


def expected(name: str) -> str:
    if "\u202e" in name or "\u2066" in name:
        return "GivenName must not contain bidirectional control characters"
    return "GivenName must contain a letter"


@pytest.mark.parametrize("name", BAD_NAMES)
def test_every_operation_refuses_a_bad_name_with_the_same_fault(served, name):
    details = person(name)
    demographics = {k: details[k] for k in ("GivenName", "FamilyName", "DateOfBirth", "Gender",
                                            "LastKnownPostCode")}
    answers = {
        "RegisterLearner": refusal(lambda: served.RegisterLearner(
            Credentials=credentials(), Learner=details)),
        "FindByDemographics": refusal(lambda: served.FindByDemographics(
            Credentials=credentials(), FindType="FUL", Demographics=demographics)),
        "FindByULN": refusal(lambda: served.FindByULN(
            Credentials=credentials(), FindType="FUL", ULN=LEGACY_ULN, GivenName=name,
            FamilyName="Fairweather")),
        "VerifyLearnerDetails": refusal(lambda: served.VerifyLearnerDetails(
            Credentials=credentials(), ULN=LEGACY_ULN, GivenName=name,
            FamilyName="Fairweather")),
    }
    assert answers == dict.fromkeys(answers, ("WSEC0001", expected(name)))


def test_a_ulns_holder_with_letterless_names_is_not_found_by_other_letterless_names(served):
    # Before: FindByULN with any punctuation names answered WSRC0004 with the learner's
    # date of birth and postcode. Now the names are refused, and empty keys match nothing.
    assert refusal(lambda: served.FindByULN(
        Credentials=credentials(), FindType="FUL", ULN=LEGACY_ULN, GivenName="...",
        FamilyName="---")) == ("WSEC0001", "GivenName must contain a letter; "
                                           "FamilyName must contain a letter")
    retrieved = served.FindByULN(Credentials=credentials(), FindType="FUL", ULN=LEGACY_ULN,
                                 GivenName="Anyone", FamilyName="Else")
    assert retrieved.ResponseCode == "WSRC0001" and retrieved.Learner is None


def test_other_text_fields_refuse_bidi_controls_too(served):
    details = {**person("Robin"), "LastKnownAddressLine1": "1 High St\u202e"}
    assert refusal(lambda: served.RegisterLearner(Credentials=credentials(),
                                                  Learner=details)) == (
        "WSEC0001", "LastKnownAddressLine1 must not contain bidirectional control characters")


def test_an_update_cannot_move_the_date_of_birth_outside_the_registration_ages(served):
    details = person("Harriet", "Quennell")
    demographics = {k: details[k] for k in ("GivenName", "FamilyName", "DateOfBirth", "Gender",
                                            "LastKnownPostCode")}
    assert served.FindByDemographics(Credentials=credentials(), FindType="FUL",
                                     Demographics=demographics).ResponseCode == "WSRC0001"
    registered = served.RegisterLearner(Credentials=credentials(), Learner=details)
    assert registered.ResponseCode == "WSRC0005", registered.Reason
    today = dt.date.today()
    for born, age in ((today.replace(year=today.year - 5), 5),
                      (dt.date(today.year - 150, 1, 1), 150 if today >= dt.date(today.year, 1, 1)
                       else 149)):
        assert refusal(lambda born=born: served.UpdateLearner(
            Credentials=credentials(), Learner={**details, "DateOfBirth": born,
                                                "ULN": registered.ULN, "VersionNumber": 1})) == (
            "WSEC0001", f"The learner must be aged 13 to 110 at registration (is {age})")
    moved = served.UpdateLearner(Credentials=credentials(), Learner={
        **details, "DateOfBirth": dt.date(2003, 4, 6), "ULN": registered.ULN, "VersionNumber": 1})
    assert moved.ResponseCode == "WSRC0006"




def test_both_batch_kinds_reject_a_record_with_a_bad_name(served):
    learners = [person("!!!"), person("Sam\u202eX", "Nobody")]
    submitted = served.SubmitLearnerBatch(Credentials=credentials(), JobType="FUL",
                                          LearnerRecordCount=2, Learner=learners)
    verify = served.SubmitVerifyBatch(Credentials=credentials(), LearnerRecordCount=1, Learner=[
        {"ULN": LEGACY_ULN, "GivenName": "...", "FamilyName": "---"}])
    with build_runtime(Settings(database_url=served.database_url)) as services:
        while run_next_job(services, RunSettings("names-test")) is not None:
            pass
    done = served.GetLearnerBatch(Credentials=credentials(), JobID=submitted.JobID)
    assert [(r.ReturnCode, r.Reason) for r in done.Learner] == [
        ("RC011", "GivenName must contain a letter"),
        ("RC011", "GivenName must not contain bidirectional control characters")]
    checked = served.GetVerifyBatch(Credentials=credentials(), JobID=verify.JobID)
    assert [r.ResponseCode for r in checked.VerifiedLearner] == ["WSEC0001"]
