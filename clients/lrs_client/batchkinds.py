"""What a batch file is: the three kinds (LRB, VLD, ACH) with their records' elements and
header fields, the errors found in a file, and the file as read (batchfiles.py reads it,
from CSV with batchcsv.py or XML with batchxml.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

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


def add_record(batch: BatchFile, line: int, values: dict[str, str],
                lines: dict[str, int] | None = None) -> None:
    """Count the record; keep it (fields in contract order, absent ones left out) unless it
    is beyond the kind's limit. A control character XML cannot carry is an error, removed."""
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
