"""Issue 18 item 5: the envelope checks WCF makes on LearnerServiceR9.svc and
ExternalService.svc before any operation runs, each fault compared as a tree with a golden
file (shapes inferred from WCF: no live R9/External fault was ever captured); and .svc paths
matched in any case, as IIS does."""

from __future__ import annotations

import pytest
import requests
from lxml import etree

from tests.contract.conftest import EXTERNAL_PATH, R9_PATH
from tests.contract.mirror_data import differences, golden, parse
from tests.contract.test_mirror_r9_external import EXTERNAL_ACTION, R9_ACTION, call

OWN_ORGANISATION = "r9/get_organisation_own_wcf.request.xml"
SECURITY_NS = ("http://docs.oasis-open.org/wss/2004/01/"
               "oasis-200401-wss-wssecurity-secext-1.0.xsd")


def with_header(request: bytes, header: str) -> bytes:
    return request.replace(b"<s:Body ", f"<s:Header>{header}</s:Header><s:Body ".encode(), 1)


def assert_fault(response: requests.Response, expected_file: str) -> None:
    assert response.status_code == 500, response.text
    actual = parse(response.content)
    problems = differences(actual, parse(golden(expected_file)), frozenset())
    assert not problems, "\n".join(problems)
    code = actual.find(".//faultcode")
    prefix, _, local = code.text.partition(":")
    expected_code = parse(golden(expected_file)).find(".//faultcode")
    assert (code.nsmap[prefix], local) == (expected_code.nsmap[prefix], local)


@pytest.mark.parametrize(("path", "request_file", "action", "expected"), [
    # an operation the current contract does not have (the older R9's)
    (R9_PATH, OWN_ORGANISATION, f'"{R9_ACTION}GetLearnerRecord"',
     "r9/fault_action_not_supported.response.xml"),
    # another operation's SOAPAction: WCF dispatches on it, then finds the wrong body
    (R9_PATH, OWN_ORGANISATION, f'"{R9_ACTION}LearnerByUln"',
     "r9/fault_other_operation_action.response.xml"),
    (EXTERNAL_PATH, "external/get_unknown_job_wcf.request.xml",
     f'"{R9_ACTION}GetOrganisation"', "external/fault_action_not_supported.response.xml"),
], ids=["unknown-action", "other-operation-action", "external-unknown-action"])
def test_a_mismatched_soap_action_is_refused_before_dispatch(gateway, path, request_file,
                                                              action, expected):
    assert_fault(call(gateway, path, golden(request_file), action), expected)


@pytest.mark.parametrize("action", [f'"{R9_ACTION}GetOrganisation"',
                                    f"{R9_ACTION}GetOrganisation", '""', None])
def test_the_operations_own_empty_or_no_soap_action_is_served(gateway, action):
    response = call(gateway, R9_PATH, golden(OWN_ORGANISATION), action)
    assert response.status_code == 200
    assert parse(response.content).findtext(".//{*}ResponseCode") == "WSRC0004"


MUST_UNDERSTAND = (f'<o:Security s:mustUnderstand="1" xmlns:o="{SECURITY_NS}">'
                   "<o:UsernameToken><o:Username>demo</o:Username></o:UsernameToken>"
                   "</o:Security>")


@pytest.mark.parametrize(("path", "request_file", "action"), [
    (R9_PATH, OWN_ORGANISATION, f'"{R9_ACTION}GetOrganisation"'),
    (EXTERNAL_PATH, "external/get_unknown_job_wcf.request.xml",
     f'"{EXTERNAL_ACTION}GetAchievementBatchJob"'),
], ids=["r9", "external"])
def test_a_must_understand_header_is_a_must_understand_fault(gateway, path, request_file,
                                                              action):
    request = with_header(golden(request_file), MUST_UNDERSTAND)
    assert_fault(call(gateway, path, request, action), "r9/fault_must_understand.response.xml")


@pytest.mark.parametrize("header", [
    MUST_UNDERSTAND.replace('s:mustUnderstand="1"', 's:mustUnderstand="0"'),
    MUST_UNDERSTAND.replace('s:mustUnderstand="1"', 's:mustUnderstand="1" '
                            's:actor="http://example.org/another-node"'),
    '<x:Trace xmlns:x="urn:example:trace">abc</x:Trace>',
], ids=["not-marked", "another-actor", "plain-header"])
def test_headers_we_need_not_understand_are_ignored(gateway, header):
    request = with_header(golden(OWN_ORGANISATION), header)
    response = call(gateway, R9_PATH, request, f'"{R9_ACTION}GetOrganisation"')
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("path", ["/learnerservicer9.svc", "/LEARNERSERVICER9.SVC",
                                  "/LearnerServiceR9.svc/"])
def test_svc_paths_match_in_any_case(gateway, path):
    response = call(gateway, path, golden(OWN_ORGANISATION), f'"{R9_ACTION}GetOrganisation"')
    assert response.status_code == 200
    wsdl = requests.get(f"{gateway.url}{path.upper()}?singleWsdl", timeout=10)
    assert wsdl.status_code == 200
    address = etree.fromstring(wsdl.content).find(
        ".//{http://schemas.xmlsoap.org/wsdl/soap/}address")
    assert address.get("location") == gateway.url + R9_PATH  # the canonical path
