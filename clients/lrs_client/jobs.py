"""`lrs-client jobs`: your organisation's batch jobs, newest first (ListJobs)."""

from __future__ import annotations

import argparse
from typing import Any

from rich.table import Table
from rich.text import Text

from .codes import response_code_line
from .connection import Connection
from .plr import add_paging, cell_text, counted
from .render import Renderer
from .replydata import to_data

# the get-batch KIND argument -> the contract's JobKind
JOB_KINDS = {"learner": "learner_registration", "verify": "verification",
             "achievement": "achievement"}
KIND_NAMES = {kind: name for name, kind in JOB_KINDS.items()}
STATUSES = ("waiting", "in_progress", "successful", "failed")


def register(subparsers: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]
             ) -> None:
    listing = subparsers.add_parser(
        "jobs", parents=parents,
        help="your organisation's batch jobs, newest first (ListJobs)",
        description="The batch jobs your organisation submitted (learner, verify and "
                    "achievement batches), newest first, with their status and progress; "
                    "never another organisation's. Fetch one's results with get-batch KIND "
                    "JOBID.")
    listing.add_argument("--kind", choices=tuple(JOB_KINDS), help="only jobs of this kind")
    listing.add_argument("--status", choices=STATUSES, help="only jobs in this status")
    add_paging(listing)
    listing.set_defaults(handler=jobs)


def _table(listed: list[dict[str, Any]], title: str) -> Table:
    table = Table(title=title, title_justify="left")
    for column in ("JobID", "Kind", "Status", "Records", "Processed", "Submitted (UTC)",
                   "Finished (UTC)", "Note"):
        table.add_column(column, overflow="fold")
    for job in listed:
        note = job.get("FailureReason") or job.get("JobType") or job.get("SubmissionType")
        table.add_row(*(Text(cell) for cell in (
            cell_text(job["JobID"]), KIND_NAMES.get(job["JobKind"], job["JobKind"]),
            cell_text(job["JobStatus"]), cell_text(job["NumberOfRecords"]),
            cell_text(job["RecordsProcessed"]), _moment(job["SubmittedDateTime"]),
            _moment(job.get("JobFinishedDateTime")), cell_text(note))))
    return table


def _moment(value: Any) -> str:
    return "" if value is None else str(value)[:19].replace("T", " ")


def jobs(args: argparse.Namespace, conn: Connection, out: Renderer) -> int:
    request: dict[str, Any] = {"Page": args.page, "PageSize": args.page_size}
    if args.kind:
        request["JobKind"] = JOB_KINDS[args.kind]
    if args.status:
        request["JobStatus"] = args.status
    data = to_data(conn.call("ListJobs", **request))
    if out.json_mode:
        out.print_json(data)
        return 0
    shown = out.console()
    shown.print(response_code_line(data["ResponseCode"]))
    title = (f"{counted(data['TotalItems'], 'job')}, newest first, page {data['PageIndex']} "
             f"of {max(1, data['PageCount'])}")
    shown.print(_table(data.get("Job") or [], title))
    return 0
