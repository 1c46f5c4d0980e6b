"""An entries or results file as the portal's upload reads it (the columns `lrs-client
submit-entries` and `submit-results` send): a CSV whose header names the elements. Every
problem of every row is listed before anything is submitted (the batches' validation-first
flow); the rules are domain.entries' own, as SubmitEntries and SubmitResults apply them."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from lrs_soap.domain.batches import Payload, RecordError
from lrs_soap.domain.entries import MAX_FILE_RECORDS, entry_errors, result_errors
from lrs_soap.service.entries import field_problems

ENTRY_COLUMNS = ("MISIdentifier", "ULN", "GivenName", "FamilyName", "DateOfBirth", "Gender",
                 "QualificationReference", "EntryDate", "ExpectedAwardDate", "ProviderUKPRN")
RESULT_COLUMNS = ("MISIdentifier", "EntryID", "Action", "Grade", "AwardDate", "EntryVersion")
ENTRIES, RESULTS = "entries", "results"


@dataclass(frozen=True)
class EntryFile:
    kind: str | None  # ENTRIES, RESULTS; None: neither
    payloads: list[Payload] = field(default_factory=list)
    problems: list[RecordError] = field(default_factory=list)  # record 0: the file itself

    @property
    def ready(self) -> bool:
        return self.kind is not None and bool(self.payloads) and not self.problems


def read_entry_file(data: bytes, today: dt.date) -> EntryFile:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return EntryFile(None, problems=[_file("is not UTF-8 text (save it as CSV UTF-8)")])
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = set(reader.fieldnames or ())
    kind = RESULTS if "EntryID" in header else ENTRIES if "ULN" in header else None
    if kind is None:
        return EntryFile(None, problems=[_file(
            "has no header naming EntryID (results) or ULN (entries)")])
    columns = RESULT_COLUMNS if kind == RESULTS else ENTRY_COLUMNS
    unknown = sorted(header - set(columns))
    if unknown:
        return EntryFile(kind, problems=[_file(
            f"has columns {', '.join(unknown)} that are not {kind} elements "
            f"({', '.join(columns)})")])
    payloads, problems = [], []
    for number, row in enumerate(reader, 1):
        if number > MAX_FILE_RECORDS:
            return EntryFile(kind, problems=[_file(
                f"has more than {MAX_FILE_RECORDS} rows: split it")])
        if None in row:
            problems.append(RecordError(number, "row", "has more values than the header"))
        payloads.append({name: value for name, value in row.items() if name is not None})
    if not payloads:
        return EntryFile(kind, problems=[_file("has no rows under its header")])
    rules = result_errors if kind == RESULTS else entry_errors
    problems += field_problems(payloads, rules, today)
    problems.sort(key=lambda problem: problem.record)
    return EntryFile(kind, payloads, problems)


def _file(rule: str) -> RecordError:
    return RecordError(0, "file", rule)
