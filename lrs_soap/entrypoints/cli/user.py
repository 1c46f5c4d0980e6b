"""`lrs-soap user create|revoke|reinstate|portal`: users of an organisation."""

from __future__ import annotations

import argparse

from lrs_soap.domain import passwords
from lrs_soap.domain.model import PortalRole
from lrs_soap.entrypoints.cli.common import add_database_options, out, runtime, settings_from
from lrs_soap.service import accounts, portal_users


def register(commands: argparse._SubParsersAction) -> None:
    user = commands.add_parser("user", help="users of an organisation")
    actions = user.add_subparsers(dest="action", required=True)
    for action in ("create", "revoke", "reinstate"):
        sub = actions.add_parser(action)
        add_database_options(sub)
        sub.add_argument("organisation", help="UKPRN or OrganisationRef")
        sub.add_argument("user_name")
    portal = actions.add_parser("portal", help="give a user an Organisation Portal password "
                                "(and role); the first super user then manages the others")
    add_database_options(portal)
    portal.add_argument("organisation", help="UKPRN or OrganisationRef")
    portal.add_argument("user_name")
    portal.add_argument("--password", help="12 to 128 characters; omit to generate one")
    portal.add_argument("--super-user", action="store_true",
                        help="may manage the organisation's users in the portal")
    user.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    with runtime(settings_from(args)) as services:
        if args.action == "portal":
            password = args.password or passwords.generate()
            role = PortalRole.SUPER_USER if args.super_user else PortalRole.USER
            portal_users.set_portal_account(services, args.organisation, args.user_name,
                                            password, role)
            out.print(f"user {args.user_name} in {args.organisation}: portal role {role.value}")
            if not args.password:
                out.print(f"PortalPassword (shown once): [bold]{password}[/bold]")
        elif args.action == "create":
            accounts.create_user(services, args.organisation, args.user_name)
            out.print(f"user {args.user_name} created in {args.organisation}")
        else:
            accounts.set_user_active(services, args.organisation, args.user_name,
                                     args.action == "reinstate")
            out.print(f"user {args.user_name} in {args.organisation}: {args.action}d")
    return 0
