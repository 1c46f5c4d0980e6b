"""`lrs-soap learners merge|unmerge|split|delete|report`: resolve ULN data challenges."""

from __future__ import annotations

import argparse
import datetime as dt
import json

from rich.table import Table

from lrs_soap.domain.model import LearnerDetails
from lrs_soap.entrypoints.cli.common import (
    actor,
    add_actor_option,
    add_database_options,
    iso_date,
    out,
    runtime,
    settings_from,
)
from lrs_soap.record_elements import DATE_FIELDS, DETAIL_FIELDS
from lrs_soap.service import learner_admin
from lrs_soap.service.accounts import AdminError


def register(commands: argparse._SubParsersAction) -> None:
    learners = commands.add_parser("learners", help="merge, unmerge, split and delete ULNs; "
                                                    "the ULN report")
    actions = learners.add_subparsers(dest="action", required=True)

    def admin(name: str, text: str) -> argparse.ArgumentParser:
        sub = actions.add_parser(name, help=text, description=text)
        add_database_options(sub)
        sub.add_argument("--challenge", type=int, metavar="ID",
                         help="the open ULN data challenge this resolves (closed as resolved)")
        add_actor_option(sub)
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
    report = actions.add_parser(
        "report", help="ULNs merged, unmerged and deleted in a period (UK dates, inclusive)")
    add_database_options(report)
    report.add_argument("--from", dest="start", type=iso_date, required=True,
                        metavar="YYYY-MM-DD")
    report.add_argument("--to", dest="end", type=iso_date, required=True, metavar="YYYY-MM-DD")
    learners.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    by, challenge = actor(args), getattr(args, "challenge", None)
    with runtime(settings_from(args)) as services:
        if args.action == "merge":
            result = learner_admin.merge(services, args.duplicate, args.master, actor=by,
                                         challenge_id=challenge)
            out.print(f"ULN {result.duplicate_uln} merged into {result.master_uln}")
            if result.relinked:
                out.print(f"re-linked to {result.master_uln}: {', '.join(result.relinked)}")
        elif args.action == "unmerge":
            master = learner_admin.unmerge(services, args.uln, actor=by, challenge_id=challenge)
            out.print(f"ULN {args.uln} unmerged from {master}: it is active again")
        elif args.action == "split":
            result = learner_admin.split(services, args.uln, second_person(args),
                                         args.event or (), actor=by, challenge_id=challenge)
            moved = ", ".join(map(str, result.moved)) or "none"
            out.print(f"ULN {result.uln} split: the second person is ULN {result.new_uln} "
                      f"(events moved: {moved})")
        elif args.action == "delete":
            learner_admin.delete(services, args.uln, actor=by, challenge_id=challenge)
            out.print(f"ULN {args.uln} deleted (retired; never issued again)")
        else:
            _print_uln_report(learner_admin.uln_report(services, None, args.start, args.end))
        if challenge is not None and args.action != "report":
            out.print(f"ULN data challenge {challenge} resolved")
    return 0


def second_person(args: argparse.Namespace) -> LearnerDetails:
    """`learners split`: the second person's details from --from-json and the options."""
    values: dict[str, object] = {}
    if args.from_json:
        values.update(_details_from_json(args.from_json))
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


def _details_from_json(path: str) -> dict[str, str]:
    """A JSON object keyed by LearnerToRegister element names -> LearnerDetails attributes."""
    try:
        with open(path, encoding="utf-8") as handle:
            given = json.load(handle)
    except (OSError, ValueError) as error:
        raise AdminError(f"--from-json {path}: {error}") from None
    known = dict(DETAIL_FIELDS)
    if not isinstance(given, dict):
        raise AdminError("--from-json: expected a JSON object")
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise AdminError(f"--from-json: unknown field(s) {', '.join(unknown)}")
    return {known[element]: str(value) for element, value in given.items() if value is not None}


def _print_uln_report(report) -> None:
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
