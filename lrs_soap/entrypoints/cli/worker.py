"""`lrs-soap worker`: process batch jobs (run as many as you like)."""

from __future__ import annotations

import argparse

from lrs_soap.entrypoints.cli.common import add_database_options, settings_from


def register(commands: argparse._SubParsersAction) -> None:
    worker = commands.add_parser("worker", help="process batch jobs (run as many as you like)")
    add_database_options(worker)
    worker.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from lrs_soap.entrypoints import worker

    return worker.main(settings_from(args))
