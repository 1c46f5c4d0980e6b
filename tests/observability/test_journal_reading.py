"""Reading calls for the journal: operation, organisation, user and code from real client
envelopes (the golden files), and the one redaction rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from lrs_soap.soap.contract import SOAP_ENV_NS
from lrs_soap.soap.journal_reading import (
    NOT_STORED_MALFORMED,
    REDACTED,
    EnvelopeReader,
    read_code,
    redacted,
)
from lrs_soap.soap.lrs.endpoints import mirror_endpoints
from lrs_soap.soap.request_reading import REQUEST_PARSER_OPTIONS

GOLDEN = Path(__file__).resolve().parents[1] / "contract" / "golden"
PATHS = {"learner_service": "/LearnerService.svc", "r9": "/LearnerServiceR9.svc",
         "external": "/ExternalService.svc"}


@pytest.fixture(scope="module")
def reader() -> EnvelopeReader:
    faces = {path: face for path, (face, _wsdl) in mirror_endpoints(services=None).items()}
    return EnvelopeReader.for_gateway(faces)


GOLDEN_REQUESTS = sorted(GOLDEN.glob("*/*.request.xml"))


@pytest.mark.parametrize("path", GOLDEN_REQUESTS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_golden_request_names_its_operation_organisation_and_user(reader, path):
    text = path.read_text().replace("{", "").replace("}", "")  # placeholders like {ada}
    operation, organisation, user = reader.request(PATHS[path.parent.name], text.encode())
    if path.stem == "unknown_operation_wcf.request":  # no credentials either
        assert (operation, organisation, user) == ("?", None, None)
        return
    if path.stem == "php_fault_unknown_request.request":
        assert operation == "?"
    else:
        assert operation in {op for ops in reader.operations_by_path.values()
                             for op in ops.values()}
    assert organisation and len(organisation) in (6, 8)
    assert user == "demo"


@pytest.mark.parametrize("path", sorted(GOLDEN.glob("*/*.response.xml")),
                         ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_golden_answer_gives_its_own_code(path):
    body = path.read_bytes()
    tree = etree.fromstring(body)
    codes = [e.text.strip() for e in tree.iter() if isinstance(e.tag, str) and etree.QName(
        e).localname in {"ResponseCode", "ErrorCode", "UpdateLearnerSubsetFieldsResult"}]
    assert read_code(body, 200) == (codes[0] if codes else "HTTP 200")


def test_answers_without_a_code_are_named_by_their_http_status():
    assert read_code(b"send SOAP 1.1 requests as Content-Type: text/xml\n", 415) == "HTTP 415"
    assert read_code(b"<ok/>", 200) == "HTTP 200"


def test_secrets_are_redacted_by_name_in_any_namespace_and_masked_in_the_answer():
    request = (b'<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/" '
               b'xmlns:w="urn:wsse"><e:Header><w:Password>OneSecretValue</w:Password>'
               b'<w:Token apiSecret="AnotherSecret1">tok-123456</w:Token></e:Header>'
               b"<e:Body><Call><OrgPassword>Pass&amp;Word&lt;16c</OrgPassword>"
               b"<UserName>demo</UserName></Call></e:Body></e:Envelope>")
    response = (b"<Fault><faultstring>value 'Pass&amp;Word&lt;16c' and OneSecretValue and "
                b"tok-123456</faultstring></Fault>")
    clean_request, clean_response = redacted(request, response)
    tree = etree.fromstring(clean_request)
    assert [tree.findtext(".//{urn:wsse}Password"), tree.findtext(".//{urn:wsse}Token"),
            tree.find(".//{urn:wsse}Token").get("apiSecret"), tree.findtext(".//OrgPassword"),
            tree.findtext(".//UserName")] == [REDACTED, REDACTED, REDACTED, REDACTED, "demo"]
    assert etree.fromstring(clean_response).findtext("faultstring") == (
        "value '***' and *** and ***")


def test_a_request_that_is_not_xml_is_not_stored():
    assert redacted(b"<Call><OrgPassword>OneSecretValue", b"<f/>") == (
        NOT_STORED_MALFORMED, b"<f/>")


@pytest.mark.parametrize("path", GOLDEN_REQUESTS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_the_tree_the_intake_built_gives_the_journal_the_same_facts_as_the_bytes(reader, path):
    body = path.read_text().replace("{", "").replace("}", "").encode()
    envelope = etree.fromstring(body, etree.XMLParser(**REQUEST_PARSER_OPTIONS))
    endpoint = PATHS[path.parent.name]
    assert (reader.request(endpoint, body, {"envelope": envelope})
            == reader.request(endpoint, body))


@pytest.mark.parametrize("path", sorted(GOLDEN.glob("*/*.response.xml")),
                         ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_the_answer_element_gives_the_journal_the_same_code_as_the_bytes(reader, path):
    body = path.read_bytes()
    answer = etree.fromstring(body).find(f"{{{SOAP_ENV_NS}}}Body")[0]
    assert reader.code(body, 200, {"answer": answer}) == read_code(body, 200)
