"""The Submit*Batch SOAP message of a batch file, one record per line, and the way back from
a schema error's line number to the file.

:func:`build_message` is the one function that turns a :class:`~.batchfiles.BatchFile` into
the SOAP envelope: ``lrs-client validate`` validates exactly these bytes against the
contract XSD offline, and the submit commands send exactly these bytes. The layout::

    line 1   <?xml version="1.0" encoding="UTF-8"?>
    line 2   <soap-env:Envelope ...><soap-env:Body><tns:SubmitLearnerBatch>
    line 3   <tns:Credentials>...</tns:Credentials>
    line 4.. the operation's other elements, one a line (JobType, LearnerRecordCount, OrgEmail,
             SubmissionType, RecordCount: whichever the operation has)
    then     one record (<tns:Learner> or <tns:Achievement>, start to end tag) a line
    last     </tns:SubmitLearnerBatch></soap-env:Body></soap-env:Envelope>

Line breaks inside values are written as character references (``&#10;``), so a record
never spans two lines. libxml2 reports a schema violation at the line of the element it is
about, so the line names the record (or the header field) it came from, whether lxml found
it here or the server did: the server's WSEC0001 fault lists every violation as
``line N: Element 'X': why``, one a line, counted in the request it received, which is this
message. :func:`map_errors` turns those lines into :class:`~.batchfiles.FileError` values:
file line, record number, field and rule.

A content-model error names an element that is in the right place only because an earlier
required one is missing ("Element 'LastKnownPostCode': This element is not expected.
Expected is one of ( MiddleOtherName, FamilyName )"): the field reported is the missing one,
the last of those expected (the elements are always written in contract order).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from lxml import etree

from .batchfiles import SAFE_PARSER, SCHEMA, BatchFile, FileError, Kind, Record

NS = "urn:lrs-soap:native:v1"
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
MISSING = "is required but missing"

_FAULT_LINE = re.compile(r"line (?P<line>\d+): (?P<text>.*)")
_ELEMENT = re.compile(r"Element '(?P<name>[^']*)': (?P<why>.*)", re.S)
_EXPECTED = re.compile(r"Expected is (?:one of )?\( (?P<names>[^)]*) \)")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;",
                          "\n": "&#10;"})

# The operation's own elements that carry a header field of the file.
_FROM_HEADER = {("SubmitVerifyBatch", "OrgEmail"): "ContactEmail",
                ("SubmitAchievementBatch", "SubmissionType"): "SubmissionType"}


@dataclass(frozen=True)
class Place:
    """What one line of the message holds: a record, a header field or another element."""

    record: Record | None = None
    header: str | None = None  # the file's header field (ContactEmail...)
    element: str | None = None  # the message element (Credentials, JobType, OrgEmail...)


@dataclass(frozen=True)
class Message:
    kind: Kind
    operation: str
    data: bytes  # the whole SOAP envelope, UTF-8
    places: Mapping[int, Place]  # message line -> what it holds
    header_lines: Mapping[str, int]  # the file's header field -> its file line
    records: tuple[Record, ...]  # as sent: the server's RecordNumber n is records[n - 1]


def _escape(text: str) -> str:
    return text.translate(_ESCAPES)


def _element(name: str, text: str) -> str:
    return f"<tns:{name}>{_escape(text)}</tns:{name}>"


def _credentials(credentials: Mapping[str, str | None]) -> str:
    inner = "".join(_element(name, value) for name, value in credentials.items()
                    if value is not None)
    return f"<tns:Credentials>{inner}</tns:Credentials>"


def operation_elements(batch: BatchFile, *, job_type: str = "FUL",
                       submission_type: str | None = None) -> list[tuple[str, str]]:
    """The operation's elements between Credentials and the records, as (name, text)."""
    kind = batch.kind
    assert kind is not None
    count = str(len(batch.records))
    if kind.code == "LRB":
        return [("JobType", job_type), ("LearnerRecordCount", count)]
    if kind.code == "VLD":
        email = batch.header.get("ContactEmail")
        return [("LearnerRecordCount", count)] + ([("OrgEmail", email)] if email else [])
    submission = submission_type or batch.header.get("SubmissionType")
    return ([("SubmissionType", submission)] if submission else []) + [("RecordCount", count)]


def build_message(batch: BatchFile, credentials: Mapping[str, str | None], *,
                  job_type: str = "FUL", submission_type: str | None = None) -> Message:
    """The Submit*Batch envelope for ``batch``'s records, one record a line (module docstring).

    ``credentials``: the Credentials element's children (None leaves one out);
    ``job_type``: FUL or CHK (learner batches); ``submission_type``: PROVISIONAL or FINAL
    (achievement batches), else the file header's, else none (the server takes FINAL).
    """
    kind = batch.kind
    assert kind is not None
    operation = kind.submit
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<soap-env:Envelope xmlns:soap-env="{SOAP_ENV}" xmlns:tns="{NS}">'
        f"<soap-env:Body><tns:{operation}>",
        _credentials(credentials),
    ]
    places: dict[int, Place] = {3: Place(element="Credentials")}
    for name, text in operation_elements(batch, job_type=job_type,
                                         submission_type=submission_type):
        lines.append(_element(name, text))
        header = _FROM_HEADER.get((operation, name))
        if header and batch.header.get(header) != text:
            header = None  # given on the command line, not taken from the file
        places[len(lines)] = Place(header=header, element=name)
    for record in batch.records:
        fields = "".join(_element(name, value) for name, value in record.values.items())
        lines.append(f"<tns:{kind.record}>{fields}</tns:{kind.record}>")
        places[len(lines)] = Place(record=record)
    lines.append(f"</tns:{operation}></soap-env:Body></soap-env:Envelope>")
    return Message(kind, operation, ("\n".join(lines) + "\n").encode("utf-8"), places,
                   dict(batch.header_lines), tuple(batch.records))


def body_of(message: Message) -> etree._Element:
    """The message's operation element, parsed as the server parses it."""
    envelope = etree.fromstring(message.data, etree.XMLParser(**SAFE_PARSER))
    return envelope[0][0]


def schema_errors(message: Message, schema: etree.XMLSchema) -> list[FileError]:
    """Validate the message's body as the server does; every violation, mapped to the file."""
    if schema.validate(body_of(message)):
        return []
    return map_errors(((error.line, plain(error.message)) for error in schema.error_log),
                      message)


def plain(text: str) -> str:
    """libxml2's message without the contract namespace (as the server's fault has it)."""
    return text.replace(f"{{{NS}}}", "")


def field_and_rule(text: str) -> tuple[str, str]:
    """The field a schema message is about and the rule it states (module docstring)."""
    match = _ELEMENT.match(text)
    if match is None:
        return "", text
    name, why = match["name"], match["why"]
    if "Missing child element" in why or "This element is not expected" in why:
        expected = _EXPECTED.search(why)
        if expected:
            return plain(expected["names"]).split(", ")[-1].strip(), MISSING
    return name, why


def map_errors(errors: Iterable[tuple[int, str]], message: Message) -> list[FileError]:
    """(message line, "Element 'X': why") pairs as FileErrors: file line, record, field."""
    mapped = []
    for line, text in errors:
        name, rule = field_and_rule(text)
        place = message.places.get(line)
        if place is None:
            mapped.append(FileError(0, 0, name, rule, SCHEMA))
        elif place.record is not None:
            record = place.record
            mapped.append(FileError(record.line_of(name), record.number, name, rule, SCHEMA))
        elif place.header is not None:
            header_line = message.header_lines.get(place.header, 0)
            mapped.append(FileError(header_line, 0, place.header, rule, SCHEMA))
        else:  # Credentials or a command-line option: nothing in the file
            mapped.append(FileError(0, 0, name, rule, SCHEMA))
    return mapped


def map_fault(further_details: str, message: Message) -> list[FileError]:
    """The server's WSEC0001 FurtherDetails ("line N: Element 'X': why", one a line) mapped
    to the file; a line of another shape (the "... and 12 more" of a long list) is kept
    as the rule of an error at line 0, record 0."""
    errors, other = [], []
    for text in further_details.splitlines():
        match = _FAULT_LINE.fullmatch(text.strip())
        if match:
            errors.append((int(match["line"]), match["text"]))
        elif text.strip():
            other.append(FileError(0, 0, "", text.strip(), SCHEMA))
    return map_errors(errors, message) + other
