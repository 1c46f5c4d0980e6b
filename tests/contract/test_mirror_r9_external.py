"""LearnerServiceR9.svc and ExternalService.svc on the wire: golden request envelopes in the
styles of the clients lrs-wire describes (.NET svcutil, MoJ's hand-built Kotlin, PHP
SoapClient) posted over HTTP to the gateway, each answer compared exactly (names,
namespaces, prefixes, order, i:nil, text) with a golden tree in golden/r9/ or
golden/external/. Only values that vary between runs are normalised: element names in
VARYING, written ``*`` in the golden file.

``python -m tests.contract.write_goldens`` (re)writes the golden responses from what the
gateway answers; then read every changed file before committing it.
"""

from __future__ import annotations

import base64

import pytest
import requests
import xmlschema
from lxml import etree

from lrs_soap.bootstrap import build_runtime
from lrs_soap.service.batches import RunSettings, run_next_job
from lrs_soap.soap.lrs import external_mapping, r9_contracts
from lrs_soap.soap.lrs.wcf import Contract
from tests.conftest import REPO
from tests.contract import golden_mode
from tests.contract.conftest import EXTERNAL_PATH, R9_PATH
from tests.contract.mirror_data import GOLDEN, differences, golden, parse, seed

R9_ACTION = "http://tempuri.org/ILearnerServiceR9/"
EXTERNAL_ACTION = "http://api.lrs.qcf.gov.uk/services/IExternalService/"
VARYING = frozenset({"ID", "DateLoaded", "DateTime", "CreatedDate", "LastUpdatedDate", "JobId",
                     "JobID", "SubmittedDate", "StartDate", "EndDate", "Duration"})
FAULTS_NS = "http://api.lrs.qcf.gov.uk/faults"
MODEL_NS = "http://api.lrs.qcf.gov.uk/model"


@pytest.fixture(scope="module")
def people(gateway):
    return seed(gateway.settings, 1)


def values(people, **extra) -> dict[str, str]:
    roles = ("ada", "ada_duplicate", "cyd", "dee", "eve", "fay")
    filled = {role: getattr(people, role) for role in roles}
    ada = people.ada
    filled["ada_bad_digit"] = ada[:9] + str((int(ada[9]) + 1) % 10)
    return {**filled, "year": str(people.year), **extra}


def record_request(people, role: str, given: str, family: str) -> bytes:
    """The .NET client's GetLearnerLearningEvents (FULL) for the learner set's ``role``."""
    return golden("r9/glle_full_wcf.request.xml", **values(people)).replace(
        people.ada.encode(), getattr(people, role).encode()).replace(
        b"Ada", given.encode()).replace(b"Golden", family.encode())


def call(gateway, path: str, request: bytes, action: str | None,
         content_type: str = "text/xml; charset=utf-8") -> requests.Response:
    headers = {"Content-Type": content_type}
    if action is not None:
        headers["SOAPAction"] = action
    return requests.post(gateway.url + path, data=request, headers=headers, timeout=30)


def check(response: requests.Response, expected_file: str, schema: etree.XMLSchema,
          filled: dict[str, str], status: int = 200) -> etree._Element:
    """The answer matches the golden tree (``{name}`` placeholders filled from ``filled``),
    and its payload the service's schema."""
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
    actual = parse(response.content)
    if golden_mode.WRITING:  # only python -m tests.contract.write_goldens
        _write_golden(actual, GOLDEN / expected_file, filled)
    problems = differences(actual, parse(golden(expected_file, **filled)), VARYING)
    assert not problems, "\n".join(problems)
    payload = actual[0][0]
    if payload.tag.endswith("}Fault"):
        payload = payload.find("detail")[0]
    assert schema.validate(payload), schema.error_log
    return actual


def _write_golden(actual: etree._Element, path, filled: dict[str, str]) -> None:
    written = parse(etree.tostring(actual))
    for element in written.iter():
        if etree.QName(element).localname in VARYING and element.text and element.text != "0":
            element.text = "*"
    text = etree.tostring(written, pretty_print=True, encoding="unicode")
    for name, value in sorted(filled.items(), key=lambda item: -len(item[1])):
        if len(value) == 10:  # the learner set's ULNs
            text = text.replace(value, "{" + name + "}")
    path.write_text(text, encoding="utf-8")


R9_CASES = [
    # (request file, SOAPAction header, response file, HTTP status)
    ("glle_full_wcf", f'"{R9_ACTION}GetLearnerLearningEvents"', "glle_full", 200),
    ("glle_brief_wcf", f'"{R9_ACTION}GetLearnerLearningEvents"', "glle_brief", 200),
    ("glle_linked_kotlin", None, "glle_linked", 200),
    ("glle_linked_kotlin", f"{R9_ACTION}GetLearnerLearningEvents", "glle_linked", 200),
    ("glle_not_shared_kotlin", None, "glle_not_shared", 200),
    ("glle_not_verified_wcf", f'"{R9_ACTION}GetLearnerLearningEvents"', "glle_not_verified",
     200),
    ("glle_invalid_uln_kotlin", None, "fault_invalid_uln", 500),
    ("learner_by_uln_wcf", f'"{R9_ACTION}LearnerByUln"', "learner_by_uln", 200),
    ("learner_by_uln_no_match_wcf", f'"{R9_ACTION}LearnerByUln"', "learner_by_uln_no_match",
     200),
    ("get_organisation_own_wcf", f'"{R9_ACTION}GetOrganisation"', "get_organisation_own", 200),
    ("get_organisation_other_wcf", f'"{R9_ACTION}GetOrganisation"', "get_organisation_other",
     200),
    ("get_organisation_unknown_wcf", f'"{R9_ACTION}GetOrganisation"',
     "get_organisation_unknown", 200),
    ("view_audit_not_verified_wcf", f'"{R9_ACTION}ViewAudit"', "fault_not_verified", 500),
    ("wrong_password_wcf", f'"{R9_ACTION}GetLearnerLearningEvents"', "fault_wrong_password",
     500),
    ("invalid_request_wcf", f'"{R9_ACTION}GetLearnerLearningEvents"', "fault_invalid_request",
     500),
    ("unknown_operation_wcf", '""', "fault_unknown_operation", 500),
]


@pytest.mark.parametrize(("request_file", "action", "response_file", "status"), R9_CASES,
                         ids=[f"{case[0]}-{'action' if case[1] else 'no-action'}"
                              for case in R9_CASES])
def test_r9_answers_exactly_as_golden(gateway, people, schemas, request_file, action,
                                     response_file, status):
    request = golden(f"r9/{request_file}.request.xml", **values(people))
    response = call(gateway, R9_PATH, request, action,
                    "text/xml" if "kotlin" in request_file else "text/xml; charset=utf-8")
    check(response, f"r9/{response_file}.response.xml", schemas[R9_PATH], values(people),
          status)


def test_update_learner_subset_fields_updates_then_is_stale(gateway, people, schemas):
    request = golden("r9/update_subset_wcf.request.xml", **values(people))
    action = f'"{R9_ACTION}UpdateLearnerSubsetFields"'
    check(call(gateway, R9_PATH, request, action), "r9/update_subset.response.xml",
          schemas[R9_PATH], values(people))
    check(call(gateway, R9_PATH, request, action), "r9/update_subset_stale.response.xml",
          schemas[R9_PATH], values(people))
    with build_runtime(gateway.settings) as services, services.uow_factory() as uow:
        held = uow.learners.by_uln(people.dee).details
    assert (held.email_address, held.school_at_age_16) == ("dee.update@example.org",
                                                           "Leeds Grammar")
    assert held.preferred_given_name is None and held.ability_to_share == "1"


def test_view_audit_lists_the_reads_of_the_record(gateway, people, schemas):
    read = record_request(people, "eve", "Eve", "Audit")
    first = parse(call(gateway, R9_PATH, read,
                       f'"{R9_ACTION}GetLearnerLearningEvents"').content)
    assert first.findtext(f".//{{{MODEL_NS}}}ResponseCode") == "WSRC0004"
    request = golden("r9/view_audit_wcf.request.xml", **values(people))
    check(call(gateway, R9_PATH, request, f'"{R9_ACTION}ViewAudit"'),
          "r9/view_audit.response.xml", schemas[R9_PATH], values(people))


def test_fault_detail_carries_the_code_and_the_reason_in_base64(gateway, people):
    request = golden("r9/invalid_request_wcf.request.xml", **values(people))
    fault = parse(call(gateway, R9_PATH, request, None).content)[0][0]
    detail = fault.find(f"detail/{{{FAULTS_NS}}}DomainFault")
    reason = base64.b64decode(detail.findtext(f"{{{FAULTS_NS}}}ErrorDetail")).decode()
    assert reason.startswith("WSEC0001: Invalid request") and "vendorID" in reason


# ----- ExternalService.svc -----

def run_jobs(settings) -> None:
    with build_runtime(settings) as services:
        while run_next_job(services, RunSettings(worker="mirror-tests")) is not None:
            pass


def test_achievement_batch_from_submit_to_report(gateway, people, schemas):
    schema = schemas[EXTERNAL_PATH]
    request = golden("external/submit_php.request.xml", **values(people))
    submitted = check(call(gateway, EXTERNAL_PATH, request,
                           f'"{EXTERNAL_ACTION}SubmitAchievementBatchJob"'),
                      "external/submit.response.xml", schema, values(people))
    job = submitted.findtext(".//{http://api.lrs.qcf.gov.uk/model}JobId")
    get = golden("external/get_job_wcf.request.xml", **values(people, job=job))
    action = f'"{EXTERNAL_ACTION}GetAchievementBatchJob"'
    check(call(gateway, EXTERNAL_PATH, get, action), "external/get_job_waiting.response.xml",
          schema, values(people))
    run_jobs(gateway.settings)
    done = check(call(gateway, EXTERNAL_PATH, get, action),
                 "external/get_job_done.response.xml", schema, values(people))
    assert done.findtext(f".//{{{MODEL_NS}}}JobID") == job
    read = record_request(people, "fay", "Fay", "Award")
    record = parse(call(gateway, R9_PATH, read, None).content)
    events = [(event.findtext(f"{{{MODEL_NS}}}SubjectCode"),
               event.findtext(f"{{{MODEL_NS}}}Grade"))
              for event in record.iterfind(f".//{{{MODEL_NS}}}LearningEvent")]
    assert ("100/2510/8", "Merit") in events


EXTERNAL_CASES = [
    ("submit_not_ao_php", "SubmitAchievementBatchJob", "submit_not_ao", 200),
    ("submit_empty_php", "SubmitAchievementBatchJob", "fault_no_achievements", 500),
    ("submit_bad_type_php", "SubmitAchievementBatchJob", "fault_bad_submission_type", 500),
    ("get_unknown_job_wcf", "GetAchievementBatchJob", "get_unknown_job", 200),
]


@pytest.mark.parametrize(("request_file", "operation", "response_file", "status"),
                         EXTERNAL_CASES, ids=[case[0] for case in EXTERNAL_CASES])
def test_external_answers_exactly_as_golden(gateway, people, schemas, request_file, operation,
                                           response_file, status):
    request = golden(f"external/{request_file}.request.xml", **values(people))
    response = call(gateway, EXTERNAL_PATH, request, f'"{EXTERNAL_ACTION}{operation}"')
    check(response, f"external/{response_file}.response.xml", schemas[EXTERNAL_PATH],
          values(people), status)


# ----- the contract files agree with each other and with the writers -----

WSDLS = {"LearnerServiceR9.wsdl": "lrs-r9.xsd", "ExternalService.wsdl": "lrs-external.xsd"}


def _wsdl_schema(wsdl: str) -> xmlschema.XMLSchema:
    root = etree.parse(str(REPO / "wsdl" / wsdl)).getroot()
    schemas = root.findall(".//{http://www.w3.org/2001/XMLSchema}schema")
    sources = [etree.tostring(schema, encoding="unicode") for schema in schemas]
    return xmlschema.XMLSchema(sources)


def _shape(schema: xmlschema.XMLSchema) -> dict[str, list[tuple[str, bool | None]]]:
    """Every complex type and anonymous-typed global element: its child elements (name,
    nillable) in order."""
    def children(xsd_type) -> list[tuple[str, bool | None]]:
        return [(child.name, getattr(child, "nillable", None))
                for child in xsd_type.content.iter_elements()]

    shapes = {name: children(xsd_type) for name, xsd_type in schema.maps.types.items()
              if not name.startswith("{http://www.w3.org/2001/XMLSchema}")
              and not xsd_type.is_simple()}
    shapes.update({name: children(element.type) for name, element in schema.maps.elements.items()
                   if element.type.is_complex() and element.type.name is None})
    return shapes


@pytest.mark.parametrize("wsdl", sorted(WSDLS))
def test_wsdl_types_and_validation_xsd_have_the_same_shapes(wsdl):
    published = _shape(_wsdl_schema(wsdl))
    validating = _shape(xmlschema.XMLSchema(str(REPO / "xsd" / WSDLS[wsdl])))
    assert published, wsdl
    for name, shape in published.items():
        assert validating.get(name) == shape, name


def _emit_default_false(schema_file: str) -> dict[str, set[str]]:
    """Per complex type: the members annotated EmitDefaultValue=false."""
    tree = etree.parse(str(REPO / "xsd" / schema_file))
    xs = "{http://www.w3.org/2001/XMLSchema}"
    annotated: dict[str, set[str]] = {}
    for complex_type in tree.iter(f"{xs}complexType"):
        names = {element.get("name") for element in complex_type.iter(f"{xs}element")
                 if element.find(".//{http://schemas.microsoft.com/2003/10/Serialization/}"
                                 "DefaultValue") is not None}
        annotated[complex_type.get("name")] = names
    return annotated


@pytest.mark.parametrize("contract", [
    r9_contracts.LEARNING_EVENT, r9_contracts.GET_LEARNER_LEARNING_EVENTS_RESPONSE,
    r9_contracts.LEARNER_BY_ULN_RESPONSE, r9_contracts.GET_ORGANISATION_RESPONSE,
    r9_contracts.PLR_ACCESS_ENTRY, r9_contracts.PAGED_ACCESS_ENTRIES,
    r9_contracts.MIAP_LEARNER, external_mapping.SUBMIT_RESPONSE,
    external_mapping.BATCH_JOB_RESPONSE], ids=lambda contract: contract.name)
def test_writer_tables_match_the_schema(contract: Contract):
    """Member order, and which members are left out when null, are the schema's."""
    schema = xmlschema.XMLSchema(str(REPO / "xsd" / "lrs-qcf-model.xsd"))
    xsd_type = schema.maps.types[f"{{{contract.namespace}}}{contract.name}"]
    assert [member.name for member in contract.members] == [
        child.local_name for child in xsd_type.content.iter_elements()]
    annotated = _emit_default_false("lrs-qcf-model.xsd").get(contract.name, set())
    if contract.groups[0] == r9_contracts.SERVICE_RESPONSE:
        annotated |= {"ResponseCode"}
    assert {member.name for member in contract.members if member.when_null == "omit"} \
        == annotated
