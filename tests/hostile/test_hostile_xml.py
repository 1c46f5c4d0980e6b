"""Hostile and malformed input over real HTTP: each gets a clean SOAP fault (or a clean HTTP
error where no SOAP answer is possible), nothing leaks, and the next valid call still works."""

from __future__ import annotations

import pytest
import requests
import sqlalchemy as sa
from lxml import etree

from lrs_soap.soap.native.app import CAPABILITIES
from lrs_soap.store.orm import Base
from tests.conftest import NATIVE_NS

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
VALID = (f'<s:Envelope xmlns:s="{SOAP}" xmlns:v="{NATIVE_NS}"><s:Body><v:FindByULN>'
         "<v:Credentials><v:UKPRN>10000001</v:UKPRN><v:UserName>demo</v:UserName>"
         "<v:OrgPassword>DemoCollege2026!</v:OrgPassword></v:Credentials>"
         "<v:FindType>FUL</v:FindType><v:ULN>1026893096</v:ULN><v:GivenName>Sam</v:GivenName>"
         "<v:FamilyName>Example</v:FamilyName></v:FindByULN></s:Body></s:Envelope>")


def with_doctype(doctype: str, user_name: str) -> bytes:
    body = VALID.replace("<v:UserName>demo</v:UserName>", f"<v:UserName>{user_name}</v:UserName>")
    return f'<?xml version="1.0"?>{doctype}{body}'.encode()


LAUGHS = ('<!DOCTYPE s:Envelope [<!ENTITY a "lol">'
          + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'
                    for i in range(9)) + "]>")

CASES = {
    "xxe local file": with_doctype('<!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
                                   "&x;"),
    "xxe network url": with_doctype(
        '<!DOCTYPE s [<!ENTITY x SYSTEM "http://127.0.0.1:9/secret">]>', "&x;"),
    "billion laughs": with_doctype(LAUGHS, "&j;"),
    "quadratic blowup": with_doctype(
        f'<!DOCTYPE s [<!ENTITY a "{"x" * 50_000}">]>', "&a;" * 2_000),
    "external dtd": with_doctype('<!DOCTYPE s SYSTEM "http://127.0.0.1:9/evil.dtd">', "demo"),
    "deep nesting": (f'<s:Envelope xmlns:s="{SOAP}"><s:Body>' + "<a>" * 100_000
                     + "</a>" * 100_000 + "</s:Body></s:Envelope>").encode(),
    "truncated": VALID[: len(VALID) // 2].encode(),
    "invalid utf-8": VALID.replace("Sam", "S\udcffm").encode("utf-8", "surrogateescape"),
    "not soap": b"<hello>world</hello>",
    "soap 1.2 envelope in text/xml": VALID.replace(
        SOAP, "http://www.w3.org/2003/05/soap-envelope").encode(),
    "empty body": b"",
    "sql metacharacters in credentials": VALID.replace(
        "<v:UserName>demo</v:UserName>",
        "<v:UserName>x' OR '1'='1; DROP TABLE learners;--</v:UserName>").encode(),
    "10 kB strings": VALID.replace("<v:GivenName>Sam</v:GivenName>",
                                   f"<v:GivenName>{'A' * 10_000}</v:GivenName>").encode(),
}


def post(gateway, body: bytes, content_type="text/xml; charset=utf-8", **headers):
    return requests.post(f"{gateway.url}/soap/v1", data=body,
                         headers={"Content-Type": content_type, **headers}, timeout=30)


def assert_fault(response, code: str) -> str:
    assert response.status_code == 500
    tree = etree.fromstring(response.content)
    found = tree.findtext(f".//{{{NATIVE_NS}}}ErrorCode")
    assert found == code, response.text[:500]
    return tree.findtext(f".//{{{NATIVE_NS}}}FurtherDetails") or ""


def table_counts(gateway) -> dict[str, int]:
    engine = sa.create_engine(gateway.settings.database_url)
    try:
        with engine.connect() as connection:
            return {name: connection.scalar(sa.select(sa.func.count()).select_from(table))
                    for name, table in Base.metadata.tables.items()
                    if name != "request_journal"}  # which records every call, hostile too
    finally:
        engine.dispose()


@pytest.fixture
def nothing_stored(gateway):
    before = table_counts(gateway)
    yield
    assert table_counts(gateway) == before


def assert_still_serving(gateway):
    response = post(gateway, VALID.encode())
    assert response.status_code == 200
    assert "WSRC0004" in response.text


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_body_gets_a_clean_wsec0001_and_the_server_keeps_serving(gateway, case,
                                                                         nothing_stored):
    details = assert_fault(post(gateway, CASES[case]), "WSEC0001")
    assert "root:" not in details  # no file content came back
    assert_still_serving(gateway)


def test_sql_metacharacters_are_just_characters(gateway):
    body = VALID.replace("<v:UserName>demo</v:UserName>",
                         "<v:UserName>x' OR '1'='1</v:UserName>").encode()
    assert_fault(post(gateway, body), "WSEC0006")  # an unknown user, nothing more
    assert_still_serving(gateway)


def test_unknown_operation_is_wsec0002(gateway):
    body = (f'<s:Envelope xmlns:s="{SOAP}"><s:Body><v:Nope xmlns:v="{NATIVE_NS}"/>'
            "</s:Body></s:Envelope>")
    assert_fault(post(gateway, body.encode()), "WSEC0002")


def test_body_over_the_limit_is_413_before_parsing(gateway, nothing_stored):
    limit = gateway.settings.max_request_bytes
    response = post(gateway, b"<a>" + b"x" * (limit + 10) + b"</a>")
    assert response.status_code == 413
    assert_still_serving(gateway)


def test_single_huge_text_node_over_the_limit_is_413(gateway):
    body = VALID.replace("Sam", "S" * (50 * 1024 * 1024)).encode()
    assert post(gateway, body).status_code == 413
    assert_still_serving(gateway)


@pytest.mark.parametrize("content_type", ["application/json", "application/soap+xml"])
def test_wrong_content_type_is_415(gateway, content_type):
    assert post(gateway, VALID.encode(), content_type=content_type).status_code == 415


def test_get_on_the_endpoint_without_wsdl_is_a_clean_404(gateway):
    response = requests.get(f"{gateway.url}/soap/v1", timeout=10)
    assert response.status_code == 404
    assert "?wsdl" in response.text


@pytest.mark.parametrize("operation", sorted(CAPABILITIES))
def test_entity_expansion_is_refused_on_every_operation(gateway, operation, nothing_stored):
    body = (f'<?xml version="1.0"?>{LAUGHS}<s:Envelope xmlns:s="{SOAP}" xmlns:v="{NATIVE_NS}">'
            f"<s:Body><v:{operation}>&j;</v:{operation}></s:Body></s:Envelope>")
    details = assert_fault(post(gateway, body.encode()), "WSEC0001")
    assert "document type" in details or "entity" in details
    assert_still_serving(gateway)
