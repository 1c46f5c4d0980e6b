"""Injected faults on both SOAP faces: the next N calls answer an LRS fault, an HTTP error,
late or never; counted exactly, matched by operation and organisation, listed and cleared."""

from __future__ import annotations

import time

import pytest
import requests
from lxml import etree

from tests.conftest import NATIVE_NS

SOAP_ENV = "{http://schemas.xmlsoap.org/soap/envelope/}"
FIND = (
    '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" '
    'xmlns:v="urn:lrs-soap:native:v1"><s:Body><v:FindByULN><v:Credentials>'
    "<v:UKPRN>{ukprn}</v:UKPRN><v:UserName>demo</v:UserName>"
    "<v:OrgPassword>{password}</v:OrgPassword></v:Credentials><v:FindType>FUL</v:FindType>"
    "<v:ULN>1026893096</v:ULN><v:GivenName>Sam</v:GivenName><v:FamilyName>Example"
    "</v:FamilyName></v:FindByULN></s:Body></s:Envelope>")
LRB = {"ukprn": "10000001", "password": "DemoCollege2026!"}
AO = {"ukprn": "10000002", "password": "DemoAwarding2026"}
# The mirror's learnerByULN (LearnerService.svc), as a .NET client sends it.
MIRROR_FIND = (
    '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
    '<FindLearnerByULN xmlns="http://api.lrs.miap.gov.uk/findmsg">'
    '<FindType xmlns="">FUL</FindType><UKPRN xmlns="">10000001</UKPRN>'
    '<OrgPassword xmlns="">DemoCollege2026!</OrgPassword><UserName xmlns="">demo</UserName>'
    '<ULN xmlns="">1026893096</ULN><FamilyName xmlns="">Example</FamilyName>'
    '<GivenName xmlns="">Sam</GivenName></FindLearnerByULN></s:Body></s:Envelope>')


def call(gateway, who=LRB, timeout=10):
    return requests.post(gateway.native_url, data=FIND.format(**who).encode(),
                         headers={"Content-Type": "text/xml"}, timeout=timeout)


def outcome(response) -> str:
    """The ResponseCode, or the fault's ErrorCode, or the HTTP status."""
    if not response.headers.get("Content-Type", "").startswith("text/xml"):
        return f"HTTP {response.status_code}"
    body = etree.fromstring(response.content).find(f"{SOAP_ENV}Body")[0]
    code = body.find(f".//{{{NATIVE_NS}}}ErrorCode")
    if code is None:
        code = body.find(f"{{{NATIVE_NS}}}ResponseCode")
    return code.text


def test_the_next_two_calls_fault_then_calls_work_again(lrs_gateway):
    lrs_gateway.control.add_fault(action="fault", code="WSEC0004", count=2)
    assert [outcome(call(lrs_gateway)) for _ in range(3)] == [
        "WSEC0004", "WSEC0004", "WSRC0004"]
    assert lrs_gateway.control.faults() == []


def without_timestamp(content: bytes) -> bytes:
    root = etree.fromstring(content)
    for stamp in root.iter("{*}ErrorTimestamp"):
        stamp.text = "T"
    return etree.tostring(root, method="c14n")


def test_an_injected_fault_is_the_faces_own_fault(lrs_gateway):
    wrong = {**LRB, "password": "WrongCollege2026"}
    real = call(lrs_gateway, wrong)
    lrs_gateway.control.add_fault(action="fault", code="WSEC0005")
    injected = call(lrs_gateway)
    assert (injected.status_code, outcome(injected)) == (500, "WSEC0005")
    assert without_timestamp(injected.content) == without_timestamp(real.content)


def test_only_the_named_organisation_and_operation_are_hit(lrs_gateway):
    control = lrs_gateway.control
    control.add_fault(action="http", code="503", organisation="10000002")
    control.add_fault(action="http", code="500", operation="VerifyLearnerDetails")
    assert outcome(call(lrs_gateway, LRB)) == "WSRC0004"
    assert outcome(call(lrs_gateway, AO)) == "HTTP 503"  # then refused normally:
    assert outcome(call(lrs_gateway, AO)) == "WSEC0006"
    assert [(r.action, r.code, r.operation) for r in control.faults()] == [
        ("http", "500", "VerifyLearnerDetails")]
    assert control.clear_faults() == 1 and control.faults() == []


def test_the_mirror_face_gets_its_own_fault_shape(lrs_gateway):
    def find(envelope):
        return requests.post(lrs_gateway.mirror_url("LearnerService"), data=envelope.encode(),
                             headers={"Content-Type": "text/xml"}, timeout=10)

    real = find(MIRROR_FIND.replace("DemoCollege2026!", "WrongCollege2026"))
    lrs_gateway.control.add_fault(action="fault", code="WSEC0005", operation="learnerbyuln")
    assert outcome(call(lrs_gateway)) == "WSRC0004"  # the native FindByULN is not hit
    injected = find(MIRROR_FIND)
    assert injected.status_code == 500
    assert without_timestamp(injected.content) == without_timestamp(real.content)
    assert find(MIRROR_FIND).status_code == 200


def test_a_delay_answers_late_and_a_drop_never(lrs_gateway):
    control = lrs_gateway.control
    control.add_fault(action="delay", delay_ms=600)
    started = time.monotonic()
    assert outcome(call(lrs_gateway)) == "WSRC0004"
    assert time.monotonic() - started >= 0.6
    control.add_fault(action="drop")
    with pytest.raises(requests.ConnectionError):
        call(lrs_gateway)
    assert outcome(call(lrs_gateway)) == "WSRC0004"


@pytest.mark.parametrize(("rule", "message"), [
    ({"action": "fault", "code": "WSEC9999"}, "fault needs an LRS error code"),
    ({"action": "http", "code": "418"}, "http needs a status: 500, 502, 503, 504"),
    ({"action": "delay"}, "delay needs delay_ms from 1 to 120000"),
    ({"action": "explode"}, "action must be one of fault, http, delay, drop"),
    ({"action": "drop", "count": 0}, "count must be from 1 to 1000000"),
    ({"action": "drop", "organisation": "1000 0001"}, "not a UKPRN or OrganisationRef"),
])
def test_bad_rules_are_refused(lrs_gateway, rule, message):
    from lrs_soap.control.faults import FaultRuleError

    with pytest.raises(FaultRuleError, match=message):
        lrs_gateway.control.add_fault(**rule)
    assert lrs_gateway.control.faults() == []
