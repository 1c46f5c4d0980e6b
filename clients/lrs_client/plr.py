"""The Personal Learning Record: get-learner-record, learner-record-audit, uln-report.

Each command maps its arguments onto the request elements and prints the reply: the
ResponseCode with its meaning, then a compact table (``--json``: the whole reply, keyed by
the contract's element names). Data challenges are in challenges.py.
"""

from __future__ import annotations

import argparse
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .codes import response_code_line
from .connection import Connection
from .learners import GENDER_HELP, iso_date
from .render import Renderer
from .replydata import to_data

# The learning event table (one row per event; --json gives every field): heading and the
# LearningEvent elements shown in the column.
EVENT_COLUMNS = (
    ("ID", ("ID",)),
    ("Source", ("Source",)),
    ("Subject", ("SubjectCode", "Subject")),
    ("Grade", ("Grade",)),
    ("Dates", ("AchievementAwardDate", "ParticipationStartDate", "ParticipationEndDate")),
    ("Provider", ("AchievementProviderUkprn",)),
    ("Awarded by", ("AwardingOrganisationUkprn",)),
    ("Challenged", ("UnderDataChallenge",)),
)


def counted(number: int, noun: str, plural: str | None = None) -> str:
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def cell_text(value: Any) -> str:
    return "" if value is None else str(value)


def event_cells(event: dict[str, Any]) -> list[str]:
    cells = []
    for heading, names in EVENT_COLUMNS:
        values = [event.get(name) for name in names]
        if heading == "Subject":
            cells.append(" ".join(cell_text(value) for value in values if value))
        elif heading == "Dates":
            awarded, start, end = values
            period = f"{start} to {cell_text(end) or '…'}" if start else ""
            cells.append("\n".join(part for part in (
                period, f"awarded {awarded}" if awarded else "") if part))
        elif heading == "Challenged":
            cells.append("yes" if values[0] == "Y" else "")
        else:
            cells.append(cell_text(values[0]))
    return cells


def events_table(events: list[dict[str, Any]], title: str | None = None) -> Table:
    table = Table(title=title or counted(len(events), "learning event"), title_justify="left",
                  box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True)
    for heading, _ in EVENT_COLUMNS:
        table.add_column(heading, overflow="fold")
    for event in events:
        table.add_row(*(Text(cell) for cell in event_cells(event)))
    return table


def add_identity(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("uln", metavar="ULN", help="the learner's 10-digit ULN")
    parser.add_argument("given", metavar="GIVEN", help="the learner's given name")
    parser.add_argument("family", metavar="FAMILY", help="the learner's family name")
    parser.add_argument("--dob", type=iso_date, metavar="YYYY-MM-DD",
                        help="date of birth: checked too when given")
    parser.add_argument("--gender", metavar="G", help=f"checked too when given: {GENDER_HELP}")


def identity(args: argparse.Namespace) -> dict[str, Any]:
    optional = {"DateOfBirth": args.dob, "Gender": args.gender}
    return {"ULN": args.uln, "GivenName": args.given, "FamilyName": args.family,
            **{name: value for name, value in optional.items() if value is not None}}


def add_paging(parser: argparse.ArgumentParser, default_size: int = 20) -> None:
    parser.add_argument("--page", type=int, default=1, metavar="N", help="page number, from 1")
    parser.add_argument("--page-size", type=int, default=default_size, metavar="N",
                        help=f"entries per page, 1 to 100 (default {default_size})")


ACCESS_HELP = ("WSRC0004 found, WSRC0022 the ULN was merged (FoundULN is the master, whose "
               "record is used), WSEC0208 the names (or date of birth, gender) do not verify "
               "against the ULN, WSEC0206 the learner opted out of sharing. Learner "
               "registration bodies only.")


def register(subparsers: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]
             ) -> None:
    record = subparsers.add_parser(
        "get-learner-record", parents=parents,
        help="read a learner's Personal Learning Record (GetLearnerRecord)",
        description="Read a learner's record of learning events (achievements and "
                    "participation). " + ACCESS_HELP + " Every read is audited.")
    add_identity(record)
    record.add_argument("--brief", action="store_true",
                        help="getType BRIEF: only ID, Source, SubjectCode, Subject, Level, "
                             "Credits, Grade, AchievementAwardDate and AchievementProviderUkprn")
    record.set_defaults(handler=get_learner_record)

    audit = subparsers.add_parser(
        "learner-record-audit", parents=parents,
        help="who read a learner's record (GetLearnerRecordAudit)",
        description="Every read of a learner's record (and of this audit), newest first: "
                    "when, which organisation and user, the ULN named and the outcome. "
                    + ACCESS_HELP)
    add_identity(audit)
    add_paging(audit)
    audit.set_defaults(handler=learner_record_audit)

    report = subparsers.add_parser(
        "uln-report", parents=parents,
        help="ULNs merged, unmerged and deleted in a period (GetULNReport)",
        description="The ULNs merged, unmerged and deleted from FROM to TO (UK dates, "
                    "inclusive, at most 366 days): update your records to use the master "
                    "ULN of a merged one. WSRC0024 when nothing happened in the period.")
    report.add_argument("start", metavar="FROM", type=iso_date, help="YYYY-MM-DD")
    report.add_argument("end", metavar="TO", type=iso_date, help="YYYY-MM-DD")
    report.set_defaults(handler=uln_report)


def print_head(out: Renderer, data: dict[str, Any]) -> Console:
    shown = out.console()
    shown.print(response_code_line(data["ResponseCode"]))
    found, incoming = data.get("FoundULN"), data.get("IncomingULN")
    if found or incoming:
        shown.print(Text(f"IncomingULN: {incoming}" + (f"  FoundULN: {found}" if found else "")))
    return shown


def get_learner_record(args: argparse.Namespace, conn: Connection, out: Renderer) -> int:
    reply = conn.call("GetLearnerRecord", **identity(args),
                      GetType="BRIEF" if args.brief else "FULL")
    data = to_data(reply)
    if out.json_mode:
        out.print_json(data)
        return 0
    shown = print_head(out, data)
    events = data.get("LearnerRecord") or []
    if data["ResponseCode"] in ("WSRC0004", "WSRC0022"):
        shown.print(events_table(events) if events else Text("no learning events"))
    return 0


def learner_record_audit(args: argparse.Namespace, conn: Connection, out: Renderer) -> int:
    reply = conn.call("GetLearnerRecordAudit", **identity(args), Page=args.page,
                      PageSize=args.page_size)
    data = to_data(reply)
    if out.json_mode:
        out.print_json(data)
        return 0
    shown = print_head(out, data)
    if data.get("PageIndex") is None:
        return 0
    entries = data.get("Entry") or []
    table = Table(title=f"{counted(data['TotalItems'], 'access', 'accesses')}, page "
                        f"{data['PageIndex']} of "
                        f"{max(1, data['PageCount'])}", title_justify="left")
    for column in ("When (UTC)", "Action", "Organisation", "User", "ULN", "Outcome"):
        table.add_column(column, overflow="fold")
    for entry in entries:
        who = entry.get("UKPRN") or entry.get("OrganisationRef")
        organisation = cell_text(entry.get("Organisation")) + (f" ({who})" if who else "")
        table.add_row(*(Text(cell) for cell in (
            cell_text(entry["DateTime"])[:19].replace("T", " "), cell_text(entry["Action"]),
            organisation, cell_text(entry.get("UserName")), cell_text(entry["ULN"]),
            cell_text(entry.get("Outcome")))))
    shown.print(table)
    return 0


def uln_report(args: argparse.Namespace, conn: Connection, out: Renderer) -> int:
    data = to_data(conn.call("GetULNReport", FromDate=args.start, ToDate=args.end))
    if out.json_mode:
        out.print_json(data)
        return 0
    shown = out.console()
    shown.print(response_code_line(data["ResponseCode"]))
    for name, columns in (("MergedLearner", ("MasterULN", "MergedULN", "MergedDate")),
                          ("UnmergedLearner", ("MasterULN", "UnmergedULN", "UnmergedDate")),
                          ("DeletedLearner", ("ULN", "DeletedDate"))):
        rows = data.get(name) or []
        if not rows:
            continue
        table = Table(title=f"{name}: {len(rows)}", title_justify="left")
        for column in columns:
            table.add_column(column)
        for row in rows:
            table.add_row(*(Text(cell_text(row.get(column))[:19].replace("T", " "))
                            for column in columns))
        shown.print(table)
    return 0
