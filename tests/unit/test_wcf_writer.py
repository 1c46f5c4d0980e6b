"""The WCF DataContractSerializer writer of the mirror face (lrs_soap.soap.lrs.wcf)."""

from __future__ import annotations

import datetime as dt

import pytest
from lxml import etree

from lrs_soap.domain.codes import ErrorCode
from lrs_soap.domain.errors import LrsError
from lrs_soap.domain.sent_achievement import Action, SentAchievement
from lrs_soap.soap.lrs import external_mapping, learner_faults
from lrs_soap.soap.lrs.wcf import (
    ARRAYS_NS,
    MODEL_NS,
    TEMPURI_NS,
    Contract,
    Items,
    Nested,
    Writer,
    domain_fault_style,
    nil,
    omit,
    text,
    value,
)
from lrs_soap.soap.request_values import child_text

INNER = Contract("Inner", "urn:inner", ((nil("Name"), value("Size", 0)),))
OUTER = Contract("Outer", MODEL_NS, ((omit("ResponseCode"),), (
    value("Count", 0), nil("Empty"), omit("Hidden"), nil("Inner"), nil("List"), nil("Text"))))


def written(values) -> str:
    writer = Writer()
    response, result = writer.result(TEMPURI_NS, "Op", OUTER)
    writer.members(result, OUTER, values)
    return etree.tostring(response, encoding="unicode")


def test_members_in_order_with_nil_omission_defaults_and_prefixes():
    assert written({"Inner": Nested(INNER, {"Name": None}), "Text": "",
                    "List": Items(ARRAYS_NS, "string", ["a", "b"])}) == (
        '<OpResponse xmlns="http://tempuri.org/"><OpResult '
        'xmlns:a="http://api.lrs.qcf.gov.uk/model" '
        'xmlns:i="http://www.w3.org/2001/XMLSchema-instance">'
        '<a:Count>0</a:Count><a:Empty i:nil="true"/>'
        '<a:Inner xmlns:b="urn:inner"><b:Name i:nil="true"/><b:Size>0</b:Size></a:Inner>'
        '<a:List xmlns:c="http://schemas.microsoft.com/2003/10/Serialization/Arrays">'
        "<c:string>a</c:string><c:string>b</c:string></a:List><a:Text/></OpResult></OpResponse>")


def test_an_empty_list_is_an_empty_element_and_a_response_code_is_sent_when_given():
    out = written({"ResponseCode": "WSRC0004", "List": Items(MODEL_NS, "X", [])})
    assert "<a:ResponseCode>WSRC0004</a:ResponseCode>" in out and "<a:List/>" in out


def test_unknown_members_are_a_programming_error():
    with pytest.raises(KeyError):
        written({"Nope": 1})


def test_contract_tables_must_be_in_ordinal_order():
    with pytest.raises(ValueError):
        Contract("Bad", MODEL_NS, ((nil("Level"), nil("LanguageForAssessment")),))
    Contract("Good", MODEL_NS, ((nil("ID"), nil("LanguageForAssessment"), nil("Level")),))


@pytest.mark.parametrize(("given", "wire"), [
    (True, "true"), (7, "7"), (25.0, "25"), (200 / 3, "66.67"),
    (dt.date(2001, 2, 3), "2001-02-03T00:00:00"),
    (dt.datetime(2025, 7, 1, 8, 30, 5, 123456, tzinfo=dt.UTC), "2025-07-01T08:30:05Z"),
    (dt.datetime(2025, 7, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=1))),
     "2025-07-01T08:30:00Z"),
])
def test_scalars_as_datacontractserializer_writes_them(given, wire):
    assert text(given) == wire


def test_reading_treats_nil_and_absent_alike_and_keeps_empty_text():
    request = etree.fromstring(
        '<r xmlns="urn:x" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">'
        '<a i:nil="true"/><b/><c>v</c></r>')
    assert [child_text(request, "urn:x", name) for name in "abcd"] == [None, "", "v", None]


def test_an_achievement_is_read_from_live_members_into_the_domain_record():
    record = etree.fromstring(
        '<Achievement xmlns="http://api.lrs.qcf.gov.uk/services">'
        "<AchievementAwardDate>2025-06-30T00:00:00+01:00</AchievementAwardDate>"
        "<Action>3</Action><ActionDate>2025-07-01T23:30:00-05:00</ActionDate>"
        "<ActionReason>Wrong learner</ActionReason><FamilyName>Award</FamilyName>"
        "<Gender>2</Gender><GivenName>Fay</GivenName><ProviderUkprn>10000001</ProviderUkprn>"
        "<Uln>1026893096</Uln><UnitOrQualificationReferenceNumber>100/2510/8"
        "</UnitOrQualificationReferenceNumber></Achievement>")
    assert external_mapping.achievement(record) == SentAchievement(
        award_date=dt.date(2025, 6, 30), action=Action.WITHDRAW,
        action_date=dt.date(2025, 7, 1), action_reason="Wrong learner", family_name="Award",
        gender="2", given_name="Fay", provider_ukprn="10000001", uln="1026893096",
        qualification_reference="100/2510/8")


@pytest.mark.parametrize(("action", "read"), [("1", "CREATE"), ("2", "UPDATE"),
                                              ("3", "WITHDRAW"), ("4", "REINSTATE"),
                                              ("5", "PROMOTE"), ("0", None), ("6", None)])
def test_action_codes(action, read):
    record = external_mapping.achievement(etree.fromstring(
        f'<A xmlns="http://api.lrs.qcf.gov.uk/services"><Action>{action}</Action></A>'))
    assert record.action == read
    assert record.unreadable == ({} if read else {"action": action})


@pytest.mark.parametrize(("code", "faultcode"), [
    (ErrorCode.INVALID_REQUEST, "Client"), (ErrorCode.INCORRECT_PASSWORD, "Client"),
    (ErrorCode.NOT_VERIFIED, "Client"), (ErrorCode.UNKNOWN_EXCEPTION, "Server")])
def test_wcf_faults_blame_the_caller_for_its_mistakes_and_us_for_ours(code, faultcode):
    """WCF's FaultException<DomainFault> is a Sender (SOAP 1.1 Client) fault; the captured
    LearnerService.svc fault is Server even for a caller's mistake (lrs-wire 2.7)."""
    assert domain_fault_style().faultcode(LrsError(code=code)) == faultcode
    assert learner_faults.FAULTS.faultcode(LrsError(code=code)) == "Server"
