"""What every `lrs-soap` command group shares: the consoles, settings from options, the runtime.

The store, bootstrap and server are imported inside the functions that need them: they load
SQLAlchemy, Alembic and spyne (about a second), which `lrs-soap --help` should not pay for.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass

from lrs_client.tables import TableConsole
from rich.console import Console

from lrs_soap.config import Settings, from_environment

# tables keep ULNs, UKPRNs and codes whole at any width (the reference client's rule)
out = TableConsole(highlight=False)
# soft_wrap: a message is never broken mid-sentence at the terminal's width
err = Console(stderr=True, highlight=False, soft_wrap=True)


def add_database_options(parser: argparse.ArgumentParser) -> None:
    """The options every command that touches the database takes."""
    parser.add_argument("--database-url", help="SQLAlchemy URL (env LRS_DATABASE_URL)")
    parser.add_argument("--log-level", help="DEBUG, INFO, WARNING… (env LRS_LOG_LEVEL)")


def settings_from(args: argparse.Namespace) -> Settings:
    """The environment's settings with this command's options laid over them."""
    return from_environment().with_overrides(
        database_url=getattr(args, "database_url", None),
        bind=getattr(args, "bind", None),
        public_url=getattr(args, "public_url", None),
        workers=getattr(args, "workers", None),
        max_request_bytes=getattr(args, "max_request_bytes", None),
        log_level=getattr(args, "log_level", None),
        tls_certfile=getattr(args, "tls_certfile", None),
        tls_keyfile=getattr(args, "tls_keyfile", None),
        tls_client_ca=getattr(args, "tls_client_ca", None),
        batch_workers=getattr(args, "batch_workers", None),
    )


def runtime(settings: Settings):
    """``with runtime(settings) as services:`` - the engine is disposed on the way out."""
    from lrs_soap.bootstrap import build_runtime

    return build_runtime(settings)


def actor(args: argparse.Namespace) -> str:
    """Who the audit log names for an administrator's action (--by, else the login)."""
    if getattr(args, "by", None):
        return args.by
    try:
        return f"admin:{getpass.getuser()}"
    except (KeyError, OSError):
        return "admin"


def add_actor_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--by", help="name written to the audit log (default: your login)")


def iso_date(text: str) -> dt.date:
    """An argparse type: a YYYY-MM-DD date."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def whole_number(low: int, high: int | None = None):
    """An argparse type: a whole number from ``low`` (to ``high``)."""
    def parse(text: str) -> int:
        try:
            number = int(text)
        except ValueError:
            number = None
        if number is None or number < low or (high is not None and number > high):
            span = f"from {low} to {high}" if high is not None else f"of at least {low}"
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number {span}")
        return number
    return parse
