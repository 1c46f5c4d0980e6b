"""Golden exchanges with the LearnerService.svc mirror: a request envelope written in one live
client's style, sent over HTTP exactly as that client sends it, and the response compared
as a tree with the expected one (tests/contract/golden/learner_service/CASE.*.xml).

Comparison: every element's namespace, local name, prefix, attributes and position; the
text of every leaf exactly (element-only content may carry layout whitespace). A golden text
``{{ULN}}``, ``{{DATE}}``, ``{{TIMESTAMP}}`` or ``{{JOBID}}`` stands for a value that varies
between runs (ULNs minted at random, today's date, the clock, job ids) and matches its format.
Every answer must also be valid against the types of wsdl/LearnerService.wsdl.

``python -m tests.contract.write_goldens`` rewrites the expected responses from what the
gateway answers (values substituted into the request become their placeholders, as do
timestamps, record dates and job ids): review every changed file before committing it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from string import Template

import requests
from lxml import etree
from xmlschema.extras.wsdl import Wsdl11Document

from lrs_soap.bootstrap import build_runtime
from lrs_soap.domain.model import LearnerDetails
from lrs_soap.service import learner_admin
from tests.contract import golden_mode

GOLDEN = Path(__file__).resolve().parent / "golden" / "learner_service"
WSDL = Path(__file__).resolve().parents[2] / "wsdl" / "LearnerService.wsdl"
PATH = "/LearnerService.svc"
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
VERIFY_ACTION = "http://tempuri.org/LearnerPortType/verifyLearner"

PATTERNS = {"ULN": r"[1-9][0-9]{9}", "DATE": r"\d{4}-\d{2}-\d{2}",
            "TIMESTAMP": r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", "JOBID": r"[1-9][0-9]*"}
PLACEHOLDER = re.compile(r"\{\{(" + "|".join(PATTERNS) + r")\}\}")
# Leaf elements whose values vary however the request is written.
VARYING = {"ErrorTimestamp": "{{TIMESTAMP}}", "JobStartedDateTime": "{{TIMESTAMP}}",
           "JobFinishedDateTime": "{{TIMESTAMP}}", "CreatedDate": "{{DATE}}",
           "LastUpdatedDate": "{{DATE}}"}


# ----- learners of our own (the demo learners change as other modules run) -----

EXACT, MASTER, DUPLICATE, POSSIBLE = "5550001003", "5550001011", "5550001038", "5550001046"
TWINS = ("5550001054", "5550001062", "5550001070", "5550001089", "5550001097", "5550001100",
         "5550001119", "5550001127", "5550001135", "5550001143", "5550001151")
UNKNOWN = "1748529632"  # check-digit valid, never issued here
BAD_CHECK_DIGITS = ("1026893097", "5550001004")
KNOWN_ULNS = frozenset({EXACT, MASTER, DUPLICATE, POSSIBLE, *TWINS, UNKNOWN, *BAD_CHECK_DIGITS})


def _learner(given, family, dob, gender, postcode, **more) -> LearnerDetails:
    return LearnerDetails(given, family, dt.date.fromisoformat(dob), gender, postcode, **more)


SEEDS = (
    # every optional field held, to show the whole Learner sequence
    (EXACT, _learner(
        "Mira", "Mirrorexact", "2001-02-03", "2", "LS1 1UR", title="Ms", middle_other_name="Jane",
        preferred_given_name="Mimi", previous_family_name="Oldname", family_name_at_16="Oldname",
        school_at_age_16="Leeds Girls' High", address_line1="2 Park Row",
        address_line2="Flat 3", address_town="Leeds", address_county_or_city="West Yorkshire",
        date_of_address_capture=dt.date(2024, 9, 1), place_of_birth="York",
        email_address="mira@example.org", nationality="GBR",
        scottish_candidate_number="123456789", verification_type="999",
        other_verification_description="Passport seen in person",
        notes="Mirror contract test learner")),
    (MASTER, _learner("Nia", "Mirrorlinked", "2002-03-04", "1", "LS2 7EW")),
    (DUPLICATE, _learner("Nia", "Mirrorlinked", "2002-03-04", "1", "LS6 1AN")),
    (POSSIBLE, _learner("Posy", "Mirrorpossible", "2004-05-06", "2", "LS1 4AP")),
    # eleven at one address: a search for a twelfth finds too many possible matches
    *((uln, _learner(given, "Mirrortwin", "2005-06-07", "1", "LS6 3QW"))
      for uln, given in zip(TWINS, ("Alfa", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot",
                                    "Golf", "Hotel", "India", "Juliett", "Kilo"), strict=True)),
)


def seed(settings) -> None:
    """Write SEEDS into the gateway's database and merge DUPLICATE into MASTER (once)."""
    with build_runtime(settings) as services:
        now = services.clock()
        with services.uow_factory() as uow:
            if not uow.uln_registry.claim(EXACT, now):
                return
            for uln, details in SEEDS:
                if uln == EXACT or uow.uln_registry.claim(uln, now):
                    uow.learners.add(uln, details, registered_by=None, now=now)
            uow.commit()
        learner_admin.merge(services, DUPLICATE, MASTER, actor="mirror contract test")


# ----- exchanges -----

def headers(style: str, verify: bool) -> dict[str, str]:
    """The HTTP headers each client population sends (lrs-wire.md 2.1, 2.2, 10)."""
    action = VERIFY_ACTION if verify else ""
    if style == "kotlin":  # MoJ: text/xml without charset, no SOAPAction at all
        return {"Content-Type": "text/xml"}
    # .NET (WCF BasicHttpBinding) and PHP SoapClient: charset, quoted SOAPAction
    return {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": f'"{action}"'}


@dataclass
class Reply:
    status: int
    content_type: str
    envelope: etree._Element

    @property
    def payload(self) -> etree._Element:
        return self.envelope.find(f"{{{SOAP_ENV}}}Body")[0]

    def text(self, path: str) -> str | None:
        return self.payload.findtext(path)


def exchange(gateway, case: str, **values: str) -> Reply:
    """Send CASE.request.xml (with ``${name}`` values filled in); check the answer against
    CASE.response.xml, and against the WSDL's types."""
    request = Template((GOLDEN / f"{case}.request.xml").read_text()).substitute(values)
    verify = "VerifyLearner" in etree.fromstring(request.encode()).find(
        f"{{{SOAP_ENV}}}Body")[0].tag
    response = requests.post(f"{gateway.url}{PATH}", data=request.encode(),
                             headers=headers(case.split("_")[0], verify), timeout=30)
    reply = Reply(response.status_code, response.headers.get("Content-Type", ""),
                  etree.fromstring(response.content))
    expected_file = GOLDEN / f"{case}.response.xml"
    if golden_mode.WRITING:  # only python -m tests.contract.write_goldens
        expected_file.write_bytes(_golden_text(reply.envelope, values))
    expected = etree.parse(str(expected_file)).getroot()
    is_fault = expected.find(f"{{{SOAP_ENV}}}Body/{{{SOAP_ENV}}}Fault") is not None
    assert (reply.status, reply.content_type) == (500 if is_fault else 200,
                                                  "text/xml; charset=utf-8"), case
    assert_same_tree(expected, reply.envelope)
    described = reply.payload.find("detail")[0] if is_fault else reply.payload
    wsdl_schema().validate(etree.tostring(described).decode())  # the WSDL tells the truth
    return reply


@cache
def wsdl_schema():
    """The types of wsdl/LearnerService.wsdl: every answer must be valid against them."""
    return Wsdl11Document(str(WSDL)).schema


def assert_same_tree(expected: etree._Element, actual: etree._Element, path: str = "") -> None:
    where = f"{path}/{etree.QName(actual).localname}"
    assert (actual.tag, actual.prefix) == (expected.tag, expected.prefix), where
    assert dict(actual.attrib) == dict(expected.attrib), f"{where}: attributes"
    assert [(c.tag, c.prefix) for c in actual] == [(c.tag, c.prefix) for c in expected], (
        f"{where}: children")
    if len(expected):
        assert not (actual.text or "").strip(), f"{where}: mixed content"
    else:
        _assert_text(expected.text or "", actual.text or "", where)
    for expected_child, actual_child in zip(expected, actual, strict=True):
        assert_same_tree(expected_child, actual_child, where)


def _assert_text(expected: str, actual: str, where: str) -> None:
    placeholder = PLACEHOLDER.fullmatch(expected)
    if placeholder:
        assert re.fullmatch(PATTERNS[placeholder.group(1)], actual), f"{where}: {actual!r}"
    else:
        assert actual == expected, f"{where}: {actual!r} != {expected!r}"


def _golden_text(envelope: etree._Element, values: dict[str, str]) -> bytes:
    tree = etree.fromstring(etree.tostring(envelope))
    for element in tree.iter():
        if len(element) or not element.text:
            continue
        name = etree.QName(element).localname
        if name in VARYING:
            element.text = VARYING[name]
        elif name == "JobID" and element.text != "0":
            element.text = "{{JOBID}}"
        elif re.fullmatch(PATTERNS["ULN"], element.text) and element.text not in KNOWN_ULNS:
            element.text = "{{ULN}}"  # minted by this run
        elif element.text in values.values() and re.fullmatch(PATTERNS["DATE"], element.text):
            element.text = "{{DATE}}"  # computed from today
    etree.indent(tree, space="  ")
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8") + b"\n"
