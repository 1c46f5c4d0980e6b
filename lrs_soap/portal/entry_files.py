"""An entries or results file as the portal's upload reads it (the columns `lrs-client
submit-entries` and `submit-results` send): a CSV whose header names the elements, each row
read once into the domain's SentEntry or SentResult. Every problem of every row is listed
before anything is submitted (the batches' validation-first flow); the rules are
domain.entry_rules' own, as SubmitEntries and SubmitResults apply them."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from lrs_soap.domain.batches import RecordError
from lrs_soap.domain.entries import MAX_FILE_RECORDS
from lrs_soap.domain.entry_rules import entry_errors, result_errors
from lrs_soap.domain.sent_entry import SentEntry, SentResult, read_entry, read_result
from lrs_soap.record_elements import ENTRY_RECORD, RESULT_RECORD, by_attribute
from lrs_soap.service.entries import field_problems

ENTRY_COLUMNS, RESULT_COLUMNS = tuple(ENTRY_RECORD), tuple(RESULT_RECORD)
ENTRIES, RESULTS = "entries", "results"


@dataclass(frozen=True)
class EntryFile:
    kind: str | None  # ENTRIES, RESULTS; None: neither
    records: list[SentEntry] | list[SentResult] = field(default_factory=list)
    problems: list[RecordError] = field(default_factory=list)  # record 0: the file itself

    @property
    def ready(self) -> bool:
        return self.kind is not None and bool(self.records) and not self.problems


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
    table, read = ((RESULT_RECORD, read_result) if kind == RESULTS
                   else (ENTRY_RECORD, read_entry))
    records, problems = [], []
    for number, row in enumerate(reader, 1):
        if number > MAX_FILE_RECORDS:
            return EntryFile(kind, problems=[_file(
                f"has more than {MAX_FILE_RECORDS} rows: split it")])
        if None in row:
            problems.append(RecordError(number, "row", "has more values than the header"))
        records.append(read(by_attribute(table, row)))
    if not records:
        return EntryFile(kind, problems=[_file("has no rows under its header")])
    rules = result_errors if kind == RESULTS else entry_errors
    problems += field_problems(records, rules, today)
    problems.sort(key=lambda problem: problem.record)
    return EntryFile(kind, records, problems)


def _file(rule: str) -> RecordError:
    return RecordError(0, "file", rule)
