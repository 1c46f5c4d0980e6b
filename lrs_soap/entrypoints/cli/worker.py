"""`lrs-soap worker`: process batch jobs (run as many as you like)."""

from __future__ import annotations

import argparse

from lrs_soap.entrypoints.cli.common import add_database_options, settings_from
from lrs_soap.service.accounts import AdminError


def register(commands: argparse._SubParsersAction) -> None:
    worker = commands.add_parser("worker", help="process batch jobs (run as many as you like)")
    add_database_options(worker)
    worker.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from lrs_soap.entrypoints import worker
    from lrs_soap.store import migrate

    settings = settings_from(args)
    # Once running, a worker waits out a database that goes away; one that cannot work at
    # all from the start is refused in one line instead of retrying for ever.
    current, head = migrate.current(settings.database_url), migrate.head()
    if current != head:
        raise AdminError(f"the database is at revision {current or '(none: empty)'}, this "
                         f"lrs-soap needs {head}: run lrs-soap db upgrade (serve does it too)")
    return worker.main(settings)
