"""Entries and results: enter, submit-entries, result, submit-results, withdraw-result,
cancel-entry, entries (review, or --csv to download it)."""

from __future__ import annotations

import argparse
import csv
from pathlib import Path
from typing import Any

from rich.table import Table
from rich.text import Text

from .codes import ENTRY_LABELS, response_code_line
from .connection import Connection, SettingsError
from .learners import GENDER_HELP, iso_date
from .plr import add_paging, cell_text, counted
from .render import Renderer
from .replydata import to_data

ENTRY_COLUMNS = ("MISIdentifier", "ULN", "GivenName", "FamilyName", "DateOfBirth", "Gender",
                 "QualificationReference", "EntryDate", "ExpectedAwardDate", "ProviderUKPRN")
RESULT_COLUMNS = ("MISIdentifier", "EntryID", "Action", "Grade", "AwardDate", "EntryVersion")
FILE_HELP = ("a CSV file whose header names the {noun} elements ({columns}); the service "
             "checks every field of every row first and stores nothing when one is broken "
             "(fault WSEC0001 naming each: record N is the Nth data row)")


def register(subparsers: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]
             ) -> None:
    enter = subparsers.add_parser(
        "enter", parents=parents, help="enter a learner for a qualification (SubmitEntries)",
        description="Enter one learner (verified as for an achievement) for a qualification "
                    "of yours or a shared one. Status ENTERED, or REJECTED with the reasons.")
    for name in ("uln", "given", "family"):
        enter.add_argument(name, metavar=name.upper())
    enter.add_argument("--dob", type=iso_date, required=True, metavar="YYYY-MM-DD")
    enter.add_argument("--gender", required=True, metavar="G", help=GENDER_HELP)
    enter.add_argument("--qualification", required=True, metavar="REF")
    enter.add_argument("--entry-date", type=iso_date, required=True, metavar="YYYY-MM-DD")
    enter.add_argument("--expected-award-date", type=iso_date, required=True,
                       metavar="YYYY-MM-DD")
    enter.add_argument("--provider-ukprn", metavar="UKPRN")
    enter.add_argument("--mis-id", help="your own identifier (candidate number)")
    enter.set_defaults(handler=enter_one)

    entries_file = subparsers.add_parser(
        "submit-entries", parents=parents, help="submit a file of entries (SubmitEntries)",
        description=FILE_HELP.format(noun="Entry", columns=", ".join(ENTRY_COLUMNS)))
    entries_file.add_argument("file", type=Path, metavar="FILE.csv")
    entries_file.set_defaults(handler=submit_entries_file)

    result = subparsers.add_parser(
        "result", parents=parents, help="record or amend an entry's result (SubmitResults)",
        description="Record the result of an entry (it becomes an achievement on the "
                    "learner's record) or, with --amend, replace the accepted one. WSRC0006 "
                    "done, WSRC0013 the entry changed meanwhile (another result came first), "
                    "WSRC0021 refused (reasons listed), WSRC0001 no such entry of yours.")
    result.add_argument("entry_id", metavar="ENTRY_ID", type=int)
    result.add_argument("--grade", required=True)
    result.add_argument("--award-date", type=iso_date, required=True, metavar="YYYY-MM-DD")
    result.add_argument("--amend", action="store_true")
    result.add_argument("--version", type=int, metavar="N",
                        help="the entry's Version as you last read it (refused if changed)")
    result.set_defaults(handler=result_one)

    results_file = subparsers.add_parser(
        "submit-results", parents=parents, help="submit a file of results (SubmitResults)",
        description=FILE_HELP.format(noun="Result", columns=", ".join(RESULT_COLUMNS)))
    results_file.add_argument("file", type=Path, metavar="FILE.csv")
    results_file.set_defaults(handler=submit_results_file)

    withdraw = subparsers.add_parser(
        "withdraw-result", parents=parents, help="withdraw an entry's result (WithdrawResult)")
    withdraw.add_argument("entry_id", metavar="ENTRY_ID", type=int)
    withdraw.add_argument("--reason", required=True)
    withdraw.add_argument("--version", type=int, metavar="N")
    withdraw.set_defaults(handler=withdraw_result)

    cancel = subparsers.add_parser(
        "cancel-entry", parents=parents, help="cancel an entry with no result (CancelEntry)")
    cancel.add_argument("entry_id", metavar="ENTRY_ID", type=int)
    cancel.add_argument("--version", type=int, metavar="N")
    cancel.set_defaults(handler=cancel_entry)

    listing = subparsers.add_parser(
        "entries", parents=parents,
        help="review your entries and results (ListEntries; --csv: ExportEntries)",
        description="Every entry with its status, rejection reasons and results, oldest "
                    "first; the filters combine. --csv FILE writes all matching entries.")
    listing.add_argument("--status", choices=["entered", "resulted", "cancelled", "rejected"])
    listing.add_argument("--result-status",
                         choices=["accepted", "superseded", "withdrawn", "rejected"])
    listing.add_argument("--qualification", metavar="REF")
    listing.add_argument("--uln", metavar="ULN")
    listing.add_argument("--csv", type=Path, metavar="FILE")
    add_paging(listing)
    listing.set_defaults(handler=list_entries)


def _rows(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as error:
        raise SettingsError(f"{path}: {error.strerror}") from None
    unknown = set(rows[0]) - set(columns) if rows else set()
    if not rows or unknown:
        raise SettingsError(f"{path}: " + (f"unknown columns {sorted(unknown)}" if unknown
                                           else "no data rows"))
    return [{name: row[name] for name in columns if row.get(name)} for row in rows]


def _errors_text(errors: list[dict[str, Any]] | None) -> str:
    return "; ".join(f"{e['Field']} {e['Rule']}" for e in errors or [])


def _outcomes(out: Renderer, data: dict[str, Any], key: str, columns: tuple[str, ...]) -> int:
    def show(console) -> None:
        table = Table(title=counted(len(data[key]), key.lower()), title_justify="left")
        for column in (*columns, "Errors"):
            table.add_column(column, overflow="fold")
        for item in data[key]:
            table.add_row(*(Text(cell_text(item.get(c))) for c in columns),
                          Text(_errors_text(item.get("Error"))))
        console.print(table)
    out.answer(data, show, ENTRY_LABELS)
    return 0


_ENTRY_OUT = ("RecordNumber", "EntryID", "Status", "ULN")
_RESULT_OUT = ("RecordNumber", "ResponseCode", "EntryID", "ResultID", "Status", "EventID")


def enter_one(args: argparse.Namespace, conn: Connection, out: Renderer) -> int:
    entry = {"MISIdentifier": args.mis_id, "ULN": args.uln, "GivenName": args.given,
             "FamilyName": args.family, "DateOfBirth": args.dob, "Gender": args.gender,
             "QualificationReference": args.qualification, "EntryDate": args.entry_date,
             "ExpectedAwardDate": args.expected_award_date,
             "ProviderUKPRN": args.provider_ukprn}
    entry = {name: value for name, value in entry.items() if value is not None}
    return _outcomes(out, to_data(conn.call("SubmitEntries", Entry=[entry])), "Entry",
                     _ENTRY_OUT)


def submit_entries_file(args: argparse.Namespace, conn: Connection, out: Renderer) -> int:
    data = to_data(conn.call("SubmitEntries", Entry=_rows(args.file, ENTRY_COLUMNS)))
    return _outcomes(out, data, "Entry", _ENTRY_OUT)


def result_one(args: argparse.Namespace, conn: Connection, out: Renderer) -> int:
    result = {"EntryID": args.entry_id, "Action": "AMEND" if args.amend else "RECORD",
              "Grade": args.grade, "AwardDate": args.award_date}
    if args.version is not None:
        result["EntryVersion"] = args.version
    return _outcomes(out, to_data(conn.call("SubmitResults", Result=[result])), "Result",
                     _RESULT_OUT)


def submit_results_file(args: argparse.Namespace, conn: Connection, out: Renderer) -> int:
    data = to_data(conn.call("SubmitResults", Result=_rows(args.file, RESULT_COLUMNS)))
    return _outcomes(out, data, "Result", _RESULT_OUT)


def _single(out: Renderer, data: dict[str, Any]) -> int:
    def show(console) -> None:
        if data.get("Status"):
            console.print(Text(f"Entry {data['EntryID']}: result {data['Status']}"))
        if data.get("Error"):
            console.print(Text(_errors_text(data["Error"])), soft_wrap=True)
    out.answer(data, show, ENTRY_LABELS)
    return 0


def withdraw_result(args: argparse.Namespace, conn: Connection, out: Renderer) -> int:
    request: dict[str, Any] = {"EntryID": args.entry_id, "Reason": args.reason}
    if args.version is not None:
        request["EntryVersion"] = args.version
    return _single(out, to_data(conn.call("WithdrawResult", **request)))


def cancel_entry(args: argparse.Namespace, conn: Connection, out: Renderer) -> int:
    request: dict[str, Any] = {"EntryID": args.entry_id}
    if args.version is not None:
        request["EntryVersion"] = args.version
    return _single(out, to_data(conn.call("CancelEntry", **request)))


def list_entries(args: argparse.Namespace, conn: Connection, out: Renderer) -> int:
    filters = {"Status": args.status and args.status.upper(),
               "ResultStatus": args.result_status and args.result_status.upper(),
               "QualificationReference": args.qualification, "ULN": args.uln}
    filters = {name: value for name, value in filters.items() if value}
    if args.csv is not None:
        data = to_data(conn.call("ExportEntries", **filters))
        args.csv.write_text(data["Csv"], encoding="utf-8")
        rows = max(0, len(data["Csv"].splitlines()) - 1)
        out.answer({"ResponseCode": data["ResponseCode"], "File": str(args.csv),
                    "Rows": rows}, lambda console: console.print(
                        Text(f"{counted(rows, 'entry', 'entries')} written to {args.csv}")))
        return 0
    data = to_data(conn.call("ListEntries", **filters, Page=args.page, PageSize=args.page_size))
    if out.json_mode:
        out.print_json(data)
        return 0
    console = out.console()
    console.print(response_code_line(data["ResponseCode"]))
    table = Table(title=f"{counted(data['TotalItems'], 'entry', 'entries')}, page "
                        f"{data['PageIndex']} of {max(1, data['PageCount'])}",
                  title_justify="left")
    for column in ("ID", "Status", "Ver", "ULN", "Qualification", "Entered", "Result",
                   "Reasons"):
        table.add_column(column, overflow="fold")
    for entry in data.get("Entry") or []:
        results = entry.get("Result") or []
        latest = results[-1] if results else {}
        result = " ".join(cell_text(latest.get(name)) for name in ("Status", "Grade",
                                                                   "AwardDate")).strip()
        reasons = _errors_text((entry.get("Error") or []) + (latest.get("Error") or []))
        table.add_row(*(Text(cell) for cell in (
            cell_text(entry["EntryID"]), entry["Status"], cell_text(entry["Version"]),
            entry["ULN"], entry["QualificationReference"], cell_text(entry["EntryDate"]),
            result, reasons)))
    console.print(table)
    return 0
