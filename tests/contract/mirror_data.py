"""Learners of our own for the LearnerServiceR9/ExternalService mirror tests, written into
the gateway's database, and the comparison of a response with a golden tree.

Each test module asks for its own set (``seed(settings, k)``): the shared demo learners
change as other modules run, these do not. Set k's learners are born in year 2000 + k so
the sets never share demographics.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from lrs_soap.bootstrap import build_runtime
from lrs_soap.config import Settings
from lrs_soap.domain.achievements import NewEvent
from lrs_soap.domain.model import LearnerDetails
from lrs_soap.domain.uln import check_digit
from lrs_soap.service import learner_admin, participation

GOLDEN = Path(__file__).resolve().parent / "golden"
XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
VARYING = "*"  # a golden element whose text varies between runs (ids, timestamps)


def uln(k: int, n: int) -> str:
    """The first check-digit-valid ULN at or after body 3k0n00000."""
    body = int(f"3{k}0{n}00000")
    while check_digit(str(body)) is None:
        body += 1
    return f"{body}{check_digit(str(body))}"


@dataclass(frozen=True)
class MirrorLearners:
    k: int

    @property
    def year(self) -> int:
        return 2000 + self.k

    def __getattr__(self, name: str) -> str:  # .ada, .ada_duplicate, .cyd ... -> ULN
        if name in ROLES:
            return uln(self.k, ROLES.index(name))
        raise AttributeError(name)


ROLES = ("ada", "ada_duplicate", "cyd", "dee", "eve", "fay")


def _details(given: str, family: str, year: int, postcode: str, **extra) -> LearnerDetails:
    return LearnerDetails(given, family, dt.date(year, 2, 3), "2", postcode, **extra)


def seed(settings: Settings, k: int) -> MirrorLearners:
    """Set k (idempotent): Ada Golden with an AO achievement and an ILR participation, her
    duplicate ULN merged into hers, Cyd Private (historic opt-out), Dee Update, Eve Audit
    and Fay Award (no events)."""
    people = MirrorLearners(k)
    year = people.year
    learners = {
        "ada": _details("Ada", "Golden", year, "LS1 4AP", title="Dr"),
        "ada_duplicate": _details("Ada", "Golden", year, "LS2 7EE"),
        "cyd": _details("Cyd", "Private", year, "LS1 4AP", ability_to_share="2"),
        "dee": _details("Dee", "Update", year, "LS1 4AP", email_address="dee@example.org"),
        "eve": _details("Eve", "Audit", year, "LS1 4AP"),
        "fay": _details("Fay", "Award", year, "LS1 4AP"),
    }
    with build_runtime(settings) as services:
        now = services.clock()
        with services.uow_factory() as uow:
            if uow.learners.by_uln(people.ada) is not None:
                return people
            for role, details in learners.items():
                assert uow.uln_registry.claim(getattr(people, role), now)
                uow.learners.add(getattr(people, role), details, registered_by=None, now=now)
            awarding = uow.organisations.by_ukprn("10000002")
            uow.achievements.add_events([NewEvent(
                learner_uln=people.ada, qualification_reference="100/2510/8",
                subject="Demo Level 2 Certificate in Horticulture",
                qualification_type="Certificate", level="Level 2", credits=13,
                grade="Distinction", award_date=dt.date(2024, 6, 30),
                achievement_provider_ukprn="10000001", awarding_organisation_id=awarding.id,
                language_for_assessment="English", status="F")], job_id=None, now=now)
            uow.commit()
        participation.import_events(services, [{
            "uln": people.ada, "source": "ILR", "subject_code": "60312345",
            "subject": "Level 3 Diploma in Digital Skills", "qualification_type": "Diploma",
            "level": "Level 3", "start_date": "2022-09-05", "end_date": "2024-06-28",
            "collection_type": "W", "return_number": "02", "provider_ukprn": "10000001",
            "provider_name": "Demo College"}], actor="mirror-tests")
        learner_admin.merge(services, people.ada_duplicate, people.ada, actor="mirror-tests")
    return people


# ----- golden trees -----

def golden(path: str, **values: str) -> bytes:
    """A golden file with ``{name}`` placeholders filled (ULNs of the learner set)."""
    text = (GOLDEN / path).read_text(encoding="utf-8")
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text.encode()


def differences(actual: etree._Element, expected: etree._Element, varying: frozenset[str],
                where: str = "") -> list[str]:
    """Where two trees differ: names and namespaces, prefixes, attributes, text and child
    order all count; the text of elements named in ``varying`` (local names) must be
    non-empty in ``actual`` and ``*`` in ``expected``."""
    here = f"{where}/{etree.QName(expected).localname}"
    problems = []
    if actual.tag != expected.tag or actual.prefix != expected.prefix:
        return [f"{here}: got {actual.prefix}:{actual.tag}, want {expected.prefix}:"
                f"{expected.tag}"]
    if dict(actual.attrib) != dict(expected.attrib):
        problems.append(f"{here}: attributes {dict(actual.attrib)} != {dict(expected.attrib)}")
    got, want = (actual.text or "").strip(), (expected.text or "").strip()
    if etree.QName(expected).localname in varying and want == VARYING:
        if not got:
            problems.append(f"{here}: empty, want a value")
    elif got != want:
        problems.append(f"{here}: text {got!r} != {want!r}")
    got_children, want_children = list(actual), list(expected)
    for mine, theirs in zip(got_children, want_children, strict=False):
        problems.extend(differences(mine, theirs, varying, here))
    if len(got_children) != len(want_children):
        names = lambda children: [etree.QName(c).localname for c in children]  # noqa: E731
        problems.append(f"{here}: children {names(got_children)} != {names(want_children)}")
    return problems


def parse(body: bytes) -> etree._Element:
    parser = etree.XMLParser(remove_blank_text=True, remove_comments=True)
    return etree.fromstring(body, parser)
