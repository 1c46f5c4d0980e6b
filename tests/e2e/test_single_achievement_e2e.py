"""Achievement management, single, over SOAP (zeep from wsdl/, every answer checked against
the XSD) and from lrs-client: the achievement appears on the learner's record at once."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import zeep
from lrs_client.cli import main

from lrs_soap.domain.model import LearnerDetails
from tests.conftest import DEMO_AO, DEMO_LRB, NATIVE_NS
from tests.e2e.own_learners import add_learners, native_service
from tests.e2e.test_find_by_uln_e2e import credentials, fault_code
from tests.ulns import valid_ulns

[ULN] = valid_ulns(1, 777_100_000)
AVA = LearnerDetails("Ava", "Singlecase", dt.date(2005, 4, 3), "2", "NE1 4ST",
                     verification_type="1", ability_to_share="1")


@pytest.fixture(scope="module")
def native(gateway):
    return native_service(gateway)


@pytest.fixture(scope="module")
def learner(gateway):
    add_learners(gateway, {ULN: AVA})
    return ULN


def achievement(action, reference="600/1234/5", **fields):
    return {"Action": action, "ULN": ULN, "GivenName": "Ava", "FamilyName": "Singlecase",
            "DateOfBirth": dt.date(2005, 4, 3), "Gender": "2",
            "QualificationReference": reference, "ActionDate": dt.date(2025, 9, 1),
            "ProviderUKPRN": "10000001", **fields}


def test_create_update_withdraw_reinstate_over_soap(native, learner):
    ao = credentials(DEMO_AO)
    created = native.SubmitAchievement(Credentials=ao, Achievement=achievement(
        "CREATE", Grade="Merit", AwardDate=dt.date(2025, 7, 1)))
    assert (created.ResponseCode, created.Outcome, created.ULN) == ("WSRC0006", "CREATED", ULN)
    event = created.LearningEvent
    assert (event.ID, event.SubjectCode, event.Grade, event.Status, event.Source) == (
        created.EventID, "600/1234/5", "Merit", "F", "AO")
    updated = native.SubmitAchievement(Credentials=ao, Achievement=achievement(
        "UPDATE", Grade="Distinction", AwardDate=dt.date(2025, 7, 1)))
    assert (updated.ResponseCode, updated.Outcome, updated.Changed) == (
        "WSRC0006", "UPDATED", ["Grade"])
    withdrawn = native.SubmitAchievement(Credentials=ao, Achievement=achievement(
        "WITHDRAW", ActionReason="entered against the wrong learner"))
    assert (withdrawn.ResponseCode, withdrawn.Outcome) == ("WSRC0006", "WITHDRAWN")
    record = native.GetLearnerRecord(Credentials=credentials(DEMO_LRB), ULN=ULN,
                                     GivenName="Ava", FamilyName="Singlecase", GetType="FULL")
    assert record.LearnerRecord is None or record.LearnerRecord.LearningEvent == []
    again = native.SubmitAchievement(Credentials=ao, Achievement=achievement(
        "WITHDRAW", ActionReason="twice"))
    assert (again.ResponseCode, again.Outcome, again.ErrorType) == (
        "WSRC0021", "REJECTED", "business")
    assert [(e.Field, e.Rule) for e in again.Error] == [
        ("Action", "the achievement is withdrawn already")]
    reinstated = native.SubmitAchievement(Credentials=ao, Achievement=achievement("REINSTATE"))
    assert reinstated.Outcome == "REINSTATED"
    record = native.GetLearnerRecord(Credentials=credentials(DEMO_LRB), ULN=ULN,
                                     GivenName="Ava", FamilyName="Singlecase", GetType="FULL")
    assert [(e.ID, e.Grade) for e in record.LearnerRecord.LearningEvent] == [
        (created.EventID, "Distinction")]


def test_refusals_are_faults_naming_the_field_or_rejections(native, learner):
    ao = credentials(DEMO_AO)
    assert fault_code(lambda: native.SubmitAchievement(Credentials=ao, Achievement=achievement(
        "CREATE", reference="K/501/5773"))) == "WSEC0001"
    with pytest.raises(zeep.exceptions.Fault) as fault:
        native.SubmitAchievement(Credentials=ao, Achievement=achievement(
            "CREATE", reference="K/501/5773", Grade="Pass", AwardDate=dt.date(2099, 1, 1)))
    assert "AwardDate is in the future" in fault.value.detail[0].findtext(
        f"{{{NATIVE_NS}}}FurtherDetails")
    assert fault_code(lambda: native.SubmitAchievement(
        Credentials=ao, Achievement={**achievement("PROMOTE"), "ULN": ULN[:9] + str(
            (int(ULN[9]) + 1) % 10)})) == "WSEC0136"
    wrong_names = native.SubmitAchievement(Credentials=ao, Achievement={
        **achievement("CREATE", reference="K/501/5773", Grade="Pass",
                      AwardDate=dt.date(2025, 7, 1)), "GivenName": "Zed"})
    assert (wrong_names.ResponseCode, wrong_names.ErrorType) == ("WSEC0208", "learner")
    assert [e.Field for e in wrong_names.Error] == ["GivenName"]
    not_an_ao = native.SubmitAchievement(Credentials=credentials(DEMO_LRB),
                                         Achievement=achievement("PROMOTE"))
    assert (not_an_ao.ResponseCode, not_an_ao.Outcome) == ("WSRC0043", None)


def run(gateway, *argv, who=DEMO_AO):
    return main(["--url", gateway.url, "--ukprn", who["ukprn"], "--user", who["user"],
                 "--password", who["password"], *argv])


def test_lrs_client_records_one_achievement(gateway, learner, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")
    who = ["Y/600/4321", "--dob", "2005-04-03", "--gender", "2", "--provider-ukprn", "10000001"]
    assert run(gateway, "achievement", "create", ULN, "Ava", "Singlecase", "--qualification",
               *who, "--grade", "Pass", "--award-date", "2025-06-30", "--provisional") == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "ResponseCode: WSRC0006 (achievement applied)"
    assert "Outcome: CREATED" in out
    assert "Health and safety in the workplace" in out
    assert run(gateway, "--json", "achievement", "promote", ULN, "Ava", "Singlecase",
               "--qualification", *who) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["Outcome"], data["LearningEvent"]["Status"]) == ("PROMOTED", "F")
    assert run(gateway, "achievement", "withdraw", ULN, "Ava", "Singlecase",
               "--qualification", *who) == 1
    assert "WSEC0001" in capsys.readouterr().err
