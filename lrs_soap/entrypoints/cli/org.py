"""`lrs-soap org create|password|revoke|reinstate|list`: organisations and their passwords."""

from __future__ import annotations

import argparse

from rich import box
from rich.table import Table

from lrs_soap.domain import passwords
from lrs_soap.domain.model import Role
from lrs_soap.entrypoints.cli.common import add_database_options, out, runtime, settings_from
from lrs_soap.service import accounts


def register(commands: argparse._SubParsersAction) -> None:
    org = commands.add_parser("org", help="organisations and their passwords")
    actions = org.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", help="register an organisation")
    add_database_options(create)
    create.add_argument("--name", required=True)
    create.add_argument("--ukprn", help="8 letters or digits")
    create.add_argument("--ref", help="OrganisationRef: 6 letters or digits")
    create.add_argument("--role", action="append", required=True, choices=[r.value for r in Role],
                        help="LRB (learner registration body), AO (awarding organisation), "
                             "OLASS (offender learning: learner plans; with LRB); repeat")
    create.add_argument("--password", help="16 characters; omit to generate one")
    for action, text in (("password", "set or rotate the organisation password"),
                         ("revoke", "refuse every call from the organisation"),
                         ("reinstate", "undo a revoke")):
        sub = actions.add_parser(action, help=text)
        add_database_options(sub)
        sub.add_argument("organisation", help="UKPRN or OrganisationRef")
        if action == "password":
            sub.add_argument("--password", help="16 characters; omit to generate one")
    listing = actions.add_parser("list", help="list organisations and users")
    add_database_options(listing)
    org.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    with runtime(settings_from(args)) as services:
        if args.action == "create":
            roles = frozenset(Role(r) for r in args.role)
            password = args.password or passwords.generate()
            org = accounts.create_organisation(services, name=args.name, ukprn=args.ukprn,
                                               reference=args.ref, roles=roles,
                                               password=password)
            out.print(f"created {org.name} (UKPRN {org.ukprn or '-'}, "
                      f"OrganisationRef {org.reference or '-'})")
            _show_password_once(password, generated=args.password is None)
        elif args.action == "password":
            password = accounts.set_password(services, args.organisation, args.password)
            _show_password_once(password, generated=args.password is None)
        elif args.action in ("revoke", "reinstate"):
            accounts.set_organisation_active(services, args.organisation,
                                             args.action == "reinstate")
            out.print(f"{args.organisation}: {args.action}d")
        elif args.action == "list":
            _print_organisations(accounts.list_organisations(services))
    return 0


def _print_organisations(organisations) -> None:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True)
    for column in ("Name", "UKPRN", "OrgRef", "Roles", "Active", "Password", "Users"):
        table.add_column(column)
    for org, users in organisations:
        table.add_row(org.name, org.ukprn or "", org.reference or "",
                      ", ".join(sorted(r.value for r in org.roles)),
                      "yes" if org.active else "REVOKED",
                      "set" if org.password_hash else "NOT SET",
                      ", ".join(u.user_name + ("" if u.active else " (revoked)") for u in users))
    out.print(table)


def _show_password_once(password: str, *, generated: bool) -> None:
    if generated:
        out.print(f"OrgPassword: [bold]{password}[/bold]\n"
                  "This is shown once; only a hash is stored.")
    else:
        out.print("OrgPassword set.")
