"""`lrs-soap challenges list|reject`: learning event and ULN data challenges."""

from __future__ import annotations

import argparse

from rich.table import Table

from lrs_soap.domain.challenges import ChallengeStatus
from lrs_soap.entrypoints.cli.common import (
    actor,
    add_actor_option,
    add_database_options,
    out,
    runtime,
    settings_from,
    whole_number,
)
from lrs_soap.service import challenges
from lrs_soap.service.plr import MAX_PAGE_SIZE, Page


def register(commands: argparse._SubParsersAction) -> None:
    group = commands.add_parser("challenges", help="learning event and ULN data challenges")
    actions = group.add_subparsers(dest="action", required=True)
    listing = actions.add_parser("list", help="list data challenges, oldest first")
    add_database_options(listing)
    listing.add_argument("--kind", choices=["uln", "event"], default="uln")
    listing.add_argument("--status", default="open",
                         choices=["open", "accepted", "rejected", "resolved", "all"])
    listing.add_argument("--page", type=whole_number(1), default=1)
    listing.add_argument("--page-size", type=whole_number(1, MAX_PAGE_SIZE), default=100,
                         help=f"1 to {MAX_PAGE_SIZE} (default 100)")
    reject = actions.add_parser("reject", help="reject an open ULN data challenge")
    add_database_options(reject)
    reject.add_argument("id", type=int, metavar="ID")
    reject.add_argument("--reason", required=True, help="why (the raiser sees it)")
    add_actor_option(reject)
    group.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    with runtime(settings_from(args)) as services:
        if args.action == "reject":
            challenge = challenges.reject_uln_challenge(services, args.id, args.reason,
                                                        actor=actor(args))
            out.print(f"ULN data challenge {challenge.id} on {challenge.uln} rejected")
            return 0
        status = None if args.status == "all" else ChallengeStatus(args.status)
        page = Page(args.page, args.page_size)
        if args.kind == "uln":
            listing = challenges.list_uln_challenges(services, None, status, page)
        else:
            listing = challenges.list_event_challenges_admin(services, status, page)
    _print_challenges(args, listing, page)
    return 0


def _print_challenges(args: argparse.Namespace, listing, page: Page) -> None:
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
