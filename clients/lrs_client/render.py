"""Output: rich tables for people, JSON for scripts, faults and one-line errors.

Personal data (the user's own query results) goes to stdout only. Human-readable faults and
errors go to stderr; with ``--json`` a fault is a ``{"fault": {...}}`` object on stdout.
Batch files: the errors ``validate`` finds go to stdout (they are its result), the errors
that stop a submit go to stderr; the progress bar of a batch job is drawn on stderr.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text
from zeep.xsd.valueobjects import CompoundValue

from .connection import FaultInfo
from .tables import TableConsole
from .wording import explain

SCHEMA_FAULT = "WSEC0001"  # the request broke the contract XSD

PROG = "lrs-client"

# The LRS response-code quick reference (public LRS documentation).
RESPONSE_CODES = {
    "WSRC0001": "no match",
    "WSRC0002": "too many matches",
    "WSRC0003": "possible match",
    "WSRC0004": "exact match",
    "WSRC0005": "learner registered",
    "WSRC0006": "learner updated",
    "WSRC0007": "batch submitted",
    "WSRC0008": "batch incomplete",
    "WSRC0009": "batch successful",
    "WSRC0010": "batch failed",
    "WSRC0013": "the learner was updated since you read it",
    "WSRC0014": "invalid ability-to-share change",
    "WSRC0015": "insufficient data",
    "WSRC0017": "record count wrong",
    "WSRC0018": "unknown job",
    "WSRC0019": "ULN not found for update",
    "WSRC0020": "no changes",
    "WSRC0021": "cannot register",
    "WSRC0023": "ULNs for report not found",
    "WSRC0024": "no ULNs for report",
    "WSEC0206": "the learner has not agreed to share their record",
    "WSEC0208": "the learner could not be verified",
    "WSRC0022": "linked learner: master substituted",
    "WSRC0030": "verify-batch record count wrong",
    "WSRC0043": "not an awarding organisation",
    "RC011": "rejected",
    "RC013": "outside the age range 13 to 110",
    "WSEC0136": "ULN fails its check digit",
    "WSVRC001": "successful match",
    "WSVRC002": "successful linked match",
    "WSVRC003": "similar match",
    "WSVRC004": "similar linked match",
    "WSVRC005": "learner does not match",
    "WSVRC006": "ULN not found",
}

# VerifyLearnerDetails FailureFlag: which supplied detail failed against which held one.
FAILURE_FLAGS = {
    "VRF1": "given name vs given name",
    "VRF2": "given name vs family name",
    "VRF3": "given name vs previous family name",
    "VRF4": "family name vs given name",
    "VRF5": "family name vs family name",
    "VRF6": "family name vs previous family name",
    "VRF7": "date of birth",
    "VRF8": "gender",
}

# The compact learner table (find-by-demographics): column heading, Learner element. It fits
# 80 columns (a pipe) unless the names are long; long names fold onto a second line.
LEARNER_COLUMNS = (
    ("ULN", "ULN"),
    ("Given", "GivenName"),
    ("Family", "FamilyName"),
    ("DOB", "DateOfBirth"),
    ("Gender", "Gender"),
    ("Postcode", "LastKnownPostCode"),
    ("Master\nsubst.", "MasterSubstituted"),
    ("Linked\nULNs", "LinkedULNs"),
)


def to_data(obj: Any) -> Any:
    """A zeep reply as plain JSON-able data, keys in contract order.

    Dates become YYYY-MM-DD; a wrapper whose only child repeats (``LinkedULNs`` holding
    ``ULN`` elements) becomes the list itself, ``[]`` when the wrapper is empty.
    """
    if isinstance(obj, CompoundValue | dict):
        wrappers = _list_wrappers(obj)
        data = {key: [] if obj[key] is None and key in wrappers else to_data(obj[key])
                for key in obj}
        if len(data) == 1 and isinstance(only := next(iter(data.values())), list):
            return only
        return data
    if isinstance(obj, list):
        return [to_data(item) for item in obj]
    if isinstance(obj, dt.date):  # datetime is a date too
        return obj.isoformat()
    if isinstance(obj, Decimal):
        return str(obj)
    return obj


def _list_wrappers(obj: Any) -> set[str]:
    """Names of child elements whose type holds nothing but one repeating element.

    zeep reads an empty ``<LinkedULNs/>`` as None; the schema says it is an empty list.
    """
    names = set()
    for name, element in getattr(getattr(obj, "_xsd_type", None), "elements", ()):
        children = getattr(element.type, "elements", None)
        if children and len(children) == 1 and children[0][1].accepts_multiple:
            names.add(name)
    return names


def response_code_line(code: str) -> Text:
    label = RESPONSE_CODES.get(code)
    return Text(f"ResponseCode: {code}" + (f" ({label})" if label else ""))


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(_cell(item) for item in value)
    return str(value)


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


class Renderer:
    """Writes replies, faults and errors; streams are looked up at call time (capsys-friendly)."""

    def __init__(self, json_mode: bool = False, *, stdout: TextIO | None = None,
                 stderr: TextIO | None = None) -> None:
        self.json_mode = json_mode
        self._stdout = stdout
        self._stderr = stderr

    @property
    def stdout(self) -> TextIO:
        return self._stdout or sys.stdout

    @property
    def stderr(self) -> TextIO:
        return self._stderr or sys.stderr

    # ----- replies --------------------------------------------------------------------------

    def reply(self, reply: Any) -> None:
        """Any operation's reply: ResponseCode first, then one table per record in it."""
        data = to_data(reply)
        if self.json_mode:
            self.print_json(data)
            return
        console = self.console()
        for key, value in data.items():
            if key == "ResponseCode":
                console.print(response_code_line(value))
            elif isinstance(value, dict):
                console.print(self.record_table(key, value))
            elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
                for number, record in enumerate(value, start=1):
                    console.print(self.record_table(f"{key} {number} of {len(value)}", record))
            elif not _is_empty(value):  # a long Reason is left for the terminal to wrap
                console.print(Text(f"{key}: {_cell(value)}"), soft_wrap=True)

    def answer(self, data: dict[str, Any],
               show: Callable[[Console], None] | None = None) -> None:
        """A reply already turned into data: all of it as JSON, or its response code and
        then whatever ``show`` prints."""
        if self.json_mode:
            self.print_json(data)
            return
        console = self.console()
        console.print(response_code_line(data["ResponseCode"]))
        if show is not None:
            show(console)

    def learners(self, reply: Any) -> None:
        """A reply holding ``Learner`` records (FindByDemographics): one compact row each.

        JSON mode prints the whole reply (the Demographics echo and every Learner field).
        """
        data = to_data(reply)

        def show(console: Console) -> None:
            if data.get("Learner"):
                console.print(self.learner_table(data["Learner"]))
        self.answer(data, show)

    def verification(self, reply: Any) -> None:
        """A VerifyLearnerDetails reply: the code, each FailureFlag explained, the learner."""
        data = to_data(reply)

        def show(console: Console) -> None:
            flags = data.get("FailureFlag") or []
            if flags:
                table = Table(title="FailureFlag (supplied vs held)", title_justify="left")
                table.add_column("Flag", no_wrap=True)
                table.add_column("Did not match", overflow="fold")
                for flag in flags:
                    table.add_row(Text(flag), Text(FAILURE_FLAGS.get(flag, "")))
                console.print(table)
            if data.get("VerifiedLearner"):
                console.print(self.record_table("VerifiedLearner", data["VerifiedLearner"]))
        self.answer(data, show)

    @staticmethod
    def learner_table(learners: list[dict[str, Any]]) -> Table:
        """One row per learner, in the order the service ranked them."""
        title = "1 learner" if len(learners) == 1 else f"{len(learners)} learners"
        table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, show_edge=False,
                      pad_edge=False, collapse_padding=True)
        for heading, name in LEARNER_COLUMNS:
            wrap = name in ("GivenName", "FamilyName")
            table.add_column(heading, no_wrap=not wrap, overflow="fold")
        for learner in learners:
            cells = []
            for _, name in LEARNER_COLUMNS:
                value = learner.get(name)
                if isinstance(value, list):  # one linked ULN a line keeps the table narrow
                    cells.append(Text("\n".join(_cell(item) for item in value)))
                else:
                    cells.append(Text("" if value is None else _cell(value)))
            table.add_row(*cells)
        return table

    @staticmethod
    def record_table(title: str, record: dict[str, Any]) -> Table:
        """Field / value rows in contract order; empty optional fields left out."""
        table = Table(title=title, title_justify="left")
        table.add_column("Field", no_wrap=True)
        table.add_column("Value", overflow="fold")
        for name, value in record.items():
            if not _is_empty(value):
                table.add_row(Text(name), Text(_cell(value)))
        return table

    # ----- batch files and jobs -------------------------------------------------------------

    def file_errors(self, batch: Any, errors: Sequence[Any], *, refused: bool = False) -> None:
        """A batch file's errors (FileError), one a line: ``FILE:LINE: record N: FIELD: rule``.

        ``refused``: the errors that stop a submit (stderr, "not submitted"); otherwise
        validate's result (stdout). JSON: ``{"file", "kind", "records", "errors": [...]}``.
        """
        name = batch.path.name
        if self.json_mode:
            self.print_json({"file": str(batch.path),
                             "kind": batch.kind.code if batch.kind else None,
                             "records": batch.total_records,
                             "errors": [error.as_dict() for error in errors]})
            return
        stream = self.stderr if refused else self.stdout
        for error in errors:
            print(self.file_error_line(name, error), file=stream)
        kind = f"{batch.kind.title} file, " if batch.kind else ""
        records = f"{batch.total_records} record" + ("" if batch.total_records == 1 else "s")
        if errors:
            count = f"{len(errors)} error" + ("" if len(errors) == 1 else "s")
            tail = ": not submitted (check it with lrs-client validate)" if refused else ""
            print(f"{name}: {kind}{records}, {count}{tail}", file=stream)
        else:
            print(f"{name}: {kind}{records}, no errors", file=stream)

    @staticmethod
    def file_error_line(name: str, error: Any) -> str:
        where = f"{name}:{error.line}" if error.line else name
        record = f" record {error.record}:" if error.record else ""
        field = f" {error.field}:" if error.field else ""
        return f"{where}:{record}{field} {error.rule}"

    @contextlib.contextmanager
    def progress(self, label: str) -> Iterator[Callable[[int | None, int | None], None]]:
        """A progress bar of records processed (stderr; none in JSON mode). Yields
        ``update(processed, total)``."""
        if self.json_mode:
            yield lambda processed, total: None
            return
        bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                       TextColumn("records"), TimeElapsedColumn(),
                       console=Console(file=self.stderr, highlight=False))
        task = bar.add_task(label, total=None)

        def update(processed: int | None, total: int | None) -> None:
            bar.update(task, completed=processed or 0, total=total)

        with bar:
            yield update

    def job_id(self, job_id: int, kind: Any, records: int) -> None:
        """submit --no-wait: the JobID alone on stdout (``{"JobID": n}`` with --json)."""
        if self.json_mode:
            self.print_json({"ResponseCode": "WSRC0007", "JobID": job_id})
            return
        print(job_id, file=self.stdout)
        print(f"submitted {records} records as job {job_id}; fetch the results with "
              f"lrs-client get-batch {kind.name} {job_id}", file=self.stderr)

    def submitted(self, job_id: int, kind: Any, batch: Any) -> None:
        if not self.json_mode:
            print(f"{batch.path.name}: {batch.total_records} records submitted as job "
                  f"{job_id} (WSRC0007)", file=self.stderr)

    def job(self, kind: Any, data: dict[str, Any], counters: Sequence[str],
            written: Sequence[Path], table: tuple[Sequence[str], list[list[str]]] | None
            ) -> None:
        """A Get*Batch reply: the code, the job's status and times, its counters, the CSV
        files written and (get-batch without --output) the results as a table."""
        if self.json_mode:
            self.print_json(data)
            return
        console = self.console()
        code = data.get("ResponseCode", "")
        console.print(response_code_line(code))
        if data.get("JobID") is not None:
            done = data.get("RecordsProcessed")
            total = data.get("NumberOfRecords")
            console.print(Text(f"JobID {data['JobID']}: {data.get('JobStatus') or ''}"
                               + (f", {done} of {total} records processed"
                                  if total is not None else "")))
        for name in ("SubmittedDateTime", "JobStartedDateTime", "JobFinishedDateTime",
                     "FailureReason"):
            if data.get(name):
                console.print(Text(f"{name}: {data[name]}"), soft_wrap=True)
        shown = [(name, data.get(name)) for name in counters if data.get(name) is not None]
        if shown:
            counts = Table(title="Counters", title_justify="left")
            counts.add_column("Counter", no_wrap=True)
            counts.add_column("Records", justify="right")
            for name, value in shown:
                counts.add_row(Text(name), Text(str(value)))
            console.print(counts)
        if code == "WSRC0008":
            console.print(Text(f"the job has not finished: fetch it later with lrs-client "
                               f"get-batch {kind.name} {data.get('JobID', '')}"), soft_wrap=True)
        if table is not None and table[1]:
            columns, rows = table
            results = Table(title=f"{len(rows)} result" + ("" if len(rows) == 1 else "s"),
                            title_justify="left")
            for column in columns:
                results.add_column(column, overflow="fold")
            for row in rows:
                results.add_row(*(Text(cell) for cell in row))
            console.print(results)
        for path in written:
            console.print(Text(f"written: {path}"), soft_wrap=True)

    # ----- faults and errors ----------------------------------------------------------------

    def fault(self, fault: FaultInfo, errors: tuple[Any, Sequence[Any]] | None = None) -> None:
        """A SOAP fault. ``errors``: (batch file, its FileErrors) when the fault's
        FurtherDetails were mapped back to a batch file's lines; they replace the raw list."""
        if self.json_mode:
            data: dict[str, Any] = {"fault": {
                "ErrorCode": fault.error_code,
                "Description": fault.description,
                "FurtherDetails": fault.further_details,
                "ErrorTimestamp": fault.error_timestamp,
                "faultcode": fault.faultcode,
                "faultstring": fault.faultstring,
            }}
            if errors is not None:
                data["errors"] = [error.as_dict() for error in errors[1]]
            elif fault.error_code == SCHEMA_FAULT and fault.further_details:
                data["problems"] = explain(fault.further_details)  # beside the exact text
            self.print_json(data)
            return
        headline = fault.error_code + (f": {fault.description}" if fault.description else "")
        print(headline, file=self.stderr)
        if errors is not None:
            batch, found = errors
            for error in found:
                print(self.file_error_line(batch.path.name, error), file=self.stderr)
        elif fault.error_code == SCHEMA_FAULT and fault.further_details:
            for problem in explain(fault.further_details):  # the values the user typed
                print(problem, file=self.stderr)
            print("(--json shows the schema's own words)", file=self.stderr)
        elif fault.further_details:
            print(fault.further_details, file=self.stderr)

    def error(self, message: str) -> None:
        """A one-line error on stderr (also in --json mode: stdout stays empty)."""
        print(f"{PROG}: {message}", file=self.stderr)

    def console(self) -> Console:
        return TableConsole(file=self.stdout, highlight=False)

    def print_json(self, data: Any) -> None:
        print(json.dumps(data, indent=2, ensure_ascii=False), file=self.stdout)
