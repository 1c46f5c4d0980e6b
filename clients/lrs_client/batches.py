"""Batch commands: submit-learner-batch, submit-verify-batch, submit-achievement-batch and
get-batch.

A submit command reads the file (batchfiles.py; a file with errors is not sent), builds the
Submit*Batch message with the same function ``validate`` uses (batchmessage.py), posts those
exact bytes, then polls Get*Batch with a progress bar until the job has finished, writes the
per-record results as CSV and prints the job's counters. A WSEC0001 fault lists the schema
violations by line of the message sent: they are printed mapped back to the file's lines.

Exit codes (on top of cli.py's): 0 the job finished (whatever each record's outcome);
1 the file has errors, the service faulted, refused the batch (WSRC0017, WSRC0030, WSRC0043),
the job failed (WSRC0010) or is unknown (WSRC0018); 4 the job was still running when
--job-timeout ran out (fetch it later with get-batch).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from . import job_output
from .batchfiles import (
    BATCH_LEARNER,
    BY_NAME,
    KINDS,
    RULE,
    BatchFile,
    FileError,
    Kind,
    Record,
)
from .batchmessage import Message, build_message, map_fault
from .connection import ClientError, Connection, ServiceFault
from .fault_output import fault
from .render import Renderer
from .replydata import to_data
from .validate import ValidateError, check_file

SUBMITTED, INCOMPLETE, SUCCESSFUL = "WSRC0007", "WSRC0008", "WSRC0009"
INVALID_REQUEST = "WSEC0001"
STILL_RUNNING = 4  # exit code: the job had not finished within --job-timeout
DEFAULT_POLL = 1.0
DEFAULT_JOB_TIMEOUT = 600.0

# Per-record result columns (the Get*Batch result element's children), per kind.
RESULT_COLUMNS = {
    "LRB": ("RecordNumber", "MISIdentifier", "ReturnCode", "ULN", "PossibleMatchULN", "Reason"),
    "VLD": ("RecordNumber", "MISIdentifier", "SearchedULN", "ResponseCode", "FailureFlag",
            "Reason"),
    "ACH": ("RecordNumber", "MISIdentifier", "Action", "Result"),
}
ERROR_COLUMNS = ("RecordNumber", "MISIdentifier", "Field", "Rule")
RESULTS = {"LRB": "Learner", "VLD": "VerifiedLearner", "ACH": "Error"}  # reply element
COUNTERS = {
    "LRB": ("NewLearnersCount", "ExistsUpdatedLearnersCount", "PossibleMatchLearnersCount",
            "LearnersNotFoundCount", "RejectedLearnersCount"),
    "VLD": (),
    "ACH": ("AchievementsCreated", "AchievementsUpdated", "AchievementsWithdrawn",
            "AchievementsReinstated", "AchievementsPromotedToFinal", "RejectedRecords"),
}
REJECTED_LEARNER = ("RC011", "RC013")
INVALID_ULN = "WSEC0136"


class BatchUsageError(ClientError):
    exit_code = 2


def _seconds(value: str) -> float:
    number = float(value)
    if not number >= 0 or number == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a number of seconds, not {value!r}")
    return number


def _kind(value: str) -> Kind:
    kind = BY_NAME.get(value.lower()) or KINDS.get(value.upper())
    if kind is None:
        raise argparse.ArgumentTypeError(f"KIND is learner (LRB), verify (VLD) or achievement "
                                         f"(ACH), not {value!r}")
    return kind


def _wait_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--poll", metavar="SECONDS", type=_seconds, default=DEFAULT_POLL,
                        help=f"seconds between Get*Batch calls (default {DEFAULT_POLL:g})")
    parser.add_argument("--job-timeout", metavar="SECONDS", type=_seconds,
                        default=DEFAULT_JOB_TIMEOUT,
                        help=f"stop waiting after this long (default {DEFAULT_JOB_TIMEOUT:g}); "
                             f"exit {STILL_RUNNING} if the job is still running")


def register(subparsers: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]
             ) -> None:
    for kind in KINDS.values():
        cmd = subparsers.add_parser(
            f"submit-{kind.name}-batch", parents=parents,
            help=f"submit {kind.a_title} batch file "
                 f"({kind.code}_...) and wait for the results",
            description=f"Submit {kind.a_title} batch file ({kind.code}_<UKPRN>_<DDMMYYYYHHMM>"
                        f".CSV or .XML, see docs/batch-files.md) with {kind.submit}, poll "
                        f"{kind.get} until the job has finished, write the per-record results "
                        "as CSV and print the job's counters. The file is checked exactly as "
                        "lrs-client validate checks it, and one with errors is not sent "
                        "(--send-anyway: unless its only errors are record rules).")
        cmd.add_argument("file", metavar="FILE", help="the batch file")
        cmd.add_argument("--output", metavar="FILE",
                         help="the results CSV (default <file stem>.results.csv beside FILE)")
        if kind.code == "LRB":
            cmd.add_argument("--check", action="store_true",
                             help="JobType CHK: find the learners only, register nobody")
        if kind.code == "ACH":
            cmd.add_argument("--errors", metavar="FILE",
                             help="the error CSV (default <file stem>.errors.csv beside FILE)")
            cmd.add_argument("--provisional", action="store_true",
                             help="SubmissionType PROVISIONAL (the header's SubmissionType "
                                  "must then be empty or PROVISIONAL; default: the header's, "
                                  "else FINAL)")
        cmd.add_argument("--send-anyway", action="store_true",
                         help="send a file whose only errors are record rules (RC011...), "
                              "to see the service's own verdicts on them")
        cmd.add_argument("--no-wait", action="store_true",
                         help="print the JobID and stop; fetch the results with get-batch")
        _wait_options(cmd)
        cmd.set_defaults(handler=submit_batch, kind=kind)

    get = subparsers.add_parser(
        "get-batch", parents=parents,
        help="fetch a batch job's progress and results (Get*Batch)",
        description="Fetch a batch job submitted earlier: its status and counters, and once "
                    "it has finished its per-record results (printed, or written as CSV with "
                    "--output; for achievements the errors). --wait polls until it finishes.")
    get.add_argument("kind", metavar="KIND", type=_kind,
                     help="learner (LRB), verify (VLD) or achievement (ACH)")
    get.add_argument("job_id", metavar="JOBID", type=int, help="the JobID submit printed")
    get.add_argument("--output", metavar="FILE",
                     help="write the results (achievements: the errors) to this CSV")
    get.add_argument("--wait", action="store_true",
                     help="poll until the job has finished, with a progress bar")
    _wait_options(get)
    get.set_defaults(handler=get_batch)


# ----- submit -------------------------------------------------------------------------------


def submit_batch(args: argparse.Namespace, conn: Connection, out: Renderer) -> int:
    kind: Kind = args.kind
    path = Path(args.file)
    check = getattr(args, "check", False)
    # exactly `lrs-client validate`: a file it finds anything wrong with is not sent
    try:
        report = check_file(path, dt.datetime.now(dt.UTC).date(), wsdl=conn.settings.wsdl,
                            register=not check, ukprn=conn.settings.ukprn)
    except ValidateError as exc:
        raise BatchUsageError(str(exc)) from None
    batch = report.batch
    if batch.kind is not None and batch.kind is not kind:
        raise BatchUsageError(f"{path.name} is {batch.kind.a_title} file: use "
                              f"submit-{batch.kind.name}-batch")
    refusing = [error for error in report.errors
                if not (args.send_anyway and error.category == RULE)]
    if refusing:
        job_output.file_errors(out, batch, report.errors, refused=True)
        return 1
    outputs = [_output(args, path, "results")]
    if kind.code == "ACH":
        outputs.append(_output(args, path, "errors"))
    _check_writable(outputs)  # before the job is sent, not once its results are in
    submission_type = None
    if kind.code == "ACH" and args.provisional:
        header = batch.header.get("SubmissionType")
        if header not in (None, "PROVISIONAL"):
            raise BatchUsageError(f"--provisional, but the file's header says SubmissionType "
                                  f"{header}")
        submission_type = "PROVISIONAL"
    message = build_message(batch, conn.settings.credentials(),
                            job_type="CHK" if check else "FUL",
                            submission_type=submission_type)
    try:
        reply = post_message(conn, message)
    except ServiceFault as exc:
        if exc.fault.error_code != INVALID_REQUEST:
            raise
        fault(out, exc.fault, errors=(batch, map_fault(exc.fault.further_details, message)))
        return exc.exit_code
    submitted = to_data(reply)
    if submitted.get("ResponseCode") != SUBMITTED or not submitted.get("JobID"):
        out.reply(reply)
        return 1
    job_id = submitted["JobID"]
    if args.no_wait:
        job_output.job_id(out, job_id, kind, batch.total_records)
        return 0
    job_output.submitted(out, job_id, kind, batch)
    data = wait_for(conn, out, kind, job_id, args.poll, args.job_timeout)
    return finish(out, kind, data, batch, _output(args, path, "results"),
                  _output(args, path, "errors") if kind.code == "ACH" else None)


def _check_writable(paths: Iterable[Path]) -> None:
    for path in paths:
        if not path.parent.is_dir():
            raise BatchUsageError(f"cannot write {path}: the folder {path.parent} does not "
                                  "exist")


def _output(args: argparse.Namespace, path: Path, what: str) -> Path:
    given = getattr(args, "output" if what == "results" else "errors", None)
    return Path(given) if given else path.with_name(f"{path.stem}.{what}.csv")


def post_message(conn: Connection, message: Message) -> Any:
    """Post the message's bytes as they are (their line numbers matter) and return zeep's
    reading of the reply; faults and transport errors as Connection.call raises them."""
    return conn.post_raw(message.operation, message.data)


# ----- waiting and results ------------------------------------------------------------------


def wait_for(conn: Connection, out: Renderer, kind: Kind, job_id: int, poll: float,
             timeout: float) -> dict[str, Any]:
    """Poll Get*Batch until the job is no longer WSRC0008 or ``timeout`` has passed."""
    deadline = time.monotonic() + timeout
    with job_output.progress(out, f"job {job_id}") as bar:
        while True:
            data = to_data(conn.call(kind.get, JobID=job_id))
            bar(data.get("RecordsProcessed"), data.get("NumberOfRecords"))
            if data.get("ResponseCode") != INCOMPLETE or time.monotonic() >= deadline:
                return data
            time.sleep(min(poll, max(0.0, deadline - time.monotonic())))


def get_batch(args: argparse.Namespace, conn: Connection, out: Renderer) -> int:
    kind: Kind = args.kind
    _check_writable([Path(args.output)] if args.output else [])
    if args.wait:
        data = wait_for(conn, out, kind, args.job_id, args.poll, args.job_timeout)
    else:
        data = to_data(conn.call(kind.get, JobID=args.job_id))
    output = Path(args.output) if args.output else None
    if kind.code == "ACH":
        return finish(out, kind, data, None, None, output, show=output is None)
    return finish(out, kind, data, None, output, None, show=output is None)


def finish(out: Renderer, kind: Kind, data: dict[str, Any], batch: BatchFile | None,
           results: Path | None, errors: Path | None, *, show: bool = False) -> int:
    """Report the job; once it has finished, write the CSVs. The command's exit code."""
    code = data.get("ResponseCode")
    written = []
    rows = result_rows(kind, data, batch)
    error_rows = error_rows_of(data, batch) if kind.code == "ACH" else []
    if code == SUCCESSFUL:
        if results is not None:
            written.append(write_csv(results, RESULT_COLUMNS[kind.code], rows))
        if errors is not None:
            written.append(write_csv(errors, ERROR_COLUMNS, error_rows))
    job_output.job(out, kind, data, COUNTERS[kind.code], written,
            table=(RESULT_COLUMNS[kind.code], rows) if show and kind.code != "ACH" else
            (ERROR_COLUMNS, error_rows) if show else None)
    if code == SUCCESSFUL:
        return 0
    return STILL_RUNNING if code == INCOMPLETE else 1


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(_cell(item) for item in value)
    return str(value)


def result_rows(kind: Kind, data: dict[str, Any], batch: BatchFile | None
                ) -> list[list[str]]:
    """One row per record, in record order (RESULT_COLUMNS)."""
    if kind.code != "ACH":
        return [[_cell(result.get(name)) for name in RESULT_COLUMNS[kind.code]]
                for result in data.get(RESULTS[kind.code]) or []]
    if batch is None:  # get-batch: no file to say which records there were
        return []
    rejected = {error.get("RecordNumber") for error in data.get("Error") or []}
    return [[str(record.number), record.values.get("MISIdentifier", ""),
             record.values.get("Action", ""),
             "rejected" if record.number in rejected else "accepted"]
            for record in batch.records]


def error_rows_of(data: dict[str, Any], batch: BatchFile | None) -> list[list[str]]:
    return [[_cell(error.get(name)) for name in ERROR_COLUMNS]
            for error in data.get("Error") or []]


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[Sequence[str]]) -> Path:
    """Write (replacing) a CSV readable by its owner only: it holds learners' details."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with open(descriptor, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        writer.writerows(rows)
    return path


# ----- the server's verdicts as file errors -------------------------------------------------


def split_problem(problem: str) -> tuple[str, str]:
    """A learner rule's text as (field, rule): "DateOfBirth must not be in the future" ->
    ("DateOfBirth", "must not be in the future"); the age window is a DateOfBirth rule."""
    first, _, rest = problem.partition(" ")
    if first in BATCH_LEARNER and rest:
        return first, rest
    if "must be aged" in problem:
        return "DateOfBirth", problem
    return "", problem


def server_errors(kind: Kind, data: dict[str, Any], sent: Sequence[Record] | None = None
                  ) -> list[FileError]:
    """The record rules a finished job says were broken, as FileErrors (category rule), so
    that they compare with ``validate``'s by ``key()``: learner records RC011/RC013 (each
    "; "-separated Reason), verification records WSEC0136, achievements' Error list.

    ``sent``: the records in the order they were sent (``Message.records``), to give each
    error its file record number and line; without them the server's RecordNumber is kept.
    Achievement records refused for stored data (an unknown learner...) are among them too:
    the offline validator cannot know those.
    """
    def error(number: int, name: str, rule: str) -> FileError:
        if sent and 0 < number <= len(sent):
            record = sent[number - 1]
            return FileError(record.line_of(name), record.number, name, rule, RULE)
        return FileError(0, number, name, rule, RULE)

    found = []
    for result in data.get(RESULTS[kind.code]) or []:
        number = int(result.get("RecordNumber") or 0)
        if kind.code == "LRB" and result.get("ReturnCode") in REJECTED_LEARNER:
            found += [error(number, *split_problem(part))
                      for part in (result.get("Reason") or "").split("; ") if part]
        elif kind.code == "VLD" and result.get("ResponseCode") == INVALID_ULN:
            found.append(error(number, "ULN", result.get("Reason") or "fails its check digit"))
        elif kind.code == "ACH":
            found.append(error(number, result.get("Field") or "", result.get("Rule") or ""))
    return found
