"""The portal's form posts in the request journal, with their secrets blanked; and a grep of
everything stored and logged, SOAP calls included, for the passwords sent."""

from __future__ import annotations

import logging
import re
from urllib.parse import parse_qs

import pytest
import requests
import sqlalchemy as sa

from lrs_soap.observability.logs import JsonFormatter
from lrs_soap.service import journal
from tests.observability.conftest import find_by_uln

PORTAL_PASSWORD = "DemoPortalCollege1"  # the demo college's portal login (README)
WRONG = "NotThePassword99"
SOAP_WRONG = "WrongPassword123"


def signed_in_form(session: requests.Session, url: str, password: str) -> requests.Response:
    page = session.get(url + "/portal/sign-in", timeout=10).text
    token = re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', page).group(1)
    return session.post(url + "/portal/sign-in", timeout=10, allow_redirects=False, data={
        "organisation": "10000001", "user_name": "demo", "password": password,
        "csrf_token": token}, headers={"X-Request-Id": f"portal-{password[:3]}"})


@pytest.mark.lrs_gateway(journal="full")
def test_form_posts_are_journalled_and_no_secret_is_stored_or_logged(lrs_gateway, caplog):
    caplog.set_level(logging.DEBUG)
    browser = requests.Session()
    refused = signed_in_form(browser, lrs_gateway.url, WRONG)
    signed_in = signed_in_form(browser, lrs_gateway.url, PORTAL_PASSWORD)
    assert (refused.status_code, signed_in.status_code) == (400, 302)
    session_cookie = browser.cookies["lrs_portal"]
    token = re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"',
                      browser.get(lrs_gateway.url + "/portal/", timeout=10).text).group(1)
    browser.post(lrs_gateway.url + "/portal/sign-out", data={"csrf_token": token}, timeout=10,
                 allow_redirects=False)
    for password in (lrs_gateway.credentials["lrb"].password, SOAP_WRONG):
        requests.post(lrs_gateway.native_url, data=find_by_uln(password=password), timeout=10,
                      headers={"Content-Type": "text/xml"})

    calls = lrs_gateway.control.journal(envelopes=True)
    assert [(c.face, c.endpoint, c.operation, c.organisation, c.user_name, c.code)
            for c in calls] == [
        ("portal", "/portal/sign-in", "identity.sign_in", "10000001", "demo", "HTTP 400"),
        ("portal", "/portal/sign-in", "identity.sign_in", "10000001", "demo", "HTTP 302"),
        ("portal", "/portal/sign-out", "identity.sign_out", "10000001", "demo", "HTTP 302"),
        ("native", "/soap/v1", "FindByULN", "10000001", "demo", "WSRC0004"),
        ("native", "/soap/v1", "FindByULN", "10000001", "demo", "WSEC0005")]
    assert [c.request_id for c in calls[:2]] == ["portal-Not", "portal-Dem"]
    form = parse_qs(calls[0].request_envelope.decode())
    assert form == {"organisation": ["10000001"], "user_name": ["demo"], "password": ["***"],
                    "csrf_token": ["***"]}
    assert b"There is a problem" in calls[0].response_envelope  # the page as it was shown
    assert lrs_gateway.metric("lrs_soap_requests_total", face="portal") == 0  # SOAP calls only
    # the home page's counts: SOAP calls only, the form posts left out by their face
    since = calls[0].at
    soap = journal.count_calls(lrs_gateway.control.services, since=since,
                               organisation="10000001", faces=journal.SOAP_FACES)
    assert [(c.operation, c.code, c.calls) for c in soap] == [
        ("FindByULN", "WSEC0005", 1), ("FindByULN", "WSRC0004", 1)]
    every = journal.count_calls(lrs_gateway.control.services, since=since,
                                organisation="10000001")
    assert sum(c.calls for c in every) == 5 and ("identity.sign_in", "HTTP 302") in {
        (c.operation, c.code) for c in every}

    # Grep every stored row and every log line for the secrets sent.
    with lrs_gateway.control.services.uow_factory() as uow:
        rows = uow.session.execute(sa.text("SELECT * FROM request_journal")).all()
    stored = repr(rows).encode() + b"".join(v for row in rows for v in row
                                            if isinstance(v, bytes))
    formatter = JsonFormatter()
    logged = "\n".join(formatter.format(record) for record in caplog.records)
    assert len(rows) == 5 and '"event": "soap_call"' in logged and "identity.sign_in" in logged
    secrets = (PORTAL_PASSWORD, WRONG, SOAP_WRONG, lrs_gateway.credentials["lrb"].password,
               token, session_cookie)
    for secret in secrets:
        assert secret.encode() not in stored, secret
        assert secret not in logged, secret
