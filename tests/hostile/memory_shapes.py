"""Request bodies for measuring memory per request: for each hostile shape, the densest
16 MiB body of it that the element budget lets through (lrs_soap.soap.limits), and real
batches of the largest sizes the charter allows, as the clients send them."""

from __future__ import annotations

from collections.abc import Iterator

from lrs_soap.domain.uln import check_digit
from lrs_soap.soap.limits import too_many_nodes
from tests.conftest import NATIVE_NS

LIMIT = 16 * 1024 * 1024
SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
NATIVE = (f'<s:Envelope xmlns:s="{SOAP}" xmlns:v="{NATIVE_NS}"><s:Body><v:FindByULN>').encode()
NATIVE_END = b"</v:FindByULN></s:Body></s:Envelope>"
MIRROR = (f'<soapenv:Envelope xmlns:soapenv="{SOAP}" '
          'xmlns:fin="http://api.lrs.miap.gov.uk/findmsg"><soapenv:Body>'
          "<fin:FindLearnerByULN>").encode()
MIRROR_END = b"</fin:FindLearnerByULN></soapenv:Body></soapenv:Envelope>"
WRAPPERS = {"/soap/v1": (NATIVE, NATIVE_END), "/LearnerService.svc": (MIRROR, MIRROR_END)}

# (the repeated unit, split where padding goes: inside its first tag, which costs nothing)
PREFIX = b"p" * 200
HOSTILE_UNITS = {
    "elements": (b"<a", b"/>"),
    "elements with text": (b"<a", b">x</a>"),
    "elements and blanks": (b"<a", b"/> "),
    "attributes": (b'<a b="" c="" d="" e="" f=""', b"/>"),
    "namespace declarations": (b'<p:a xmlns:p="u"', b"/>"),
    "long namespace prefixes": (b"<" + PREFIX + b":a xmlns:" + PREFIX + b'="urn:x"', b"/>"),
}


def densest(start: bytes, end: bytes, head: bytes, tail: bytes) -> bytes:
    """The 16 MiB body of head+padding+tail units with the least padding still accepted."""
    for pad in range(0, 400):
        unit = head + b" " * pad + tail
        body = start + unit * ((LIMIT - 1024 - len(start) - len(end)) // len(unit)) + end
        if too_many_nodes(body) is None:
            return body
    raise AssertionError(f"no padding lets {head + tail!r} through")


def hostile_shapes(path: str) -> Iterator[tuple[str, bytes]]:
    start, end = WRAPPERS[path]
    yield "tiny elements", start + b"<a/>" * ((LIMIT - 1024 - len(start) - len(end)) // 4) + end
    for name, (head, tail) in HOSTILE_UNITS.items():
        yield name, densest(start, end, head, tail)


def ulns() -> Iterator[str]:
    number = 100000000
    while True:
        number += 1
        digit = check_digit(str(number))
        if digit is not None:
            yield f"{number}{digit}"


NATIVE_AO = ("<v:Credentials><v:UKPRN>10000002</v:UKPRN><v:UserName>demo</v:UserName>"
             "<v:OrgPassword>DemoAwarding2026</v:OrgPassword></v:Credentials>")


def native_achievements(records: int = 10_000) -> bytes:
    """A native SubmitAchievementBatch as bench_batch sends it (one record a line)."""
    lines = [
        f"<v:Achievement><v:Action>CREATE</v:Action><v:ULN>{uln}</v:ULN>"
        "<v:GivenName>Bo</v:GivenName><v:FamilyName>Lee</v:FamilyName>"
        "<v:DateOfBirth>2001-02-03</v:DateOfBirth><v:Gender>2</v:Gender>"
        "<v:QualificationReference>100/2510/8</v:QualificationReference>"
        "<v:Grade>Pass</v:Grade><v:AwardDate>2024-07-01</v:AwardDate>"
        "<v:ActionDate>2024-07-02</v:ActionDate><v:ProviderUKPRN>10000001</v:ProviderUKPRN>"
        "</v:Achievement>" for uln, _ in zip(ulns(), range(records), strict=False)]
    return (f'<s:Envelope xmlns:s="{SOAP}" xmlns:v="{NATIVE_NS}"><s:Body>'
            f"<v:SubmitAchievementBatch>{NATIVE_AO}<v:RecordCount>{records}</v:RecordCount>"
            + "\n".join(lines) + "</v:SubmitAchievementBatch></s:Body></s:Envelope>").encode()


def native_learners(records: int = 200) -> bytes:
    """A native SubmitLearnerBatch of CHK records (finds only), compact."""
    body = ("<v:Learner><v:GivenName>Many</v:GivenName><v:FamilyName>People</v:FamilyName>"
            "<v:LastKnownPostCode>LS2 9JT</v:LastKnownPostCode>"
            "<v:DateOfBirth>2001-07-08</v:DateOfBirth><v:Gender>2</v:Gender>"
            "<v:VerificationType>1</v:VerificationType><v:AbilityToShare>1</v:AbilityToShare>"
            "</v:Learner>") * records
    return (f'<s:Envelope xmlns:s="{SOAP}" xmlns:v="{NATIVE_NS}"><s:Body>'
            "<v:SubmitLearnerBatch><v:Credentials><v:UKPRN>10000001</v:UKPRN>"
            "<v:UserName>demo</v:UserName><v:OrgPassword>DemoCollege2026!</v:OrgPassword>"
            f"</v:Credentials><v:JobType>CHK</v:JobType>"
            f"<v:LearnerRecordCount>{records}</v:LearnerRecordCount>{body}"
            "</v:SubmitLearnerBatch></s:Body></s:Envelope>").encode()


MIRROR_FIELDS = (("AchievementAwardDate", "2025-06-30T00:00:00"), ("Action", "1"),
                 ("ActionDate", "2025-07-01T09:30:00"), ("DateofBirth", "2001-02-03T00:00:00"),
                 ("FamilyName", "Lee"), ("Gender", "2"), ("GivenName", "Bo"),
                 ("Grade", "Pass"), ("LanguageForAssessment", None), ("LearnerPostcode", None),
                 ("MisIdentifier", None), ("ProviderUkprn", "10000001"), ("Uln", "{uln}"),
                 ("UnitOrQualificationReferenceNumber", "100/2510/8"))


def mirror_achievements(records: int = 10_000, *, dotnet: bool) -> bytes:
    """A mirror SubmitAchievementBatchJob: as PHP's SoapClient writes it (ns1/ns2 prefixes,
    indented), or as WCF's DataContractSerializer does (a:/i: prefixes, nil fields, no
    blanks: the densest real shape)."""
    p, m = ("a", "b") if dotnet else ("ns1", "ns2")
    gap = "" if dotnet else "\n        "
    fields = "".join(
        f'{gap}<{p}:{name} i:nil="true"/>' if value is None and dotnet  # as WCF sends them
        else f"{gap}<{p}:{name}>{value or 'English'}</{p}:{name}>"
        for name, value in MIRROR_FIELDS)
    record = f"{gap}<{p}:Achievement>{fields}{gap}</{p}:Achievement>"
    body = "".join(record.format(uln=uln) for uln, _ in zip(ulns(), range(records),
                                                              strict=False))
    return (f'<s:Envelope xmlns:s="{SOAP}"><s:Body>'
            f'<{p}:SubmitAchievementBatchJob xmlns:{p}="http://api.lrs.qcf.gov.uk/services" '
            f'xmlns:{m}="http://api.lrs.qcf.gov.uk/model" '
            'xmlns:i="http://www.w3.org/2001/XMLSchema-instance">'
            f"<{p}:invokingUser><{m}:OrgPassword>DemoAwarding2026</{m}:OrgPassword>"
            f"<{m}:OrganisationRef>DEMOAO</{m}:OrganisationRef><{m}:UserName>demo</{m}:UserName>"
            f"</{p}:invokingUser><{p}:emailAddress>results@example.org</{p}:emailAddress>"
            f"<{p}:submissionType>FINAL</{p}:submissionType><{p}:achievements>{body}"
            f"</{p}:achievements></{p}:SubmitAchievementBatchJob></s:Body></s:Envelope>"
            ).encode()


def real_batches() -> Iterator[tuple[str, str, bytes, bytes]]:
    """(path, name, body, a small one of the same kind) of the largest batches the charter
    allows, which must be taken. The small one is sent first, so that what a worker does once
    (importing, caching statements) is not counted against the large one."""
    yield ("/soap/v1", "10,000 achievements", native_achievements(),
           native_achievements(10))
    yield "/soap/v1", "200 learners", native_learners(), native_learners(2)
    yield ("/ExternalService.svc", "10,000 achievements (PHP)",
           mirror_achievements(dotnet=False), mirror_achievements(10, dotnet=False))
    yield ("/ExternalService.svc", "10,000 achievements (.NET)",
           mirror_achievements(dotnet=True), mirror_achievements(10, dotnet=True))


def all_shapes() -> Iterator[tuple[str, str, bytes, bytes]]:
    for path, (start, end) in WRAPPERS.items():
        for name, body in hostile_shapes(path):
            yield path, name, body, start + end
    yield from real_batches()
