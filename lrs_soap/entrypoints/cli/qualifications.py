"""`lrs-soap qualifications import FILE.csv`: the qualification register."""

from __future__ import annotations

import argparse

from lrs_soap.entrypoints.cli.common import add_database_options, out, runtime, settings_from
from lrs_soap.service import qualifications


def register(commands: argparse._SubParsersAction) -> None:
    group = commands.add_parser("qualifications", help="the qualification register")
    actions = group.add_subparsers(dest="action", required=True)
    importing = actions.add_parser(
        "import", help="add or replace qualifications and units from a CSV file "
                       "(columns: docs/qualifications.md)")
    add_database_options(importing)
    importing.add_argument("file")
    group.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    with runtime(settings_from(args)) as services:
        report = qualifications.import_register(services, args.file)
    out.print(f"qualification register: {report.created} added, {report.updated} updated")
    return 0
