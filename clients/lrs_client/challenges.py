"""Data challenges: raise-event-challenge, event-challenges, resolve-event-challenge,
raise-uln-challenge, uln-challenges."""

from __future__ import annotations

import argparse
from typing import Any

from rich.table import Table
from rich.text import Text

from .codes import response_code_line
from .connection import Connection
from .learners import iso_date
from .plr import (
    ACCESS_HELP,
    add_identity,
    add_paging,
    cell_text,
    counted,
    event_cells,
    events_table,
    identity,
    print_head,
)
from .render import Renderer
from .replydata import to_data

ULN_TYPES = {"created-incorrectly": "CREATED_INCORRECTLY",
             "merged-incorrectly": "MERGED_INCORRECTLY", "shared-uln": "SHARED_ULN"}


def register(subparsers: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]
             ) -> None:
    raise_event = subparsers.add_parser(
        "raise-event-challenge", parents=parents,
        help="challenge a learning event on a learner's record (RaiseEventChallenge)",
        description="Raise a learning event data challenge on one event of a learner's "
                    "record (EVENT_ID as get-learner-record shows it); the awarding "
                    "organisation that loaded it resolves it. The learner is identified as "
                    "for get-learner-record: " + ACCESS_HELP + " Outcome RAISED, ALREADY_OPEN "
                    "(your organisation's open challenge is shown), EVENT_NOT_FOUND, or "
                    "NOT_CHALLENGEABLE (participation events are corrected at their source).")
    add_identity(raise_event)
    raise_event.add_argument("event_id", metavar="EVENT_ID", type=int)
    raise_event.add_argument("--reason", required=True, help="what is wrong (1000 characters)")
    raise_event.set_defaults(handler=raise_event_challenge)

    listing = subparsers.add_parser(
        "event-challenges", parents=parents,
        help="list learning event challenges (ListEventChallenges)",
        description="--raised: the challenges your organisation raised, with their outcome "
                    "(learner registration bodies). --owned: the challenges on your events "
                    "(awarding organisations; open ones unless --status says otherwise).")
    scope = listing.add_mutually_exclusive_group(required=True)
    scope.add_argument("--raised", dest="scope", action="store_const", const="RAISED")
    scope.add_argument("--owned", dest="scope", action="store_const", const="OWNED")
    listing.add_argument("--status", choices=["open", "accepted", "rejected", "all"],
                         help="default: open for --owned, all for --raised")
    add_paging(listing)
    listing.set_defaults(handler=event_challenges)

    resolve = subparsers.add_parser(
        "resolve-event-challenge", parents=parents,
        help="accept (correct or withdraw the event) or reject a challenge "
             "(ResolveEventChallenge)",
        description="Resolve an open challenge on one of your organisation's events. "
                    "--correct with at least one new value, --withdraw (the event leaves the "
                    "record), or --reject with a --reason. WSRC0001: no such challenge on "
                    "your events.")
    resolve.add_argument("challenge_id", metavar="CHALLENGE_ID", type=int)
    decision = resolve.add_mutually_exclusive_group(required=True)
    for flag, value in (("--correct", "CORRECT"), ("--withdraw", "WITHDRAW"),
                        ("--reject", "REJECT")):
        decision.add_argument(flag, dest="decision", action="store_const", const=value)
    resolve.add_argument("--reason", help="why (required to reject; shown to the raiser)")
    resolve.add_argument("--grade", help="the corrected Grade")
    resolve.add_argument("--award-date", type=iso_date, metavar="YYYY-MM-DD",
                         help="the corrected AchievementAwardDate")
    resolve.add_argument("--provider-ukprn", metavar="UKPRN",
                         help="the corrected AchievementProviderUkprn")
    resolve.add_argument("--language", help="the corrected LanguageForAssessment")
    resolve.set_defaults(handler=resolve_event_challenge)

    raise_uln = subparsers.add_parser(
        "raise-uln-challenge", parents=parents,
        help="report a ULN problem (RaiseULNChallenge)",
        description="Report a ULN created incorrectly (a duplicate, or not a real learner: "
                    "name the other ULN in the reason), merged incorrectly, or shared by two "
                    "people. An administrator resolves it; uln-challenges shows the outcome.")
    raise_uln.add_argument("uln", metavar="ULN")
    raise_uln.add_argument("--type", required=True, choices=sorted(ULN_TYPES))
    raise_uln.add_argument("--reason", required=True, help="what is wrong (1000 characters)")
    raise_uln.set_defaults(handler=raise_uln_challenge)

    uln_listing = subparsers.add_parser(
        "uln-challenges", parents=parents,
        help="the ULN challenges your organisation raised (ListULNChallenges)")
    uln_listing.add_argument("--status", choices=["open", "resolved", "rejected", "all"],
                             default="all")
    add_paging(uln_listing)
    uln_listing.set_defaults(handler=uln_challenges)


def _challenge_table(challenges: list[dict[str, Any]], title: str) -> Table:
    table = Table(title=title, title_justify="left")
    for column in ("ID", "Status", "ULN", "Event", "Raised by", "Raised (UTC)", "Reason",
                   "Resolution"):
        table.add_column(column, overflow="fold")
    for challenge in challenges:
        event = challenge.get("LearningEvent") or {}
        cells = dict(zip(("ID", "Source", "Subject"), event_cells(event), strict=False))
        raised_by = challenge.get("RaisedByUKPRN") or challenge.get("RaisedByOrganisationRef")
        table.add_row(*(Text(cell) for cell in (
            cell_text(challenge["ChallengeID"]), cell_text(challenge["Status"]),
            cell_text(challenge["ULN"]),
            f"{cells.get('ID', '')} {cells.get('Subject', '')}".strip()
            + (" (withdrawn)" if challenge.get("Withdrawn") else ""),
            cell_text(challenge["RaisedByOrganisation"]) + (f" ({raised_by})" if raised_by else ""),
            cell_text(challenge["RaisedDateTime"])[:16].replace("T", " "),
            cell_text(challenge["Reason"]), cell_text(challenge.get("Resolution")))))
    return table


def _show_challenge(out: Renderer, data: dict[str, Any]) -> None:
    shown = out.console()
    if data.get("Outcome"):
        shown.print(Text(f"Outcome: {data['Outcome']}"))
    if data.get("Reason"):
        shown.print(Text(f"Reason: {data['Reason']}"), soft_wrap=True)
    challenge = data.get("Challenge")
    if challenge:
        fields = {name: value for name, value in challenge.items() if name != "LearningEvent"}
        shown.print(out.record_table(f"Challenge {challenge['ChallengeID']}", fields))
        if challenge.get("LearningEvent"):
            shown.print(events_table([challenge["LearningEvent"]], "The event now"))


def raise_event_challenge(args: argparse.Namespace, conn: Connection, out: Renderer) -> int:
    data = to_data(conn.call("RaiseEventChallenge", **identity(args), EventID=args.event_id,
                             Reason=args.reason))
    if out.json_mode:
        out.print_json(data)
        return 0
    print_head(out, data)
    _show_challenge(out, data)
    return 0


def _status(value: str | None) -> str | None:
    return None if value in (None, "all") else value.upper()


def event_challenges(args: argparse.Namespace, conn: Connection, out: Renderer) -> int:
    status = args.status or ("open" if args.scope == "OWNED" else "all")
    request = {"Scope": args.scope, "Page": args.page, "PageSize": args.page_size}
    if _status(status):
        request["Status"] = _status(status)
    data = to_data(conn.call("ListEventChallenges", **request))
    _print_listing(out, data, f"{args.scope.lower()} event challenge", status)
    return 0


def _print_listing(out: Renderer, data: dict[str, Any], noun: str, status: str) -> None:
    if out.json_mode:
        out.print_json(data)
        return
    shown = out.console()
    shown.print(response_code_line(data["ResponseCode"]))
    challenges = data.get("Challenge") or []
    title = (f"{counted(data['TotalItems'], noun)} ({status}), page {data['PageIndex']} of "
             f"{max(1, data['PageCount'])}")
    if challenges and "LearningEvent" in challenges[0]:
        shown.print(_challenge_table(challenges, title))
        return
    table = Table(title=title, title_justify="left")
    for column in ("ID", "Status", "ULN", "Type", "Raised (UTC)", "Reason", "Resolution"):
        table.add_column(column, overflow="fold")
    for challenge in challenges:
        table.add_row(*(Text(cell) for cell in (
            cell_text(challenge["ChallengeID"]), cell_text(challenge["Status"]),
            cell_text(challenge["ULN"]),
            cell_text(challenge["ChallengeType"]),
            cell_text(challenge["RaisedDateTime"])[:16].replace("T", " "),
            cell_text(challenge["Reason"]), cell_text(challenge.get("Resolution")))))
    shown.print(table)


def resolve_event_challenge(args: argparse.Namespace, conn: Connection, out: Renderer) -> int:
    correction = {"AchievementAwardDate": args.award_date,
                  "AchievementProviderUkprn": args.provider_ukprn, "Grade": args.grade,
                  "LanguageForAssessment": args.language}
    correction = {name: value for name, value in correction.items() if value is not None}
    request: dict[str, Any] = {"ChallengeID": args.challenge_id, "Decision": args.decision}
    if args.reason is not None:
        request["Reason"] = args.reason
    if correction:
        request["Correction"] = correction
    data = to_data(conn.call("ResolveEventChallenge", **request))
    out.answer(data, lambda _: _show_challenge(out, data))
    return 0


def raise_uln_challenge(args: argparse.Namespace, conn: Connection, out: Renderer) -> int:
    data = to_data(conn.call("RaiseULNChallenge", ULN=args.uln,
                             ChallengeType=ULN_TYPES[args.type], Reason=args.reason))
    out.answer(data, lambda _: _show_challenge(out, data))
    return 0


def uln_challenges(args: argparse.Namespace, conn: Connection, out: Renderer) -> int:
    request: dict[str, Any] = {"Page": args.page, "PageSize": args.page_size}
    if _status(args.status):
        request["Status"] = _status(args.status)
    data = to_data(conn.call("ListULNChallenges", **request))
    _print_listing(out, data, "ULN challenge", args.status)
    return 0
