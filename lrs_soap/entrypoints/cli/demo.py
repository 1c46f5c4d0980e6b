"""`lrs-soap demo load`: the demo organisations and learners, and their credentials."""

from __future__ import annotations

import argparse

from rich.table import Table

from lrs_soap.config import Settings
from lrs_soap.entrypoints.cli.common import add_database_options, out, runtime, settings_from
from lrs_soap.service import demo


def register(commands: argparse._SubParsersAction) -> None:
    group = commands.add_parser("demo", help="demo data")
    actions = group.add_subparsers(dest="action", required=True)
    load = actions.add_parser("load", help="load demo data and print credentials")
    add_database_options(load)
    group.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from lrs_soap.store import migrate

    settings = settings_from(args)
    migrate.upgrade(settings.database_url)
    load_and_print(settings)
    return 0


def load_and_print(settings: Settings) -> None:
    """Load the demo data (also `serve --demo`) and print the credentials to try it with."""
    with runtime(settings) as services:
        organisations, loaded_now = demo.load(services)
    table = Table(title="Demo credentials (local use only)" +
                  ("" if loaded_now else " - already loaded"))
    table.add_column("Organisation")
    for column, width in (("Role", 4), ("UKPRN", 8), ("OrgRef", 6), ("UserName", 8),
                          ("OrgPassword", 16)):
        # never cut a credential short, however narrow the terminal (or a log file) is
        table.add_column(column, min_width=width, no_wrap=True)
    for org in organisations:
        table.add_row(org.name, ", ".join(sorted(r.value for r in org.roles)), org.ukprn,
                      org.reference, org.user_name, org.password)
    out.print(table)
    uln, details = demo.DEMO_LEARNERS[0]
    out.print(f"Try: lrs-client --url {settings.public_url} --ukprn 10000001 --user demo "
              f"--password "
              f"'{organisations[0].password}' find-by-uln {uln} {details.given_name} "
              f"{details.family_name}", soft_wrap=True)
    logins = ", ".join(f"{org.ukprn} / {org.user_name} / {org.portal_password}"
                       for org in organisations)
    out.print(f"Organisation Portal: {settings.public_url.rstrip('/')}/portal/ (UKPRN / user / "
              f"portal password: {logins})", soft_wrap=True)
