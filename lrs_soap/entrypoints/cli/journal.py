"""`lrs-soap journal`: the SOAP calls the gateway received and what it answered."""

from __future__ import annotations

import argparse
import datetime as dt
import json

from rich.table import Table

from lrs_soap.entrypoints.cli.common import add_database_options, out, runtime, settings_from
from lrs_soap.service import journal
from lrs_soap.service.accounts import AdminError
from lrs_soap.service.journal import JournalOff, JournalQuery, entry_json


def when(text: str) -> dt.datetime:
    """An argparse type: 10m, 2h, 1d ago, or an ISO date/time (UTC unless it says)."""
    try:
        return journal.moment(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "journal", help="calls received and their answers (newest --limit, oldest first)")
    add_database_options(parser)
    parser.add_argument("--operation", help="WSDL operation name, e.g. FindByULN, learnerByULN")
    parser.add_argument("--code", help="response or fault code, e.g. WSRC0004, WSEC0005")
    parser.add_argument("--org", help="UKPRN or OrganisationRef, as the caller sent it")
    parser.add_argument("--user", help="user name, as the caller sent it")
    parser.add_argument("--face", choices=[*journal.SOAP_FACES, journal.PORTAL_FACE])
    parser.add_argument("--request-id", help="one call, by its X-Request-Id")
    parser.add_argument("--since", type=when, help="30s, 10m, 2h, 1d ago, or an ISO time")
    parser.add_argument("--until", type=when, help="as --since")
    parser.add_argument("--limit", type=int, default=50, help="newest N calls (default 50)")
    parser.add_argument("--envelopes", action="store_true",
                        help="also show both envelopes (stored with LRS_JOURNAL=full only)")
    parser.add_argument("--json", action="store_true", help="print JSON, one object per call")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    query = JournalQuery(operation=args.operation, code=args.code, organisation=args.org,
                         user_name=args.user, face=args.face, request_id=args.request_id,
                         since=args.since, until=args.until, limit=args.limit,
                         envelopes=args.envelopes)
    with runtime(settings_from(args)) as services:
        try:
            calls = journal.find_calls(services, query)
        except JournalOff as error:
            raise AdminError(str(error)) from None
    if args.json:
        out.print_json(json.dumps([entry_json(call) for call in calls]))
        return 0
    table = Table(title=f"{len(calls)} call(s), oldest first", title_justify="left")
    for column in ("#", "at (UTC)", "face", "operation", "organisation", "user", "code",
                   "HTTP", "ms", "request id"):
        table.add_column(column, overflow="fold")
    for call in calls:
        table.add_row(str(call.id), call.at.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3], call.face,
                      call.operation, call.organisation or "", call.user_name or "", call.code,
                      str(call.http_status), f"{call.latency_ms:.1f}", call.request_id)
    out.print(table)
    if args.envelopes:
        for call in calls:
            out.rule(f"#{call.id} {call.operation} {call.code}")
            # soft_wrap: long envelope lines stay whole, so they can be copied and parsed
            out.print(_text(call.request_envelope) or "(request not stored)", markup=False,
                      soft_wrap=True)
            out.print(_text(call.response_envelope) or "(response not stored)", markup=False,
                      soft_wrap=True)
    return 0


def _text(envelope: bytes | None) -> str | None:
    return None if envelope is None else envelope.decode("utf-8", errors="replace")

