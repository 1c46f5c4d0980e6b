"""`lrs-soap events import FILE.csv`: learning events from ILR/NPD participation data."""

from __future__ import annotations

import argparse

from lrs_soap.entrypoints.cli.common import (
    actor,
    add_actor_option,
    add_database_options,
    out,
    runtime,
    settings_from,
)
from lrs_soap.service import participation


def register(commands: argparse._SubParsersAction) -> None:
    group = commands.add_parser("events", help="learning events from participation data")
    actions = group.add_subparsers(dest="action", required=True)
    importing = actions.add_parser(
        "import", help="add or replace ILR/NPD participation events from a CSV file "
                       "(columns: docs/plr.md)")
    add_database_options(importing)
    importing.add_argument("file")
    add_actor_option(importing)
    group.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    with runtime(settings_from(args)) as services:
        report = participation.import_events(services, args.file, actor=actor(args))
    out.print(f"participation events: {report.created} added, {report.updated} updated")
    return 0
