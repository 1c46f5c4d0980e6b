"""Learner commands. Each command is a parser entry in ``register`` plus one small handler.

Adding an operation (FindByDemographics, RegisterLearner, ...) is: one ``add_parser`` block
here and a handler that maps the arguments onto the request elements and hands the reply to
``Renderer.reply``. Credentials, transport errors and faults are handled by the caller.
"""

from __future__ import annotations

import argparse

from .connection import Connection
from .render import Renderer


def register(subparsers: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]
             ) -> None:
    find = subparsers.add_parser(
        "find-by-uln", parents=parents,
        help="find a learner by ULN and both names (FindByULN)",
        description="Find a learner by ULN. Both names must match the learner. "
                    "FindType FUL returns the learner; --check (CHK) returns the outcome only.")
    find.add_argument("uln", metavar="ULN", help="the 10-digit Unique Learner Number")
    find.add_argument("given", metavar="GIVEN", help="the learner's given name")
    find.add_argument("family", metavar="FAMILY", help="the learner's family name")
    find.add_argument("--check", action="store_true",
                      help="FindType CHK: answer the response code only, no personal data")
    find.set_defaults(handler=find_by_uln)


def find_by_uln(args: argparse.Namespace, conn: Connection, out: Renderer) -> int:
    reply = conn.call(
        "FindByULN",
        FindType="CHK" if args.check else "FUL",
        ULN=args.uln,
        GivenName=args.given,
        FamilyName=args.family,
    )
    out.reply(reply)
    return 0
