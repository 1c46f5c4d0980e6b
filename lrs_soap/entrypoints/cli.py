"""`lrs-soap`: run and administer the gateway.

    lrs-soap serve [--demo]          migrate, optionally load demo data, serve
    lrs-soap db upgrade|downgrade|current|check
    lrs-soap org create|password|revoke|reinstate|list
    lrs-soap user create|revoke|reinstate
    lrs-soap demo load
"""

from __future__ import annotations

import argparse
import logging
import sys

from rich.console import Console

from lrs_soap.config import Settings, SettingsError, from_environment
from lrs_soap.domain.model import Role
from lrs_soap.service.accounts import AdminError

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def _settings(args: argparse.Namespace) -> Settings:
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


def _runtime(settings: Settings):
    """``with _runtime(settings) as services:`` - the engine is disposed on the way out."""
    from lrs_soap.bootstrap import build_runtime

    return build_runtime(settings)


# ----- commands -----

def cmd_serve(args: argparse.Namespace) -> int:
    from lrs_soap.entrypoints.server import serve
    from lrs_soap.store import migrate

    settings = _settings(args)
    if settings.public_url == Settings.public_url and (settings.bind != Settings.bind
                                                       or settings.tls):
        scheme = "https" if settings.tls else "http"
        settings = settings.with_overrides(public_url=f"{scheme}://{settings.bind}")
    migrate.upgrade(settings.database_url)
    if args.demo:
        _print_demo(settings)
    out.print(f"lrs-soap serving {settings.public_url}/soap/v1 "
              f"(WSDL: {settings.public_url}/soap/v1?wsdl) with {settings.workers} workers",
              soft_wrap=True)
    serve(settings)
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from lrs_soap.entrypoints import worker

    return worker.main(_settings(args))


def cmd_qualifications(args: argparse.Namespace) -> int:
    from lrs_soap.service import qualifications

    with _runtime(_settings(args)) as services:
        report = qualifications.import_register(services, args.file)
    out.print(f"qualification register: {report.created} added, {report.updated} updated")
    return 0


def cmd_demo_load(args: argparse.Namespace) -> int:
    from lrs_soap.store import migrate

    settings = _settings(args)
    migrate.upgrade(settings.database_url)
    _print_demo(settings)
    return 0


def _print_demo(settings: Settings) -> None:
    from rich.table import Table

    from lrs_soap.service import demo

    with _runtime(settings) as services:
        organisations, loaded_now = demo.load(services)
    table = Table(title="Demo credentials (local use only)" +
                  ("" if loaded_now else " - already loaded"))
    for column in ("Organisation", "Role", "UKPRN", "OrganisationRef", "UserName", "OrgPassword"):
        table.add_column(column)
    for org in organisations:
        table.add_row(org.name, ", ".join(sorted(r.value for r in org.roles)), org.ukprn,
                      org.reference, org.user_name, org.password)
    out.print(table)
    uln, details = demo.DEMO_LEARNERS[0]
    out.print(f"Try: lrs-client --ukprn 10000001 --user demo --password "
              f"'{organisations[0].password}' find-by-uln {uln} {details.given_name} "
              f"{details.family_name}", soft_wrap=True)


def cmd_db(args: argparse.Namespace) -> int:
    from lrs_soap.store import migrate

    url = _settings(args).database_url
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


def cmd_org(args: argparse.Namespace) -> int:
    with _runtime(_settings(args)) as services:
        return _org(args, services)


def _org(args: argparse.Namespace, services) -> int:
    from lrs_soap.service import accounts

    if args.action == "create":
        roles = frozenset(Role(r) for r in args.role)
        org = accounts.create_organisation(services, name=args.name, ukprn=args.ukprn,
                                           reference=args.ref, roles=roles)
        password = accounts.set_password(services, org.ukprn or org.reference, args.password)
        out.print(f"created {org.name} (UKPRN {org.ukprn or '-'}, "
                  f"OrganisationRef {org.reference or '-'})")
        _show_password_once(password, generated=args.password is None)
    elif args.action == "password":
        password = accounts.set_password(services, args.organisation, args.password)
        _show_password_once(password, generated=args.password is None)
    elif args.action in ("revoke", "reinstate"):
        accounts.set_organisation_active(services, args.organisation, args.action == "reinstate")
        out.print(f"{args.organisation}: {args.action}d")
    elif args.action == "list":
        from rich.table import Table

        table = Table()
        for column in ("Name", "UKPRN", "OrganisationRef", "Roles", "Active", "Password",
                       "Users"):
            table.add_column(column)
        for org, users in accounts.list_organisations(services):
            table.add_row(org.name, org.ukprn or "", org.reference or "",
                          ", ".join(sorted(r.value for r in org.roles)),
                          "yes" if org.active else "REVOKED",
                          "set" if org.password_hash else "NOT SET",
                          ", ".join(u.user_name + ("" if u.active else " (revoked)")
                                    for u in users))
        out.print(table)
    return 0


def _show_password_once(password: str, *, generated: bool) -> None:
    if generated:
        out.print(f"OrgPassword: [bold]{password}[/bold]\n"
                  "This is shown once; only a hash is stored.")
    else:
        out.print("OrgPassword set.")


def cmd_user(args: argparse.Namespace) -> int:
    from lrs_soap.service import accounts

    with _runtime(_settings(args)) as services:
        if args.action == "create":
            accounts.create_user(services, args.organisation, args.user_name)
            out.print(f"user {args.user_name} created in {args.organisation}")
        else:
            accounts.set_user_active(services, args.organisation, args.user_name,
                                     args.action == "reinstate")
            out.print(f"user {args.user_name} in {args.organisation}: {args.action}d")
    return 0


# ----- parser -----

def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--database-url", help="SQLAlchemy URL (env LRS_DATABASE_URL)")
    parser.add_argument("--log-level", help="DEBUG, INFO, WARNING… (env LRS_LOG_LEVEL)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lrs-soap", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="migrate the database and serve the gateway")
    _common(serve)
    serve.add_argument("--bind", help="host:port (env LRS_BIND, default 127.0.0.1:8000)")
    serve.add_argument("--public-url", help="base URL written into WSDLs (env LRS_PUBLIC_URL)")
    serve.add_argument("--workers", type=int, help="worker processes (env LRS_WORKERS)")
    serve.add_argument("--max-request-bytes", type=int,
                       help="largest request body (env LRS_MAX_REQUEST_BYTES)")
    serve.add_argument("--tls-certfile", help="PEM certificate chain: serve HTTPS "
                       "(env LRS_TLS_CERTFILE)")
    serve.add_argument("--tls-keyfile", help="PEM private key (env LRS_TLS_KEYFILE)")
    serve.add_argument("--tls-client-ca", help="PEM CA bundle: require client certificates "
                       "it issued (env LRS_TLS_CLIENT_CA)")
    serve.add_argument("--batch-workers", type=int,
                       help="batch worker processes to run beside the server, 0 for none "
                            "(env LRS_BATCH_WORKERS, default 1)")
    serve.add_argument("--demo", action="store_true",
                       help="load demo organisations and learners, print their credentials")
    serve.set_defaults(handler=cmd_serve)

    worker = commands.add_parser("worker", help="process batch jobs (run as many as you like)")
    _common(worker)
    worker.set_defaults(handler=cmd_worker)

    db = commands.add_parser("db", help="database migrations")
    _common(db)
    db.add_argument("action", choices=["upgrade", "downgrade", "current", "check"])
    db.add_argument("revision", nargs="?", help="target revision (default head for upgrade)")
    db.set_defaults(handler=cmd_db)

    org = commands.add_parser("org", help="organisations and their passwords")
    org_commands = org.add_subparsers(dest="action", required=True)
    create = org_commands.add_parser("create", help="register an organisation")
    _common(create)
    create.add_argument("--name", required=True)
    create.add_argument("--ukprn", help="8 letters or digits")
    create.add_argument("--ref", help="OrganisationRef: 6 letters or digits")
    create.add_argument("--role", action="append", required=True, choices=[r.value for r in Role],
                        help="LRB (learner registration body) or AO (awarding organisation); "
                             "repeat for both")
    create.add_argument("--password", help="16 characters; omit to generate one")
    for action, text in (("password", "set or rotate the organisation password"),
                         ("revoke", "refuse every call from the organisation"),
                         ("reinstate", "undo a revoke")):
        sub = org_commands.add_parser(action, help=text)
        _common(sub)
        sub.add_argument("organisation", help="UKPRN or OrganisationRef")
        if action == "password":
            sub.add_argument("--password", help="16 characters; omit to generate one")
    listing = org_commands.add_parser("list", help="list organisations and users")
    _common(listing)
    org.set_defaults(handler=cmd_org)

    user = commands.add_parser("user", help="users of an organisation")
    user_commands = user.add_subparsers(dest="action", required=True)
    for action in ("create", "revoke", "reinstate"):
        sub = user_commands.add_parser(action)
        _common(sub)
        sub.add_argument("organisation", help="UKPRN or OrganisationRef")
        sub.add_argument("user_name")
    user.set_defaults(handler=cmd_user)

    register = commands.add_parser("qualifications", help="the qualification register")
    register_commands = register.add_subparsers(dest="action", required=True)
    register_import = register_commands.add_parser(
        "import", help="add or replace qualifications and units from a CSV file "
                       "(columns: docs/qualifications.md)")
    _common(register_import)
    register_import.add_argument("file")
    register.set_defaults(handler=cmd_qualifications)

    demo = commands.add_parser("demo", help="demo data")
    demo_commands = demo.add_subparsers(dest="action", required=True)
    demo_load = demo_commands.add_parser("load", help="load demo data and print credentials")
    _common(demo_load)
    demo.set_defaults(handler=cmd_demo_load)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        level = _settings(args).log_level.upper()
        logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        return args.handler(args)
    except (AdminError, SettingsError, ValueError) as error:
        err.print(f"[red]error:[/red] {error}")
        return 2


if __name__ == "__main__":
    sys.exit(main())
