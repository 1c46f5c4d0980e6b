"""`lrs-soap db upgrade|downgrade|current|check`: database migrations."""

from __future__ import annotations

import argparse

from lrs_soap.entrypoints.cli.common import add_database_options, out, settings_from
from lrs_soap.service.accounts import AdminError


def register(commands: argparse._SubParsersAction) -> None:
    db = commands.add_parser("db", help="database migrations")
    add_database_options(db)
    db.add_argument("action", choices=["upgrade", "downgrade", "current", "check"])
    db.add_argument("revision", nargs="?", help="target revision (default head for upgrade)")
    db.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from lrs_soap.store import migrate

    url = settings_from(args).database_url
    if args.action == "upgrade":
        migrate.upgrade(url, args.revision or "head")
    elif args.action == "downgrade":
        if not args.revision:
            raise AdminError("downgrade needs a revision (for example: base)")
        migrate.downgrade(url, args.revision)
    elif args.action == "current":
        out.print(migrate.current(url) or "(empty database)")
        return 0
    elif args.action == "check":
        migrate.check(url)
    out.print(f"db {args.action}: done")
    return 0
