"""`lrs-soap`: run and administer the gateway.

    lrs-soap serve [--demo]          migrate, optionally load demo data, serve
    lrs-soap db upgrade|downgrade|current|check
    lrs-soap org create|password|revoke|reinstate|list
    lrs-soap user create|revoke|reinstate
    lrs-soap demo load
    lrs-soap worker                  process batch jobs (as many as you like)
    lrs-soap qualifications import FILE.csv   the qualification register
    lrs-soap seed learners --count N          synthetic learners for load tests
    lrs-soap events import FILE.csv  participation events (ILR/NPD), docs/plr.md
    lrs-soap learners merge|unmerge|split|delete|report   resolve ULN data challenges
    lrs-soap challenges list|reject  data challenges
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
    host = settings.bind.rsplit(":", 1)[0].strip("[]")
    if settings.public_url == Settings.public_url and (settings.bind != Settings.bind
                                                       or settings.tls):
        if host in ("0.0.0.0", "::", ""):  # noqa: S104 (recognising it, not binding it)
            err.print("[yellow]note:[/yellow] listening on every interface: set "
                      "LRS_PUBLIC_URL (or --public-url) to the address clients use, so the "
                      "served WSDLs point there")
        else:
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


def cmd_seed(args: argparse.Namespace) -> int:
    import datetime as dt

    from rich.progress import Progress

    from lrs_soap.store import migrate
    from lrs_soap.store.engine import create_engine
    from lrs_soap.store.seed import seed_learners

    settings = _settings(args)
    if args.count < 1:
        raise AdminError("--count must be at least 1")
    migrate.upgrade(settings.database_url)
    engine = create_engine(settings.database_url)
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("seeding learners", total=args.count)
        try:
            report = seed_learners(engine, args.count, seed=args.seed,
                                   now=dt.datetime.now(dt.UTC),
                                   progress=lambda done: progress.update(task, completed=done))
        finally:
            engine.dispose()
    out.print(f"seeded {report.inserted} learners ({report.merged} merged into a master, "
              f"{report.skipped} skipped as already issued) in {report.seconds:.1f} s "
              f"({report.rows_per_second:,.0f} a second)")
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


# ----- the Personal Learning Record: participation events, ULN administration, challenges -----

def _actor(args: argparse.Namespace) -> str:
    """Who the audit log names for an administrator's action (--by, else the login)."""
    if getattr(args, "by", None):
        return args.by
    import getpass

    try:
        return f"admin:{getpass.getuser()}"
    except (KeyError, OSError):
        return "admin"


def cmd_events(args: argparse.Namespace) -> int:
    from lrs_soap.service import participation

    with _runtime(_settings(args)) as services:
        report = participation.import_events(services, args.file, actor=_actor(args))
    out.print(f"participation events: {report.created} added, {report.updated} updated")
    return 0


def _split_details(args: argparse.Namespace):
    import datetime as dt
    import json

    from lrs_soap.domain.fields import DATE_FIELDS, DETAIL_FIELDS
    from lrs_soap.domain.model import LearnerDetails

    values: dict[str, object] = {}
    if args.from_json:
        try:
            with open(args.from_json, encoding="utf-8") as handle:
                given = json.load(handle)
        except (OSError, ValueError) as error:
            raise AdminError(f"--from-json {args.from_json}: {error}") from None
        known = dict(DETAIL_FIELDS)
        if not isinstance(given, dict):
            raise AdminError("--from-json: expected a JSON object")
        unknown = sorted(set(given) - set(known))
        if unknown:
            raise AdminError(f"--from-json: unknown field(s) {', '.join(unknown)}")
        for element, value in given.items():
            if value is not None:
                values[known[element]] = str(value)
    for attribute in ("given_name", "family_name", "date_of_birth", "gender", "postcode",
                      "verification_type", "ability_to_share"):
        if getattr(args, attribute, None):
            values[attribute] = getattr(args, attribute)
    required = (("--given-name", "given_name"), ("--family-name", "family_name"),
                ("--dob", "date_of_birth"), ("--gender", "gender"), ("--postcode", "postcode"))
    missing = [flag for flag, attribute in required if not values.get(attribute)]
    if missing:
        raise AdminError("the second person needs " + ", ".join(missing))
    for element, attribute in DETAIL_FIELDS:
        if element in DATE_FIELDS and isinstance(values.get(attribute), str):
            try:
                values[attribute] = dt.date.fromisoformat(values[attribute])
            except ValueError:
                raise AdminError(f"{element} is not a date (YYYY-MM-DD)") from None
    values.setdefault("verification_type", "0")
    values.setdefault("ability_to_share", "1")
    return LearnerDetails(**values)


def cmd_learners(args: argparse.Namespace) -> int:
    from lrs_soap.service import learner_admin

    actor, challenge = _actor(args), getattr(args, "challenge", None)
    with _runtime(_settings(args)) as services:
        if args.action == "merge":
            result = learner_admin.merge(services, args.duplicate, args.master, actor=actor,
                                         challenge_id=challenge)
            out.print(f"ULN {result.duplicate_uln} merged into {result.master_uln}")
            if result.relinked:
                out.print(f"re-linked to {result.master_uln}: {', '.join(result.relinked)}")
        elif args.action == "unmerge":
            master = learner_admin.unmerge(services, args.uln, actor=actor,
                                           challenge_id=challenge)
            out.print(f"ULN {args.uln} unmerged from {master}: it is active again")
        elif args.action == "split":
            result = learner_admin.split(services, args.uln, _split_details(args),
                                         args.event or (), actor=actor, challenge_id=challenge)
            moved = ", ".join(map(str, result.moved)) or "none"
            out.print(f"ULN {result.uln} split: the second person is ULN {result.new_uln} "
                      f"(events moved: {moved})")
        elif args.action == "delete":
            learner_admin.delete(services, args.uln, actor=actor, challenge_id=challenge)
            out.print(f"ULN {args.uln} deleted (retired; never issued again)")
        else:
            _print_uln_report(learner_admin.uln_report(services, None, args.start, args.end))
        if challenge is not None and args.action != "report":
            out.print(f"ULN data challenge {challenge} resolved")
    return 0


def _print_uln_report(report) -> None:
    from rich.table import Table

    def who(uln: str) -> str:
        learner = (report.learners or {}).get(uln)
        if learner is None:
            return ""
        held = learner.details
        return f"{held.given_name} {held.family_name} {held.date_of_birth.isoformat()}"

    out.print(f"ULN report {report.start.isoformat()} to {report.end.isoformat()}: "
              f"{report.code.value}" + (" (nothing to report)" if not
                                        (report.merged or report.unmerged or report.deleted)
                                        else ""))
    for title, entries, when in (("Merged", report.merged, "merged_at"),
                                 ("Unmerged", report.unmerged, "unmerged_at")):
        if entries:
            table = Table(title=f"{title} ULNs", title_justify="left")
            for column in ("Master ULN", "Master", f"{title} ULN", title, "Date (UTC)"):
                table.add_column(column)
            for link in entries:
                table.add_row(link.master_uln, who(link.master_uln), link.merged_uln,
                              who(link.merged_uln), f"{getattr(link, when):%Y-%m-%d %H:%M:%S}")
            out.print(table)
    if report.deleted:
        table = Table(title="Deleted ULNs", title_justify="left")
        for column in ("ULN", "Learner", "Date (UTC)"):
            table.add_column(column)
        for entry in report.deleted:
            table.add_row(entry.uln, who(entry.uln), f"{entry.deleted_at:%Y-%m-%d %H:%M:%S}")
        out.print(table)


def cmd_challenges(args: argparse.Namespace) -> int:
    from rich.table import Table

    from lrs_soap.domain.challenges import ChallengeStatus
    from lrs_soap.service import challenges
    from lrs_soap.service.plr import Page

    with _runtime(_settings(args)) as services:
        if args.action == "reject":
            challenge = challenges.reject_uln_challenge(services, args.id, args.reason,
                                                        actor=_actor(args))
            out.print(f"ULN data challenge {challenge.id} on {challenge.uln} rejected")
            return 0
        status = None if args.status == "all" else ChallengeStatus(args.status)
        page = Page(args.page, args.page_size)
        if args.kind == "uln":
            listing = challenges.list_uln_challenges(services, None, status, page)
        else:
            listing = challenges.list_event_challenges_admin(services, status, page)
    table = Table(title=f"{args.kind.upper()} data challenges ({args.status}): "
                        f"{listing.total} in all, page {page.index} of "
                        f"{max(1, listing.page_count)}", title_justify="left")
    columns = (("ID", "ULN", "Type", "Status", "Raised by", "Raised", "Reason", "Resolution")
               if args.kind == "uln" else
               ("ID", "ULN", "Event", "Subject", "Status", "Raised by", "Raised", "Reason",
                "Resolution"))
    for column in columns:
        table.add_column(column, overflow="fold")
    for item in listing.challenges:
        challenge = item if args.kind == "uln" else item.challenge
        raised_by = challenge.raised_by_ukprn or challenge.raised_by_reference or ""
        common = (challenge.status.value, f"{challenge.raised_by_name} ({raised_by})",
                  f"{challenge.raised_at:%Y-%m-%d %H:%M}", challenge.reason,
                  challenge.resolution or "")
        if args.kind == "uln":
            table.add_row(str(challenge.id), challenge.uln or "", challenge.challenge_type or "",
                          *common)
        else:
            event = item.event
            table.add_row(str(challenge.id), event.learner_uln if event else "",
                          str(challenge.learning_event_id),
                          (event.subject or "") if event else "", *common)
    out.print(table)
    return 0


# ----- parser -----

def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--database-url", help="SQLAlchemy URL (env LRS_DATABASE_URL)")
    parser.add_argument("--log-level", help="DEBUG, INFO, WARNING… (env LRS_LOG_LEVEL)")


def _date(text: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


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

    events = commands.add_parser("events", help="learning events from participation data")
    events_commands = events.add_subparsers(dest="action", required=True)
    events_import = events_commands.add_parser(
        "import", help="add or replace ILR/NPD participation events from a CSV file "
                       "(columns: docs/plr.md)")
    _common(events_import)
    events_import.add_argument("file")
    events_import.add_argument("--by", help="name written to the audit log (default: your login)")
    events.set_defaults(handler=cmd_events)

    learners = commands.add_parser("learners", help="merge, unmerge, split and delete ULNs; "
                                                    "the ULN report")
    learner_commands = learners.add_subparsers(dest="action", required=True)

    def admin(name: str, text: str) -> argparse.ArgumentParser:
        sub = learner_commands.add_parser(name, help=text, description=text)
        _common(sub)
        sub.add_argument("--challenge", type=int, metavar="ID",
                         help="the open ULN data challenge this resolves (closed as resolved)")
        sub.add_argument("--by", help="name written to the audit log (default: your login)")
        return sub

    merge = admin("merge", "link a duplicate ULN to its master: finds answer WSRC0022, "
                           "verification WSVRC002/004, the record shows the master's")
    merge.add_argument("duplicate", metavar="DUPLICATE_ULN")
    merge.add_argument("master", metavar="MASTER_ULN")
    unmerge = admin("unmerge", "undo a merge: the ULN is active again with its own record")
    unmerge.add_argument("uln", metavar="ULN")
    split = admin("split", "give the second person sharing a ULN a new ULN and move the "
                           "chosen events to it")
    split.add_argument("uln", metavar="ULN")
    split.add_argument("--event", type=int, action="append", metavar="EVENT_ID",
                       help="a learning event (held under ULN) to move; repeat for several")
    split.add_argument("--given-name", dest="given_name")
    split.add_argument("--family-name", dest="family_name")
    split.add_argument("--dob", dest="date_of_birth", metavar="YYYY-MM-DD")
    split.add_argument("--gender", help="0 not known, 1 male, 2 female, 9 not specified")
    split.add_argument("--postcode")
    split.add_argument("--verification-type", dest="verification_type")
    split.add_argument("--ability-to-share", dest="ability_to_share")
    split.add_argument("--from-json", metavar="FILE",
                       help="the second person's details as a JSON object keyed by the "
                            "LearnerToRegister element names (options override it)")
    delete = admin("delete", "retire a ULN created incorrectly: it is treated as unknown "
                             "and never issued again")
    delete.add_argument("uln", metavar="ULN")
    report = learner_commands.add_parser(
        "report", help="ULNs merged, unmerged and deleted in a period (UK dates, inclusive)")
    _common(report)
    report.add_argument("--from", dest="start", type=_date, required=True, metavar="YYYY-MM-DD")
    report.add_argument("--to", dest="end", type=_date, required=True, metavar="YYYY-MM-DD")
    learners.set_defaults(handler=cmd_learners)

    challenges = commands.add_parser("challenges", help="learning event and ULN data challenges")
    challenge_commands = challenges.add_subparsers(dest="action", required=True)
    listing = challenge_commands.add_parser("list", help="list data challenges, oldest first")
    _common(listing)
    listing.add_argument("--kind", choices=["uln", "event"], default="uln")
    listing.add_argument("--status", default="open",
                         choices=["open", "accepted", "rejected", "resolved", "all"])
    listing.add_argument("--page", type=int, default=1)
    listing.add_argument("--page-size", type=int, default=100)
    reject = challenge_commands.add_parser("reject", help="reject an open ULN data challenge")
    _common(reject)
    reject.add_argument("id", type=int, metavar="ID")
    reject.add_argument("--reason", required=True, help="why (the raiser sees it)")
    reject.add_argument("--by", help="name written to the audit log (default: your login)")
    challenges.set_defaults(handler=cmd_challenges)

    seed = commands.add_parser("seed", help="synthetic data for load and matching tests")
    seed_commands = seed.add_subparsers(dest="action", required=True)
    seed_learners = seed_commands.add_parser(
        "learners", help="realistic synthetic learners (near-duplicates and merged pairs too)")
    _common(seed_learners)
    seed_learners.add_argument("--count", type=int, required=True)
    seed_learners.add_argument("--seed", type=int, default=0,
                               help="the same seed gives the same learners (default 0)")
    seed.set_defaults(handler=cmd_seed)

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
        # alembic narrates every plugin it loads at INFO; migrations still report at WARNING
        logging.getLogger("alembic").setLevel(max(logging.WARNING, logging.getLevelName(level)))
        return args.handler(args)
    except (AdminError, SettingsError, ValueError) as error:
        err.print(f"[red]error:[/red] {error}")
        return 2


if __name__ == "__main__":
    sys.exit(main())
