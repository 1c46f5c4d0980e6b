"""`lrs-soap lockouts list|clear`: failed sign-in counts, and lifting a lockout."""

from __future__ import annotations

import argparse

from rich.table import Table

from lrs_soap.entrypoints.cli.common import (
    actor,
    add_actor_option,
    add_database_options,
    out,
    runtime,
    settings_from,
)
from lrs_soap.service import sign_in_throttle


def register(commands: argparse._SubParsersAction) -> None:
    group = commands.add_parser("lockouts", help="failed sign-ins and lockouts (WSEC0007)")
    actions = group.add_subparsers(dest="action", required=True)
    listing = actions.add_parser("list", help="failure counts held, and who is blocked")
    add_database_options(listing)
    clear = actions.add_parser("clear", help="forget an organisation's failures, lifting "
                                              "its lockout")
    add_database_options(clear)
    add_actor_option(clear)
    clear.add_argument("organisation", help="UKPRN or OrganisationRef (known or not)")
    clear.add_argument("--user", help="only this user name's count (default: all, and the "
                                      "organisation's own)")
    group.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    with runtime(settings_from(args)) as services:
        if args.action == "clear":
            cleared = sign_in_throttle.clear(services, args.organisation, args.user,
                                             by=actor(args))
            out.print(f"{args.organisation}: {cleared} failure count(s) cleared")
            return 0
        now = services.clock()
        table = Table()
        for column in ("Organisation", "User name", "Failures", "Last failure", "Blocked until"):
            table.add_column(column, no_wrap=True)  # "UKPRN 10001234" is an identifier
        for organisation, user_name, count in sign_in_throttle.held(services):
            blocked = sign_in_throttle.blocked_now(count, now)
            table.add_row(organisation, user_name or "(all users)", str(count.failures),
                          f"{count.last_failure_at:%Y-%m-%d %H:%M:%S}Z",
                          f"{count.blocked_until:%Y-%m-%d %H:%M:%S}Z" if blocked else "")
        out.print(table)
    return 0
