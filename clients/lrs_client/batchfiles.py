"""Batch files: the three kinds, their names, headers and headings, read from CSV or XML.

A batch file is read into a :class:`BatchFile`: its kind, the header record, and the records
as dicts keyed by contract element name (an empty CSV cell or an empty XML element is an
absent field), each with the file line it came from. Whatever is wrong with the file itself
(its name, the header record, the headings, its structure, the number of records) is
collected as :class:`FileError` values, and the records are read all the same wherever that
makes sense (a column under a wrongly cased heading as the element it spells, an unknown
column not at all), so that one run reports everything. The field values are not judged
here: that is the contract schema's job (batchmessage.py, validate.py) and the server's
domain rules' (rules.py).

File formats (docs/batch-files.md):

* name ``<KIND>_<UKPRN>_<DDMMYYYYHHMM>.CSV`` or ``.XML``: KIND LRB (learner registration),
  VLD (verification) or ACH (achievements); UKPRN 8 letters or digits; the timestamp a
  real date and time; the extension in upper case;
* CSV: row 1 the headings, exactly the record type's element names in contract order; row 2
  the header record (FileVersion, FileName, UKPRN, then ContactEmail or SubmissionType);
  rows 3 onwards one record each;
* XML: ``<LRBBatch>`` (``VLDBatch``, ``ACHBatch``), no namespace, holding ``<Header>`` with
  the four header elements, then one ``<Learner>`` (``<Achievement>``) per record whose
  children are the record type's elements, in any order (an unknown or wrongly cased one is
  a ``headings`` error, as in a CSV file). Parsed with entities, DTDs and network off; a
  DOCTYPE is refused.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

# ----- the three kinds ----------------------------------------------------------------------

LEARNER_TO_REGISTER = (
    "Title", "GivenName", "MiddleOtherName", "FamilyName", "PreferredGivenName",
    "PreviousFamilyName", "FamilyNameAtAge16", "SchoolAtAge16", "LastKnownAddressLine1",
    "LastKnownAddressLine2", "LastKnownAddressTown", "LastKnownAddressCountyOrCity",
    "LastKnownPostCode", "DateOfAddressCapture", "DateOfBirth", "PlaceOfBirth", "Gender",
    "EmailAddress", "Nationality", "ScottishCandidateNumber", "VerificationType",
    "OtherVerificationDescription", "AbilityToShare", "Notes",
)
BATCH_LEARNER = (*LEARNER_TO_REGISTER, "ULN", "MISIdentifier")
VERIFY_BATCH_LEARNER = ("MISIdentifier", "ULN", "GivenName", "FamilyName", "DateOfBirth",
                        "Gender")
ACHIEVEMENT = ("MISIdentifier", "Action", "ULN", "GivenName", "FamilyName", "DateOfBirth",
               "Gender", "QualificationReference", "Grade", "AwardDate", "ActionDate",
               "ActionReason", "ProviderUKPRN", "LanguageForAssessment")


@dataclass(frozen=True)
class Kind:
    """One kind of batch file and the SOAP operations that carry it."""

    code: str  # LRB, VLD, ACH: the file name's prefix
    name: str  # learner, verify, achievement: the get-batch argument
    title: str
    record_type: str  # the contract complexType of a record
    record: str  # the record element, in the XML file and in the SOAP message
    fields: tuple[str, ...]  # the record type's elements in contract order: the CSV headings
    header: tuple[str, ...]  # the header record's fields, in CSV column order
    optional_header: frozenset[str]
    version: str  # FileVersion
    limit: int  # most records in one file
    submit: str  # the Submit operation
    get: str  # the Get operation

    @property
    def root(self) -> str:
        return f"{self.code}Batch"

    @property
    def a_title(self) -> str:
        """The title with its article: "a learner registration", "an achievement"."""
        return f"{'an' if self.title[0] in 'aeiou' else 'a'} {self.title}"


LRB = Kind("LRB", "learner", "learner registration", "BatchLearner", "Learner", BATCH_LEARNER,
           ("FileVersion", "FileName", "UKPRN", "ContactEmail"), frozenset(), "2A", 200,
           "SubmitLearnerBatch", "GetLearnerBatch")
VLD = Kind("VLD", "verify", "verification", "VerifyBatchLearner", "Learner",
           VERIFY_BATCH_LEARNER, ("FileVersion", "FileName", "UKPRN", "ContactEmail"),
           frozenset(), "1A", 200, "SubmitVerifyBatch", "GetVerifyBatch")
ACH = Kind("ACH", "achievement", "achievement", "Achievement", "Achievement", ACHIEVEMENT,
           ("FileVersion", "FileName", "UKPRN", "SubmissionType"),
           frozenset({"SubmissionType"}), "1A", 10_000, "SubmitAchievementBatch",
           "GetAchievementBatch")
KINDS = {kind.code: kind for kind in (LRB, VLD, ACH)}
BY_NAME = {kind.name: kind for kind in (LRB, VLD, ACH)}

SUBMISSION_TYPES = ("PROVISIONAL", "FINAL")

# FileError.category: where an error was found (docs/batch-files.md, "What validate checks")
NAME, HEADER, HEADINGS, STRUCTURE = "name", "header", "headings", "structure"
SCHEMA, FIELD, RULE = "schema", "field", "rule"

NAME_FIELD = "(file name)"  # FileError.field of a file-name error

_FILE_NAME = re.compile(r"(?P<kind>[A-Za-z]{3})_(?P<ukprn>[^_]*)_(?P<stamp>[^_.]*)"
                        r"\.(?P<ext>[A-Za-z]+)")
_UKPRN = re.compile(r"[0-9A-Za-z]{8}")
_STAMP = re.compile(r"\d{12}")
# Characters XML 1.0 cannot carry, even as character references.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

SAFE_PARSER = dict(resolve_entities=False, no_network=True, load_dtd=False,
                   dtd_validation=False, huge_tree=False, remove_comments=True,
                   remove_pis=True)


@dataclass(frozen=True, order=True)
class FileError:
    """One error: the file line (0: not a line, e.g. the file name), the record number
    (0: not a record, e.g. the header), the field (element or header field name) and why."""

    line: int
    record: int
    field: str
    rule: str
    category: str = ""

    def key(self) -> tuple[int, str]:
        """What identifies the error whoever found it (validator or server): record, field."""
        return (self.record, self.field)

    def as_dict(self) -> dict[str, object]:
        return {"line": self.line, "record": self.record, "field": self.field,
                "rule": self.rule, "category": self.category}


@dataclass
class Record:
    number: int  # 1-based, in file order: the server's RecordNumber
    line: int  # the file line where the record starts
    values: dict[str, str]  # element name -> text, contract order; absent fields left out
    lines: dict[str, int] = field(default_factory=dict)  # element -> its line (XML files)

    def line_of(self, name: str) -> int:
        return self.lines.get(name, self.line)


@dataclass
class BatchFile:
    path: Path
    kind: Kind | None = None
    format: str | None = None  # CSV or XML
    header: dict[str, str] = field(default_factory=dict)
    header_lines: dict[str, int] = field(default_factory=dict)
    records: list[Record] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    name_ukprn: str | None = None
    readable: bool = True  # False: no records could be read (wrong headings, bad XML...)
    total_records: int = 0  # including any beyond the limit, which are not in ``records``
    first_extra_line: int = 0  # the line of the first record beyond the limit

    def error(self, line: int, record: int, name: str, rule: str, category: str) -> None:
        self.errors.append(FileError(line, record, name, rule, category))

    @property
    def header_line(self) -> int:
        return min(self.header_lines.values(), default=2 if self.format == "CSV" else 0)


class FileUnreadable(Exception):
    """The file cannot be opened at all (the CLI exits 2)."""


# ----- reading ------------------------------------------------------------------------------


def read_batch_file(path: str | Path, ukprn: str | None = None) -> BatchFile:
    """Read ``path``; every problem found is in ``.errors``. ``ukprn``: the submitting
    organisation's UKPRN, which the header's must equal (None: not checked)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FileUnreadable(f"cannot read {path}: {exc.strerror or exc}") from None
    batch = BatchFile(path)
    kind_from_name, format_from_name = _check_name(batch)
    batch.format = format_from_name or _sniff_format(data)
    if batch.format == "XML":
        root = _parse_xml(batch, data)
        batch.kind = kind_from_name or _kind_of_xml(root)
        if batch.kind is None:
            _cannot_tell_kind(batch)
        elif root is not None:
            _read_xml(batch, root)
    else:
        rows = _csv_rows(batch, data)
        batch.kind = kind_from_name or _kind_of_csv(rows)
        if batch.kind is None:
            _cannot_tell_kind(batch)
        elif rows is not None:
            _read_csv(batch, rows)
    if batch.kind is not None:
        _check_header(batch, ukprn)
        _check_count(batch)
    return batch


def _cannot_tell_kind(batch: BatchFile) -> None:
    batch.readable = False
    batch.error(0, 0, NAME_FIELD, "cannot tell the kind of file: the name must start LRB_, "
                "VLD_ or ACH_", NAME)


def _check_name(batch: BatchFile) -> tuple[Kind | None, str | None]:
    """File-name errors; the kind and format the name gives, when it gives them."""
    name = batch.path.name
    match = _FILE_NAME.fullmatch(name)
    prefix = name[:3].upper()
    kind = KINDS.get(prefix) if name[3:4] == "_" else None
    ext = batch.path.suffix[1:].upper()
    fmt = ext if ext in ("CSV", "XML") else None
    shape = f"{kind.code if kind else '<LRB|VLD|ACH>'}_<UKPRN>_<DDMMYYYYHHMM>.CSV or .XML"

    def error(rule: str) -> None:
        batch.error(0, 0, NAME_FIELD, rule, NAME)

    if match is None:
        error(f"the file name must be {shape}")
        return kind, fmt
    if match["kind"] not in KINDS:
        error(f"the file name must start LRB_, VLD_ or ACH_, not {match['kind']}_")
    if _UKPRN.fullmatch(match["ukprn"]):
        batch.name_ukprn = match["ukprn"]
    else:
        error(f"the UKPRN in the file name must be 8 letters or digits, not "
              f"{match['ukprn']!r}")
    stamp = match["stamp"]
    if not _STAMP.fullmatch(stamp):
        error(f"the timestamp in the file name must be DDMMYYYYHHMM, not {stamp!r}")
    else:
        try:
            dt.datetime(int(stamp[4:8]), int(stamp[2:4]), int(stamp[0:2]), int(stamp[8:10]),
                        int(stamp[10:12]))
        except ValueError:
            error(f"the timestamp in the file name, {stamp}, is not a real date and time "
                  "(DDMMYYYYHHMM)")
    if match["ext"] not in ("CSV", "XML"):
        if fmt:
            error(f"the extension must be upper case: .{fmt}, not .{match['ext']}")
        else:
            error(f"the extension must be .CSV or .XML, not .{match['ext']}")
    return kind, fmt


def _sniff_format(data: bytes) -> str:
    return "XML" if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") else "CSV"


def _check_header(batch: BatchFile, ukprn: str | None) -> None:
    kind = batch.kind
    assert kind is not None
    if not batch.header_lines and not batch.readable:
        return  # nothing could be read: already reported
    header, lines = batch.header, batch.header_lines
    line = batch.header_line

    def error(name: str, rule: str) -> None:
        batch.error(lines.get(name, line), 0, name, rule, HEADER)

    for name in kind.header:
        if not header.get(name) and name not in kind.optional_header:
            error(name, "is required in the header record")
    version = header.get("FileVersion")
    if version and version != kind.version:
        error("FileVersion", f"must be {kind.version} in a {kind.code} file, not {version!r}")
    file_ukprn = header.get("UKPRN")
    if file_ukprn:
        if batch.name_ukprn and file_ukprn != batch.name_ukprn:
            error("UKPRN", f"{file_ukprn} is not the UKPRN in the file name "
                  f"({batch.name_ukprn})")
        elif not _UKPRN.fullmatch(file_ukprn):
            error("UKPRN", f"must be 8 letters or digits, not {file_ukprn!r}")
        elif ukprn and file_ukprn != ukprn:
            error("UKPRN", f"{file_ukprn} is not your organisation's UKPRN ({ukprn})")


def _check_count(batch: BatchFile) -> None:
    kind = batch.kind
    assert kind is not None
    if not batch.readable:
        return
    if batch.total_records == 0:
        line = batch.header_line + 1 if batch.header_lines else 0
        batch.error(line, 0, kind.record, f"the file holds no records: at least one "
                    f"{kind.record} is needed", STRUCTURE)
    elif batch.total_records > kind.limit:
        batch.error(batch.first_extra_line, kind.limit + 1, kind.record,
                    f"{batch.total_records} records: {kind.a_title} file holds at most "
                    f"{kind.limit:,}; records after the {kind.limit:,}th are not checked",
                    STRUCTURE)


def _add_record(batch: BatchFile, line: int, values: dict[str, str],
                lines: dict[str, int] | None = None) -> None:
    assert batch.kind is not None
    batch.total_records += 1
    number = batch.total_records
    if number > batch.kind.limit:
        if number == batch.kind.limit + 1:
            batch.first_extra_line = line
        return
    for name, value in list(values.items()):
        if _NOT_XML.search(value):
            batch.error((lines or {}).get(name, line), number, name,
                        "holds a control character, which XML cannot carry; it was removed",
                        STRUCTURE)
            values[name] = _NOT_XML.sub("", value)
    ordered = {name: values[name] for name in batch.kind.fields if values.get(name)}
    batch.records.append(Record(number, line, ordered, dict(lines or {})))


# ----- CSV ----------------------------------------------------------------------------------


def _csv_rows(batch: BatchFile, data: bytes) -> list[tuple[int, list[str]]] | None:
    """(first line, cells) of each row; blank rows are skipped."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        batch.readable = False
        batch.error(line, 0, "", "the file is not UTF-8 text", STRUCTURE)
        return None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows = []
    previous = 0
    try:
        for cells in reader:
            start, previous = previous + 1, reader.line_num
            if any(cell != "" for cell in cells):
                rows.append((start, cells))
    except csv.Error as exc:
        batch.readable = False
        batch.error(reader.line_num, 0, "", f"not valid CSV: {exc}", STRUCTURE)
        return None
    return rows


def _kind_of_csv(rows: list[tuple[int, list[str]]] | None) -> Kind | None:
    if not rows:
        return None
    headings = set(rows[0][1])
    scores = {kind: len(headings & set(kind.fields)) for kind in KINDS.values()}
    best = max(scores.values())
    matching = [kind for kind, score in scores.items() if score == best]
    return matching[0] if best >= 3 and len(matching) == 1 else None


def _read_csv(batch: BatchFile, rows: list[tuple[int, list[str]]]) -> None:
    kind = batch.kind
    assert kind is not None
    if not rows:
        batch.readable = False
        batch.error(1, 0, "", f"the file is empty: row 1 must hold the headings "
                    f"({', '.join(kind.fields)})", STRUCTURE)
        return
    line, headings = rows[0]
    columns = _check_headings(batch, line, headings)
    if len(rows) < 2:
        batch.error(line + 1, 0, "FileVersion", "row 2 must hold the header record: "
                    + ", ".join(kind.header), HEADER)
        batch.header_lines = {name: line + 1 for name in kind.header}
        return
    header_line, cells = rows[1]
    batch.header_lines = {name: header_line for name in kind.header}
    batch.header = {name: value for name, value in zip(kind.header, cells, strict=False)
                    if value != ""}
    extra = [cell for cell in cells[len(kind.header):] if cell != ""]
    if extra:
        batch.error(header_line, 0, "", f"the header record holds only {', '.join(kind.header)}"
                    f": {len(extra)} more cell(s) are filled", HEADER)
    width = len(columns)
    for line, cells in rows[2:]:
        if len(cells) > width and any(cell != "" for cell in cells[width:]):
            batch.error(line, batch.total_records + 1, "", f"the row has {len(cells)} cells "
                        f"but there are {width} headings", STRUCTURE)
        _add_record(batch, line, {name: cell for name, cell in zip(columns, cells, strict=False)
                                  if name is not None and cell != ""})


def _check_headings(batch: BatchFile, line: int, headings: list[str]) -> list[str | None]:
    """Row 1 must be exactly the record type's element names, in order, case-sensitive.

    Every deviation is an error, but the records are still read: each column as the element
    its heading names (a wrongly cased heading as the element it spells), an unknown or
    repeated heading's column not at all. Returns the element of each column.
    """
    kind = batch.kind
    assert kind is not None
    expected = list(kind.fields)
    while headings and headings[-1] == "" and len(headings) > len(expected):
        headings = headings[:-1]  # trailing empty cells (a spreadsheet's) are no heading
    if headings == expected:
        return list(expected)

    def error(name: str, rule: str) -> None:
        batch.error(line, 0, name, rule, HEADINGS)

    by_lower = {name.lower(): name for name in expected}
    columns: list[str | None] = []
    found = len(batch.errors)
    for position, heading in enumerate(headings, start=1):
        proper = by_lower.get(heading.strip().lower())
        if proper is not None and proper in columns:
            error(proper, f"column {position}: the heading {heading!r} appears twice; "
                  "this column is ignored")
            proper = None
        elif proper is not None and heading != proper:
            error(proper, f"column {position}: the heading is {proper}, not {heading!r} "
                  "(headings are case-sensitive)")
        elif proper is None:
            error(heading, f"column {position}: {heading!r} is not a {kind.record_type} "
                  "element; this column is ignored")
        columns.append(proper)
    for name in expected:
        if name not in columns:
            error(name, "the heading is missing (its column must be there, even if empty)")
    if len(batch.errors) == found:  # the right headings, in the wrong order
        error("", "the headings must be in contract order: " + ", ".join(expected))
    return columns


# ----- XML ----------------------------------------------------------------------------------


def _parse_xml(batch: BatchFile, data: bytes) -> etree._Element | None:
    parser = etree.XMLParser(**SAFE_PARSER)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        batch.readable = False
        batch.error(exc.lineno or 0, 0, "", f"not well-formed XML: {exc.msg}", STRUCTURE)
        return None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        batch.readable = False
        batch.error(1, 0, "", "document type declarations are not accepted", STRUCTURE)
        return None
    return root


def _kind_of_xml(root: etree._Element | None) -> Kind | None:
    if root is None or not isinstance(root.tag, str):
        return None
    return next((kind for kind in KINDS.values() if kind.root == root.tag), None)


def _text_children(batch: BatchFile, element: etree._Element, allowed: tuple[str, ...],
                   record: int, what: str, category: str
                   ) -> tuple[dict[str, str], dict[str, int]]:
    """The element's children as {name: text} and {name: line}. An unknown child is an error
    (``category``) and left out; a wrongly cased one is an error too, but read as the
    element it spells (as a CSV column under a wrongly cased heading is)."""
    values: dict[str, str] = {}
    lines: dict[str, int] = {}
    by_lower = {name.lower(): name for name in allowed}
    if (element.text or "").strip():
        batch.error(element.sourceline or 0, record, "", f"{what} holds text outside its "
                    "elements", STRUCTURE)
    for child in element:
        line = child.sourceline or 0
        tag = child.tag if isinstance(child.tag, str) else ""
        name = by_lower.get(tag.lower(), tag)
        if (child.tail or "").strip():
            batch.error(line, record, name, f"text after </{tag}> in {what}", STRUCTURE)
        if tag.startswith("{"):
            batch.error(line, record, tag, "elements must have no namespace", category)
            continue
        if name not in allowed:
            batch.error(line, record, tag, f"<{tag}> is not an element of {what} (expected "
                        f"{', '.join(allowed)}); it is ignored", category)
            continue
        if name != tag:
            batch.error(line, record, name, f"the element is <{name}>, not <{tag}> (element "
                        "names are case-sensitive)", category)
        if name in lines:
            batch.error(line, record, name, f"appears twice in {what}; the second is ignored",
                        STRUCTURE)
        elif len(child):
            batch.error(line, record, name, "must hold text only, not elements", STRUCTURE)
        else:
            lines[name] = line
            if child.text:
                values[name] = child.text
    return values, lines


def _read_xml(batch: BatchFile, root: etree._Element) -> None:
    kind = batch.kind
    assert kind is not None
    if root.tag != kind.root:
        batch.readable = False
        batch.error(root.sourceline or 0, 0, "", f"the root element must be <{kind.root}>, "
                    f"not <{root.tag}>", STRUCTURE)
        return
    children = list(root)
    if (root.text or "").strip():
        batch.error(root.sourceline or 0, 0, "", f"text directly inside <{kind.root}>",
                    STRUCTURE)
    if not children or children[0].tag != "Header":
        batch.error(root.sourceline or 0, 0, "Header", f"<{kind.root}> must start with "
                    f"<Header> holding {', '.join(kind.header)}", HEADER)
        batch.header_lines = {name: root.sourceline or 0 for name in kind.header}
    else:
        header = children.pop(0)
        batch.header, lines = _text_children(batch, header, kind.header, 0, "<Header>",
                                             HEADER)
        batch.header_lines = {name: lines.get(name, header.sourceline or 0)
                              for name in kind.header}
    for child in children:
        line = child.sourceline or 0
        if (child.tail or "").strip():
            batch.error(line, 0, "", f"text directly inside <{kind.root}>", STRUCTURE)
        if child.tag != kind.record:
            name = child.tag if isinstance(child.tag, str) else ""
            batch.error(line, 0, name, f"<{kind.root}> holds one <Header> then "
                        f"<{kind.record}> elements, not <{name}>", STRUCTURE)
            continue
        values, lines = _text_children(batch, child, kind.fields, batch.total_records + 1,
                                       f"<{kind.record}>", HEADINGS)
        _add_record(batch, line, values, lines)
