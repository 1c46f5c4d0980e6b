"""One achievement at a time: ``achievement create|update|withdraw|reinstate|promote``
(SubmitAchievement), answered at once with the batch's rules and outcome."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from rich.table import Table
from rich.text import Text

from .codes import ACHIEVEMENT_LABELS
from .connection import Connection
from .learners import GENDER_HELP, iso_date
from .plr import events_table
from .render import Renderer
from .replydata import to_data

ACTIONS = ("create", "update", "withdraw", "reinstate", "promote")


def register(subparsers: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]
             ) -> None:
    parser = subparsers.add_parser(
        "achievement", parents=parents,
        help="create, update, withdraw, reinstate or promote one achievement "
             "(SubmitAchievement)",
        description="Apply one achievement record at once, with exactly the rules of an "
                    "achievement batch record: the learner must verify (a merged ULN's "
                    "achievement is held under its master), the qualification must be yours "
                    "or shared. WSRC0006 applied (Outcome says how), WSRC0020 an update "
                    "that changed nothing, WSEC0208 the learner did not verify, WSRC0021 a "
                    "business rule refused it (each error is listed); a field broken is a "
                    "fault naming it. Awarding organisations only.")
    parser.add_argument("action", choices=ACTIONS)
    parser.add_argument("uln", metavar="ULN")
    parser.add_argument("given", metavar="GIVEN")
    parser.add_argument("family", metavar="FAMILY")
    parser.add_argument("--dob", type=iso_date, required=True, metavar="YYYY-MM-DD")
    parser.add_argument("--gender", required=True, metavar="G", help=GENDER_HELP)
    parser.add_argument("--qualification", required=True, metavar="REF",
                        help="qualification or unit reference, e.g. 600/1234/5")
    parser.add_argument("--grade", help="required to create and update")
    parser.add_argument("--award-date", type=iso_date, metavar="YYYY-MM-DD",
                        help="required to create and update")
    parser.add_argument("--reason", help="why (required to withdraw)")
    parser.add_argument("--provider-ukprn", required=True, metavar="UKPRN",
                        help="the learning provider's UKPRN")
    parser.add_argument("--action-date", type=iso_date, metavar="YYYY-MM-DD",
                        help="default today")
    parser.add_argument("--language", help="language for assessment")
    parser.add_argument("--mis-id", help="your own identifier for the record")
    parser.add_argument("--provisional", action="store_true",
                        help="create it provisional (promote makes it final)")
    parser.set_defaults(handler=submit_achievement)


def achievement_element(args: argparse.Namespace) -> dict[str, Any]:
    """The Achievement element, in the contract's order, optional values left out."""
    element = {"MISIdentifier": args.mis_id, "Action": args.action.upper(), "ULN": args.uln,
               "GivenName": args.given, "FamilyName": args.family, "DateOfBirth": args.dob,
               "Gender": args.gender, "QualificationReference": args.qualification,
               "Grade": args.grade, "AwardDate": args.award_date,
               "ActionDate": args.action_date or dt.date.today().isoformat(),
               "ActionReason": args.reason, "ProviderUKPRN": args.provider_ukprn,
               "LanguageForAssessment": args.language}
    return {name: value for name, value in element.items() if value is not None}


def submit_achievement(args: argparse.Namespace, conn: Connection, out: Renderer) -> int:
    request: dict[str, Any] = {"Achievement": achievement_element(args)}
    if args.provisional:
        request["SubmissionType"] = "PROVISIONAL"
    data = to_data(conn.call("SubmitAchievement", **request))
    out.answer(data, lambda console: show_answer(console, data), ACHIEVEMENT_LABELS)
    return 0


def show_answer(console, data: dict[str, Any]) -> None:
    if data.get("Outcome"):
        held = f" (held under {data['ULN']})" if data.get("ULN") else ""
        console.print(Text(f"Outcome: {data['Outcome']}{held}"))
    if data.get("Changed"):
        console.print(Text("Changed: " + ", ".join(data["Changed"])))
    if data.get("Error"):
        table = Table(title=f"Rejected ({data.get('ErrorType')})", title_justify="left")
        table.add_column("Field", no_wrap=True)
        table.add_column("Rule", overflow="fold")
        for error in data["Error"]:
            table.add_row(Text(error["Field"]), Text(error["Rule"]))
        console.print(table)
    if data.get("LearningEvent"):
        console.print(events_table([data["LearningEvent"]], "The event on the PLR now"))
