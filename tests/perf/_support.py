"""Shared by the perf scripts: the request, a demo database, and comparing answers.

Not a test module (pytest collects test_*.py only); nothing here runs on import.
"""

from __future__ import annotations

import inspect
import io
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # run as `python tests/perf/x.py` from a checkout
    sys.path.insert(0, str(REPO))

SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
NATIVE_NS = "urn:lrs-soap:native:v1"
NATIVE_PATH = "/soap/v1"

# The first demo learner, found by the demo learner registration body (lrs_soap.service.demo).
FIND_BY_ULN = (
    f'<s:Envelope xmlns:s="{SOAP_NS}" xmlns:v="{NATIVE_NS}"><s:Body><v:FindByULN>'
    "<v:Credentials><v:UKPRN>10000001</v:UKPRN><v:UserName>demo</v:UserName>"
    "<v:OrgPassword>DemoCollege2026!</v:OrgPassword></v:Credentials>"
    "<v:FindType>FUL</v:FindType><v:ULN>1026893096</v:ULN><v:GivenName>Sam</v:GivenName>"
    "<v:FamilyName>Example</v:FamilyName></v:FindByULN></s:Body></s:Envelope>"
).encode()


# VerifyLearnerDetails for the same learner, every detail given (WSVRC001).
VERIFY_LEARNER_DETAILS = (
    f'<s:Envelope xmlns:s="{SOAP_NS}" xmlns:v="{NATIVE_NS}"><s:Body><v:VerifyLearnerDetails>'
    "<v:Credentials><v:UKPRN>10000001</v:UKPRN><v:UserName>demo</v:UserName>"
    "<v:OrgPassword>DemoCollege2026!</v:OrgPassword></v:Credentials>"
    "<v:ULN>1026893096</v:ULN><v:GivenName>Sam</v:GivenName>"
    "<v:FamilyName>Example</v:FamilyName><v:DateOfBirth>2000-01-31</v:DateOfBirth>"
    "<v:Gender>2</v:Gender></v:VerifyLearnerDetails></s:Body></s:Envelope>"
).encode()

# The same learner through the mirror face, as a live-LRS client sends it (lrs-wire 8.1).
# The same demo learner found by her five demographics (a full search: it is recorded).
FIND_BY_DEMOGRAPHICS = (
    f'<s:Envelope xmlns:s="{SOAP_NS}" xmlns:v="{NATIVE_NS}"><s:Body><v:FindByDemographics>'
    "<v:Credentials><v:UKPRN>10000001</v:UKPRN><v:UserName>demo</v:UserName>"
    "<v:OrgPassword>DemoCollege2026!</v:OrgPassword></v:Credentials>"
    "<v:FindType>FUL</v:FindType><v:Demographics><v:GivenName>Sam</v:GivenName>"
    "<v:FamilyName>Example</v:FamilyName><v:DateOfBirth>2000-01-31</v:DateOfBirth>"
    "<v:Gender>2</v:Gender><v:LastKnownPostCode>AB12 3DF</v:LastKnownPostCode>"
    "</v:Demographics></v:FindByDemographics></s:Body></s:Envelope>"
).encode()
# GetLearnerRecord for the demo learner with a Personal Learning Record (Priya Shah, a
# duplicate ULN merged into hers), her identity given in full: WSRC0004 with her events.
PLR_ULN = "1964986809"
GET_LEARNER_RECORD = (
    f'<s:Envelope xmlns:s="{SOAP_NS}" xmlns:v="{NATIVE_NS}"><s:Body><v:GetLearnerRecord>'
    "<v:Credentials><v:UKPRN>10000001</v:UKPRN><v:UserName>demo</v:UserName>"
    "<v:OrgPassword>DemoCollege2026!</v:OrgPassword></v:Credentials>"
    f"<v:ULN>{PLR_ULN}</v:ULN><v:GivenName>Priya</v:GivenName><v:FamilyName>Shah</v:FamilyName>"
    "<v:DateOfBirth>2007-03-09</v:DateOfBirth><v:Gender>2</v:Gender>"
    "<v:GetType>FULL</v:GetType></v:GetLearnerRecord></s:Body></s:Envelope>"
).encode()
# The mirror's equivalent: LearnerServiceR9's GetLearnerLearningEvents, as the .NET client
# sends it (R10 credentials; an empty SOAPAction is dispatched on the Body's element).
MIRROR_R9_PATH = "/LearnerServiceR9.svc"
MIRROR_GET_LEARNING_EVENTS = (
    f'<s:Envelope xmlns:s="{SOAP_NS}"><s:Body '
    'xmlns:i="http://www.w3.org/2001/XMLSchema-instance">'
    '<GetLearnerLearningEvents xmlns="http://tempuri.org/"><invokingOrganisation '
    'xmlns:a="http://schemas.datacontract.org/2004/07/Amor.Qcf.Service.Interface">'
    '<a:OrganisationRef i:nil="true"/><a:Password>DemoCollege2026!</a:Password>'
    "<a:Ukprn>10000001</a:Ukprn><a:Username>demo</a:Username></invokingOrganisation>"
    "<userType>LNR</userType><vendorID>1</vendorID><language>ENG</language>"
    f"<uln>{PLR_ULN}</uln><givenName>Priya</givenName><familyName>Shah</familyName>"
    "<dateOfBirth>2007-03-09</dateOfBirth><gender>2</gender><getType>FULL</getType>"
    "</GetLearnerLearningEvents></s:Body></s:Envelope>"
).encode()
MIRROR_LEARNER_PATH = "/LearnerService.svc"
MIRROR_LEARNER_BY_ULN = (
    b'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
    b'xmlns:fin="http://api.lrs.miap.gov.uk/findmsg"><soapenv:Header/><soapenv:Body>'
    b"<fin:FindLearnerByULN><FindType>FUL</FindType><UKPRN>10000001</UKPRN>"
    b"<OrgPassword>DemoCollege2026!</OrgPassword><UserName>demo</UserName>"
    b"<ULN>1026893096</ULN><FamilyName>Example</FamilyName><GivenName>Sam</GivenName>"
    b"</fin:FindLearnerByULN></soapenv:Body></soapenv:Envelope>")

# The mirror's verifyLearner for the same learner, as the .NET client sends it.
MIRROR_VERIFY_LEARNER = (
    b'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body '
    b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    b'<VerifyLearner xmlns="http://api.lrs.miap.gov.uk/reportmsg">'
    b'<OrganisationRef xsi:nil="true" xmlns=""/><UKPRN xmlns="">10000001</UKPRN>'
    b'<OrgPassword xmlns="">DemoCollege2026!</OrgPassword><UserName xmlns="">demo</UserName>'
    b'<LearnerToVerify xmlns=""><ULN>1026893096</ULN><FamilyName>Example</FamilyName>'
    b"<GivenName>Sam</GivenName><DateOfBirth>2000-01-31</DateOfBirth><Gender>2</Gender>"
    b"</LearnerToVerify></VerifyLearner></s:Body></s:Envelope>")


def prepare_database(database_url: str, learners: int = 0) -> tuple[int, str]:
    """Migrate, load the demo data, optionally seed ``learners`` more learners.

    Returns (learners seeded, a note for the report). Seeding uses
    ``lrs_soap.store.seed.seed_learners`` when that module exists.
    """
    from lrs_soap.bootstrap import build_runtime
    from lrs_soap.config import Settings
    from lrs_soap.service import demo
    from lrs_soap.store import migrate

    migrate.upgrade(database_url)
    runtime = build_runtime(Settings(database_url=database_url))
    try:
        demo.load(runtime.services)
        if learners <= 0:
            return 0, "demo learners only"
        try:
            from lrs_soap.store.seed import seed_learners
        except ImportError:
            return 0, (f"--learners {learners} ignored: lrs_soap.store.seed.seed_learners "
                       "does not exist yet; demo learners only")
        _call_seed(seed_learners, runtime, database_url, learners)
        return learners, f"demo learners + {learners} seeded by lrs_soap.store.seed"
    finally:
        runtime.close()


# How many events the PLR learner's record shows in the profile: the demo's four (an
# achievement, two participations under her ULN, one under the merged duplicate) and
# achievements seeded up to this, a record of a learner a few years into further education.
PLR_EVENTS = 20
_SEEDED_GRADES = ("Pass", "Merit", "Distinction", "A", "B", "C", "7", "6")


def seed_record(database_url: str, events: int = PLR_EVENTS) -> int:
    """Give the PLR learner (``PLR_ULN``) achievements from the demo awarding body until her
    record holds ``events`` events; returns how many were added. Varied as real ones are:
    grades, levels and credits differ, one in five has no award date yet (provisional)."""
    import datetime as dt

    from lrs_soap.bootstrap import build_runtime
    from lrs_soap.config import Settings
    from lrs_soap.domain.achievements import NewEvent

    runtime = build_runtime(Settings(database_url=database_url))
    try:
        with runtime.services.uow_factory() as uow:
            learner = uow.learners.by_uln(PLR_ULN)
            held = len(uow.achievements.events_for_learners(
                (PLR_ULN, *learner.linked_ulns)))
            awarding = uow.organisations.by_ukprn("10000002")
            wanted = [NewEvent(
                learner_uln=PLR_ULN, qualification_reference=f"600/{4000 + n}/{n % 10}",
                subject=f"Level {1 + n % 3} Award in Subject {n:02d}",
                qualification_type=("Award", "Certificate", "Diploma")[n % 3],
                level=f"Level {1 + n % 3}", credits=6 + n % 12,
                grade=None if n % 5 == 4 else _SEEDED_GRADES[n % len(_SEEDED_GRADES)],
                award_date=None if n % 5 == 4 else dt.date(2022, 1, 10) + dt.timedelta(
                    days=47 * n),
                achievement_provider_ukprn="10000001", awarding_organisation_id=awarding.id,
                language_for_assessment="English", status="P" if n % 5 == 4 else "F")
                for n in range(max(0, events - held))]
            uow.achievements.add_events(wanted, job_id=None, now=dt.datetime.now(dt.UTC))
            uow.commit()
        return len(wanted)
    finally:
        runtime.close()


def _call_seed(seed_learners, runtime, database_url: str, count: int) -> None:
    """``seed_learners(engine, count, *, now=...)``; older drafts took fewer arguments."""
    import datetime as dt

    parameters = inspect.signature(seed_learners).parameters
    if "now" in parameters:
        seed_learners(runtime.engine, count, now=dt.datetime.now(dt.UTC))
    else:
        seed_learners(runtime.engine, count)


def load_average() -> list[float]:
    """The machine's 1, 5 and 15 minute load averages, rounded: printed and kept beside every
    benchmark's figures, since the machines they run on are shared."""
    return [round(value, 2) for value in os.getloadavg()]


class Stopwatch:
    """Wall-clock and CPU seconds (this process's, the figure least moved by other work on a
    shared machine) since it was made: ``wall, cpu = watch.elapsed()``."""

    def __init__(self):
        self._wall, self._cpu = time.perf_counter(), time.process_time()

    def elapsed(self) -> tuple[float, float]:
        return time.perf_counter() - self._wall, time.process_time() - self._cpu


def wsgi_environ(body: bytes, path: str = NATIVE_PATH) -> dict:
    return {
        "REQUEST_METHOD": "POST", "PATH_INFO": path, "QUERY_STRING": "",
        "CONTENT_TYPE": "text/xml; charset=utf-8", "CONTENT_LENGTH": str(len(body)),
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1:8000", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr, "wsgi.version": (1, 0), "wsgi.multithread": False,
        "wsgi.multiprocess": True, "wsgi.run_once": False,
    }


def call_wsgi(app, body: bytes, path: str = NATIVE_PATH) -> tuple[str, bytes]:
    status = []

    def start_response(code, headers, exc_info=None):
        status.append(code)

    payload = b"".join(app(wsgi_environ(body, path), start_response))
    return status[0], payload


def summarise(payload: bytes) -> dict:
    """What must be equal between two FindByULN answers: the response code (or the fault
    code) and every learner element in order, with its text (LinkedULNs as a list)."""
    from lxml import etree

    envelope = etree.fromstring(payload)
    body = envelope.find(f"{{{SOAP_NS}}}Body")
    answer = body[0]
    if answer.tag == f"{{{SOAP_NS}}}Fault":
        return {"fault": answer.findtext(f"detail/{{{NATIVE_NS}}}LrsFault/"
                                         f"{{{NATIVE_NS}}}ErrorCode")
                or answer.findtext("faultstring")}
    learner = answer.find(f"{{{NATIVE_NS}}}Learner")
    fields = None
    if learner is not None:
        fields = []
        for child in learner:
            name = etree.QName(child).localname
            if name == "LinkedULNs":
                fields.append((name, [uln.text for uln in child]))
            else:
                fields.append((name, child.text))
    return {"response_code": answer.findtext(f"{{{NATIVE_NS}}}ResponseCode"),
            "learner": fields}


def response_schema_problem(payload: bytes) -> str | None:
    """None when the Body's element validates against the native XSD, else the error."""
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(REPO / "xsd" / "lrs-native-v1.xsd")))
    element = etree.fromstring(payload).find(f"{{{SOAP_NS}}}Body")[0]
    if schema.validate(element):
        return None
    return str(schema.error_log.last_error)
