"""What a harness asserts after its client ran: the journal (from the control object and the
admin API) and the metrics, on a gateway of its own from the ``lrs_gateway`` fixture."""

from __future__ import annotations

import pytest
import requests
from lxml import etree

from tests.conftest import DEMO_LRB, NATIVE_NS

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"


def find_by_uln(uln: str, password: str = DEMO_LRB["password"]) -> bytes:
    return (f'<s:Envelope xmlns:s="{SOAP}" xmlns:v="{NATIVE_NS}"><s:Body><v:FindByULN>'
            "<v:Credentials><v:UKPRN>10000001</v:UKPRN><v:UserName>demo</v:UserName>"
            f"<v:OrgPassword>{password}</v:OrgPassword></v:Credentials>"
            f"<v:FindType>FUL</v:FindType><v:ULN>{uln}</v:ULN><v:GivenName>Sam</v:GivenName>"
            "<v:FamilyName>Example</v:FamilyName></v:FindByULN></s:Body></s:Envelope>").encode()


def call(gateway, body: bytes, request_id: str) -> requests.Response:
    return requests.post(gateway.native_url, data=body, timeout=10, headers={
        "Content-Type": "text/xml; charset=utf-8", "X-Request-Id": request_id})


def admin_journal(gateway, token: str | None = None, **params) -> requests.Response:
    token = gateway.admin_token if token is None else token
    return requests.get(gateway.admin_url + "/journal", params=params, timeout=10,
                        headers={"Authorization": f"Bearer {token}"})


@pytest.mark.lrs_gateway(journal="full")
def test_my_system_sent_exactly_these_three_calls(lrs_gateway):
    requests_before = lrs_gateway.metric("lrs_soap_requests_total")
    call(lrs_gateway, find_by_uln("1026893096"), "mine-1")
    call(lrs_gateway, find_by_uln("1026893096", password="WrongPassword123"), "mine-2")
    call(lrs_gateway, find_by_uln("1000000019"), "mine-3")

    calls = lrs_gateway.control.journal()
    assert [(c.request_id, c.operation, c.organisation, c.user_name, c.code, c.http_status)
            for c in calls] == [
        ("mine-1", "FindByULN", "10000001", "demo", "WSRC0004", 200),
        ("mine-2", "FindByULN", "10000001", "demo", "WSEC0005", 500),
        ("mine-3", "FindByULN", "10000001", "demo", "WSRC0001", 200)]
    assert [c.request_id for c in lrs_gateway.control.journal(code="WSEC0005")] == ["mine-2"]
    assert [c.request_id for c in lrs_gateway.control.journal(after_id=calls[0].id)] == [
        "mine-2", "mine-3"]

    assert requests_before == 0  # counted from this gateway's start
    assert lrs_gateway.metric("lrs_soap_requests_total") == 3
    assert lrs_gateway.metric("lrs_soap_requests_total", operation="FindByULN",
                              code="WSRC0004") == 1
    assert lrs_gateway.metric("lrs_soap_authentication_failures_total", code="WSEC0005") == 1
    assert lrs_gateway.metric("lrs_soap_request_duration_seconds_count", face="native") == 3
    assert lrs_gateway.metric("lrs_soap_batch_queue_depth", status="waiting") == 0


@pytest.mark.lrs_gateway(journal="full")
def test_the_admin_api_searches_the_journal_with_envelopes_on_request(lrs_gateway):
    call(lrs_gateway, find_by_uln("1026893096"), "api-1")
    call(lrs_gateway, find_by_uln("1026893096", password="WrongPassword123"), "api-2")

    found = admin_journal(lrs_gateway, operation="FindByULN", code="WSEC0005", org="10000001",
                          since="10m")
    assert found.status_code == 200
    [entry] = found.json()
    assert (entry["request_id"], entry["face"], entry["endpoint"], entry["http_status"]) == (
        "api-2", "native", "/soap/v1", 500)
    assert entry["request_envelope"] is None  # metadata unless envelopes are asked for

    [full] = admin_journal(lrs_gateway, request_id="api-2", envelopes="true").json()
    sent = etree.fromstring(full["request_envelope"].encode())
    assert sent.findtext(f".//{{{NATIVE_NS}}}OrgPassword") == "***"
    assert sent.findtext(f".//{{{NATIVE_NS}}}ULN") == "1026893096"
    answer = etree.fromstring(full["response_envelope"].encode())
    assert answer.findtext(f".//{{{NATIVE_NS}}}ErrorCode") == "WSEC0005"

    assert [e["request_id"] for e in admin_journal(lrs_gateway, limit="1").json()] == ["api-2"]
    assert admin_journal(lrs_gateway, since="2999-01-01").json() == []


def test_the_journal_route_is_guarded_and_refuses_bad_filters(lrs_gateway):
    call(lrs_gateway, find_by_uln("1026893096"), "guarded")
    refused = admin_journal(lrs_gateway, token="not-the-token-at-all")
    assert (refused.status_code, refused.text.count("guarded")) == (401, 0)
    for params, problem in (({"since": "yesterday"}, "'yesterday' is neither a time ago"),
                            ({"limit": "ten"}, "limit must be a whole number"),
                            ({"operaton": "FindByULN"}, "unknown journal filter(s) operaton")):
        response = admin_journal(lrs_gateway, **params)
        assert response.status_code == 400
        assert response.json()["error"].startswith(problem)


@pytest.mark.lrs_gateway(journal="off")
def test_an_off_journal_says_so_rather_than_answering_empty(lrs_gateway):
    response = admin_journal(lrs_gateway)
    assert response.status_code == 409
    assert response.json() == {
        "error": "the request journal is off (set LRS_JOURNAL=metadata or full)"}
