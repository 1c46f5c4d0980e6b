"""Hostile and malformed input over real HTTP: each gets a clean SOAP fault (or a clean HTTP
error where no SOAP answer is possible), nothing leaks, and the next valid call still works."""

from __future__ import annotations

import base64
from dataclasses import dataclass

import pytest
import requests
import sqlalchemy as sa
from lxml import etree

from lrs_soap.soap.lrs import external_service, learner_service, r9_service
from lrs_soap.soap.native.app import native_face
from lrs_soap.store.orm import Base
from tests.conftest import NATIVE_NS

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
USER = "<v:UserName>demo</v:UserName>"  # where each endpoint's valid request names its user


@dataclass(frozen=True)
class Endpoint:
    path: str
    valid: str  # a request that changes nothing, answered with ResponseCode ``code``
    code: str
    user: str  # the user name element inside ``valid``
    requests: tuple[str, ...]  # the request element (Clark name) of every operation


def _elements(operations) -> tuple[str, ...]:
    return tuple(sorted(operation.request for operation in operations))


VALID = (f'<s:Envelope xmlns:s="{SOAP}" xmlns:v="{NATIVE_NS}"><s:Body><v:FindByULN>'
         "<v:Credentials><v:UKPRN>10000001</v:UKPRN><v:UserName>demo</v:UserName>"
         "<v:OrgPassword>DemoCollege2026!</v:OrgPassword></v:Credentials>"
         "<v:FindType>FUL</v:FindType><v:ULN>1026893096</v:ULN><v:GivenName>Sam</v:GivenName>"
         "<v:FamilyName>Example</v:FamilyName></v:FindByULN></s:Body></s:Envelope>")
ENDPOINTS = {
    "native": Endpoint("/soap/v1", VALID, "WSRC0004", USER, _elements(native_face().operations)),
    "LearnerService": Endpoint(
        "/LearnerService.svc",
        f'<s:Envelope xmlns:s="{SOAP}"><s:Body><FindLearnerByULN '
        'xmlns="http://api.lrs.miap.gov.uk/findmsg"><FindType xmlns="">FUL</FindType>'
        '<UKPRN xmlns="">10000001</UKPRN><OrgPassword xmlns="">DemoCollege2026!</OrgPassword>'
        '<UserName xmlns="">demo</UserName><ULN xmlns="">1026893096</ULN>'
        '<FamilyName xmlns="">Example</FamilyName><GivenName xmlns="">Sam</GivenName>'
        "</FindLearnerByULN></s:Body></s:Envelope>", "WSRC0004",
        '<UserName xmlns="">demo</UserName>', _elements(learner_service.OPERATIONS)),
    "LearnerServiceR9": Endpoint(
        "/LearnerServiceR9.svc",
        f'<s:Envelope xmlns:s="{SOAP}"><s:Body><LearnerByUln xmlns="http://tempuri.org/">'
        '<invokingOrganisation xmlns:a="http://schemas.datacontract.org/2004/07/Amor.Qcf.'
        'Common"><a:Password>DemoCollege2026!</a:Password><a:Ukprn>10000001</a:Ukprn>'
        "<a:Username>demo</a:Username></invokingOrganisation><userType>LNR</userType>"
        "<vendorId>1</vendorId><language>ENG</language><uln>1026893096</uln>"
        "<givenName>Sam</givenName><familyName>Example</familyName><findType>FUL</findType>"
        "</LearnerByUln></s:Body></s:Envelope>", "WSRC0004",
        "<a:Username>demo</a:Username>", _elements(r9_service.OPERATIONS)),
    "ExternalService": Endpoint(
        "/ExternalService.svc",
        f'<s:Envelope xmlns:s="{SOAP}"><s:Body><GetAchievementBatchJob '
        'xmlns="http://api.lrs.qcf.gov.uk/services"><invokingUser '
        'xmlns:a="http://api.lrs.qcf.gov.uk/model"><a:OrgPassword>DemoAwarding2026'
        "</a:OrgPassword><a:OrganisationRef>DEMOAO</a:OrganisationRef><a:UserName>demo"
        "</a:UserName></invokingUser><jobId>2147483000</jobId></GetAchievementBatchJob>"
        "</s:Body></s:Envelope>", "WSRC0018", "<a:UserName>demo</a:UserName>",
        _elements(external_service.OPERATIONS)),
}


def with_doctype(doctype: str, user_name: str, endpoint: Endpoint = ENDPOINTS["native"]) -> bytes:
    body = endpoint.valid.replace(endpoint.user, endpoint.user.replace(">demo<",
                                                                       f">{user_name}<"))
    return f'<?xml version="1.0"?>{doctype}{body}'.encode()


LAUGHS = ('<!DOCTYPE s:Envelope [<!ENTITY a "lol">'
          + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'
                    for i in range(9)) + "]>")


def intake_cases(endpoint: Endpoint) -> dict[str, bytes]:
    """Bodies the one intake refuses (WSEC0001) before any face's own code runs."""
    valid = endpoint.valid
    return {
        "xxe local file": with_doctype(
            '<!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]>', "&x;", endpoint),
        "xxe network url": with_doctype(
            '<!DOCTYPE s [<!ENTITY x SYSTEM "http://127.0.0.1:9/secret">]>', "&x;", endpoint),
        "billion laughs": with_doctype(LAUGHS, "&j;", endpoint),
        "quadratic blowup": with_doctype(
            f'<!DOCTYPE s [<!ENTITY a "{"x" * 50_000}">]>', "&a;" * 2_000, endpoint),
        "external dtd": with_doctype('<!DOCTYPE s SYSTEM "http://127.0.0.1:9/evil.dtd">',
                                     "demo", endpoint),
        "deep nesting": (f'<s:Envelope xmlns:s="{SOAP}"><s:Body>' + "<a>" * 100_000
                         + "</a>" * 100_000 + "</s:Body></s:Envelope>").encode(),
        "truncated": valid[: len(valid) // 2].encode(),
        "invalid utf-8": valid.replace(">demo<", ">d\udcffmo<").encode("utf-8",
                                                                         "surrogateescape"),
        "not soap": b"<hello>world</hello>",
        "soap 1.2 envelope in text/xml": valid.replace(
            SOAP, "http://www.w3.org/2003/05/soap-envelope").encode(),
        "empty body": b"",
        "soap body without an element": (f'<s:Envelope xmlns:s="{SOAP}"><s:Body/>'
                                         "</s:Envelope>").encode(),
        "soap envelope without a body": (f'<s:Envelope xmlns:s="{SOAP}"><s:Header/>'
                                         "</s:Envelope>").encode(),
    }


# The native contract's facets refuse these (UserName and GivenName: at most 35 characters).
NATIVE_SCHEMA_CASES = {
    "sql metacharacters in credentials": VALID.replace(
        "<v:UserName>demo</v:UserName>",
        "<v:UserName>x' OR '1'='1; DROP TABLE learners;--</v:UserName>").encode(),
    "10 kB strings": VALID.replace("<v:GivenName>Sam</v:GivenName>",
                                   f"<v:GivenName>{'A' * 10_000}</v:GivenName>").encode(),
}
CASES = {**intake_cases(ENDPOINTS["native"]), **NATIVE_SCHEMA_CASES}  # as posted to /soap/v1
HOSTILE = ([(name, case) for name in ENDPOINTS for case in sorted(intake_cases(ENDPOINTS[name]))]
           + [("native", case) for case in sorted(NATIVE_SCHEMA_CASES)])


def post(gateway, body: bytes, content_type="text/xml; charset=utf-8", endpoint="native",
         **headers):
    return requests.post(f"{gateway.url}{ENDPOINTS[endpoint].path}", data=body,
                         headers={"Content-Type": content_type, **headers}, timeout=30)


def assert_fault(response, code: str) -> str:
    """The fault's code is ``code`` (any endpoint's shape); returns its further details."""
    assert response.status_code == 500
    tree = etree.fromstring(response.content)
    detail = tree.find(f"{{{SOAP}}}Body/{{{SOAP}}}Fault/detail")
    assert detail is not None, response.text[:500]
    found = detail.findtext(".//{*}ErrorCode")
    assert found == code, response.text[:500]
    wcf_detail = detail.findtext(".//{*}ErrorDetail")  # WCF: "CODE: description: details"
    if wcf_detail is not None:
        return base64.b64decode(wcf_detail).decode()
    return detail.findtext(".//{*}FurtherDetails") or ""


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


def assert_still_serving(gateway, endpoint="native"):
    response = post(gateway, ENDPOINTS[endpoint].valid.encode(), endpoint=endpoint)
    assert response.status_code == 200
    code = etree.fromstring(response.content).findtext(f"{{{SOAP}}}Body//{{*}}ResponseCode")
    assert code == ENDPOINTS[endpoint].code


@pytest.mark.parametrize(("endpoint", "case"), HOSTILE)
def test_hostile_body_gets_a_clean_wsec0001_and_the_server_keeps_serving(gateway, endpoint,
                                                                         case, nothing_stored):
    body = {**intake_cases(ENDPOINTS[endpoint]), **NATIVE_SCHEMA_CASES}[case]
    response = post(gateway, body, endpoint=endpoint)
    assert_fault(response, "WSEC0001")
    assert b"root:" not in response.content  # no file content came back
    assert_still_serving(gateway, endpoint)


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_sql_metacharacters_are_just_characters(gateway, endpoint):
    valid = ENDPOINTS[endpoint]
    body = valid.valid.replace(valid.user, valid.user.replace(">demo<", ">x' OR '1'='1<"))
    assert_fault(post(gateway, body.encode(), endpoint=endpoint), "WSEC0006")  # unknown user
    assert_still_serving(gateway, endpoint)


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_unknown_operation_is_wsec0002(gateway, endpoint):
    body = (f'<s:Envelope xmlns:s="{SOAP}"><s:Body><v:Nope xmlns:v="{NATIVE_NS}"/>'
            "</s:Body></s:Envelope>")
    assert_fault(post(gateway, body.encode(), endpoint=endpoint), "WSEC0002")


# The gateway applies the size limit and the media type before any endpoint (wsgi.soap).
def test_body_over_the_limit_is_413_before_parsing(gateway, nothing_stored):
    limit = gateway.settings.max_request_bytes
    response = post(gateway, b"<a>" + b"x" * (limit + 10) + b"</a>")
    assert response.status_code == 413
    assert_still_serving(gateway)


def test_single_huge_text_node_over_the_limit_is_413(gateway):
    body = VALID.replace("Sam", "S" * (50 * 1024 * 1024)).encode()
    assert post(gateway, body).status_code == 413
    assert_still_serving(gateway)


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
@pytest.mark.parametrize("content_type", ["application/json", "application/soap+xml"])
def test_wrong_content_type_is_415(gateway, content_type, endpoint):
    body = ENDPOINTS[endpoint].valid.encode()
    assert post(gateway, body, content_type=content_type, endpoint=endpoint).status_code == 415


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_get_on_the_endpoint_without_wsdl_is_a_clean_404(gateway, endpoint):
    response = requests.get(f"{gateway.url}{ENDPOINTS[endpoint].path}", timeout=10)
    assert response.status_code == 404
    assert "?wsdl" in response.text


EVERY_OPERATION = [(name, element) for name, endpoint in ENDPOINTS.items()
                   for element in endpoint.requests]


@pytest.mark.parametrize(("endpoint", "element"), EVERY_OPERATION,
                         ids=[f"{name}-{etree.QName(element).localname}"
                              for name, element in EVERY_OPERATION])
def test_entity_expansion_is_refused_on_every_operation(gateway, endpoint, element,
                                                         nothing_stored):
    name = etree.QName(element)
    body = (f'<?xml version="1.0"?>{LAUGHS}<s:Envelope xmlns:s="{SOAP}" '
            f'xmlns:v="{name.namespace}"><s:Body><v:{name.localname}>&j;</v:{name.localname}>'
            "</s:Body></s:Envelope>")
    details = assert_fault(post(gateway, body.encode(), endpoint=endpoint), "WSEC0001")
    assert "document type" in details or "entity" in details
    assert_still_serving(gateway, endpoint)
