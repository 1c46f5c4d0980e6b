"""`lrs-soap`: run and administer the gateway.

One module per command group. To add a group, write a module here with a docstring whose
first line says what it does (``"`lrs-soap thing do`: ..."``, shown by ``lrs-soap --help``)
and a ``register(commands)`` that adds its sub-parser and sets ``handler`` to a function
``(args) -> exit status``; then add the module to COMMAND_GROUPS below. Raise AdminError (or
SettingsError) for anything the user got wrong: main prints it as one line and exits 2.
"""

from __future__ import annotations

import argparse
import logging
import sys

from rich.markup import escape

from lrs_soap.config import SettingsError
from lrs_soap.entrypoints.cli import (
    challenges,
    control,
    db,
    demo,
    events,
    journal,
    learners,
    lockouts,
    org,
    qualifications,
    seed,
    serve,
    user,
    worker,
)
from lrs_soap.entrypoints.cli.common import err, settings_from
from lrs_soap.observability import logs
from lrs_soap.service.accounts import AdminError

# the order of `lrs-soap --help`
COMMAND_GROUPS = (
    serve,
    db,
    org,
    user,
    lockouts,
    demo,
    worker,
    qualifications,
    seed,
    events,
    learners,
    challenges,
    control,
    journal,
)


def build_parser() -> argparse.ArgumentParser:
    summary = "\n".join("    " + group.__doc__.splitlines()[0].replace("`", "")
                        for group in COMMAND_GROUPS)
    parser = argparse.ArgumentParser(
        prog="lrs-soap", description=f"run and administer the gateway:\n\n{summary}",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    for group in COMMAND_GROUPS:
        group.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = settings_from(args)
        level = settings.log_level.upper()
        logs.configure(level, settings.log_format)
        # alembic narrates every plugin it loads at INFO; migrations still report at WARNING
        logging.getLogger("alembic").setLevel(max(logging.WARNING, logging.getLevelName(level)))
        if hasattr(args, "database_url"):
            from lrs_soap.store.engine import check_url

            check_url(settings.database_url)
        return args.handler(args)
    except (AdminError, SettingsError, ValueError) as error:
        return _refused(str(error))
    except OSError as error:  # a file named on the command line that cannot be used
        where = f"{error.filename}: " if error.filename else ""
        return _refused(f"{where}{error.strerror or error}")
    except Exception as error:
        from lrs_soap.store.engine import database_problem

        problem = database_problem(error)
        if problem is None:
            raise
        return _refused(problem)


def _refused(message: str) -> int:
    """One line on stderr, never wrapped mid-sentence however narrow the terminal; exit 2."""
    err.print(f"[red]error:[/red] {escape(message)}", soft_wrap=True)
    return 2


if __name__ == "__main__":
    sys.exit(main())
