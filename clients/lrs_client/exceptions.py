"""The exceptions process of learner batches: batch-exceptions, resolve-exception."""

from __future__ import annotations

import argparse
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .codes import response_code_line
from .connection import Connection
from .plr import add_paging, cell_text, counted
from .render import Renderer
from .replydata import to_data

STATUSES = ("open", "linked", "registered", "discarded")
OUTCOMES_HELP = ("Outcome LINKED, REGISTERED (ULN is the new learner's) or DISCARDED; "
                 "ALREADY_RESOLVED when it was resolved before (nothing is done); "
                 "NOT_A_POSSIBLE_MATCH (that ULN may not be linked) or CANNOT_REGISTER (Reason "
                 "says why), after which it stays open. WSRC0001: no such exception of yours.")


def register(subparsers: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]
             ) -> None:
    listing = subparsers.add_parser(
        "batch-exceptions", parents=parents,
        help="learner batch records left for you to resolve (ListBatchExceptions)",
        description="The records of your learner batches whose search found possible "
                    "matches (WSRC0003) or too many to list (WSRC0002): each waits for you "
                    "to link it to a learner, register it, or discard it (resolve-exception). "
                    "Open ones unless --status says otherwise; oldest first.")
    listing.add_argument("--status", choices=STATUSES, default="open")
    listing.add_argument("--job", type=int, metavar="JOB_ID", help="one job's exceptions only")
    add_paging(listing)
    listing.set_defaults(handler=batch_exceptions)

    resolve = subparsers.add_parser(
        "resolve-exception", parents=parents,
        help="link, register or discard a learner batch exception (ResolveBatchException)",
        description="Resolve one open exception, once: --link ULN (one of its possible "
                    "matches, or a learner the record still matches when too many were "
                    "found), --register (a new learner with the record's details; the batch's "
                    "search counts as the find before it) or --discard. " + OUTCOMES_HELP)
    resolve.add_argument("exception_id", metavar="EXCEPTION_ID", type=int)
    decision = resolve.add_mutually_exclusive_group(required=True)
    decision.add_argument("--link", metavar="ULN", help="the learner the record is")
    decision.add_argument("--register", dest="decision", action="store_const",
                          const="REGISTER")
    decision.add_argument("--discard", dest="decision", action="store_const", const="DISCARD")
    resolve.add_argument("--reason", help="a note kept with the exception (1000 characters)")
    resolve.set_defaults(handler=resolve_exception, decision=None)


def _table(exceptions: list[dict[str, Any]], title: str) -> Table:
    table = Table(title=title, title_justify="left")
    for column in ("ID", "Job", "Record", "MIS", "Code", "Status", "Learner", "Possible ULNs",
                   "Resolved ULN"):
        table.add_column(column, overflow="fold")
    for exception in exceptions:
        learner = exception.get("Learner") or {}
        who = " ".join(cell_text(learner.get(name)) for name in (
            "GivenName", "FamilyName", "DateOfBirth", "LastKnownPostCode"))
        table.add_row(*(Text(cell) for cell in (
            cell_text(exception["ExceptionID"]), cell_text(exception["JobID"]),
            cell_text(exception["RecordNumber"]), cell_text(learner.get("MISIdentifier")),
            cell_text(exception["ReturnCode"]), cell_text(exception["Status"]), who,
            " ".join(exception.get("PossibleMatchULN") or []) or "(too many to list)",
            cell_text(exception.get("ResolvedULN")))))
    return table


def batch_exceptions(args: argparse.Namespace, conn: Connection, out: Renderer) -> int:
    request: dict[str, Any] = {"Status": args.status.upper(), "Page": args.page,
                               "PageSize": args.page_size}
    if args.job is not None:
        request["JobID"] = args.job
    data = to_data(conn.call("ListBatchExceptions", **request))
    if out.json_mode:
        out.print_json(data)
        return 0
    shown = out.console()
    shown.print(response_code_line(data["ResponseCode"]))
    title = (f"{counted(data['TotalItems'], 'exception')} ({args.status}), page "
             f"{data['PageIndex']} of {max(1, data['PageCount'])}")
    shown.print(_table(data.get("Exception") or [], title))
    return 0


def resolve_exception(args: argparse.Namespace, conn: Connection, out: Renderer) -> int:
    request: dict[str, Any] = {"ExceptionID": args.exception_id,
                               "Decision": "LINK" if args.link else args.decision}
    if args.link:
        request["ULN"] = args.link
    if args.reason is not None:
        request["Reason"] = args.reason
    data = to_data(conn.call("ResolveBatchException", **request))

    def show(console: Console) -> None:
        for name in ("Outcome", "ULN", "Reason"):
            if data.get(name):
                console.print(Text(f"{name}: {data[name]}"), soft_wrap=True)
        if data.get("Exception"):
            console.print(_table([data["Exception"]], "The exception now"))

    out.answer(data, show)
    return 0
