"""`lrs-soap user create|revoke|reinstate`: users of an organisation."""

from __future__ import annotations

import argparse

from lrs_soap.entrypoints.cli.common import add_database_options, out, runtime, settings_from
from lrs_soap.service import accounts


def register(commands: argparse._SubParsersAction) -> None:
    user = commands.add_parser("user", help="users of an organisation")
    actions = user.add_subparsers(dest="action", required=True)
    for action in ("create", "revoke", "reinstate"):
        sub = actions.add_parser(action)
        add_database_options(sub)
        sub.add_argument("organisation", help="UKPRN or OrganisationRef")
        sub.add_argument("user_name")
    user.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    with runtime(settings_from(args)) as services:
        if args.action == "create":
            accounts.create_user(services, args.organisation, args.user_name)
            out.print(f"user {args.user_name} created in {args.organisation}")
        else:
            accounts.set_user_active(services, args.organisation, args.user_name,
                                     args.action == "reinstate")
            out.print(f"user {args.user_name} in {args.organisation}: {args.action}d")
    return 0
