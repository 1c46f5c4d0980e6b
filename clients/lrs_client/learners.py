"""Learner look-ups: find-by-uln, find-by-demographics, verify-learner.

Each command is a parser entry in ``register`` plus one small handler that maps the arguments
onto the request elements and hands the reply to the Renderer. Credentials, transport errors
and faults are handled by the caller. Registering and updating learners is in registration.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re

from .connection import Connection
from .render import Renderer

GENDER_HELP = "0 not known, 1 male, 2 female, 9 not specified"
_DATE_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}")


def date_error(value: str) -> str | None:
    """Why ``value`` is not a YYYY-MM-DD calendar date, or None when it is one.

    Only the shape and the calendar are checked: the contract's range (1800 to 2099) and every
    other facet are the server's to judge (WSEC0001).
    """
    if not _DATE_SHAPE.fullmatch(value):
        return f"{value!r} is not a date in the form YYYY-MM-DD"
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return f"{value!r} is not a calendar date (YYYY-MM-DD)"
    return None


def iso_date(value: str) -> str:
    """argparse type for dates: a usage error (exit 2) unless YYYY-MM-DD; sent as given."""
    error = date_error(value)
    if error:
        raise argparse.ArgumentTypeError(error)
    return value


def register(subparsers: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]
             ) -> None:
    find = subparsers.add_parser(
        "find-by-uln", parents=parents,
        help="find a learner by ULN and both names (FindByULN)",
        description="Find a learner by ULN. Both names must match the learner. "
                    "FindType FUL returns the learner; --check (CHK) returns the outcome only.")
    find.add_argument("uln", metavar="ULN", help="the 10-digit Unique Learner Number")
    find.add_argument("given", metavar="GIVEN", help="the learner's given name")
    find.add_argument("family", metavar="FAMILY", help="the learner's family name")
    find.add_argument("--check", action="store_true",
                      help="FindType CHK: answer the response code only, no personal data")
    find.set_defaults(handler=find_by_uln)

    demo = subparsers.add_parser(
        "find-by-demographics", parents=parents,
        help="find learners by their five demographics (FindByDemographics)",
        description="Find learners by given name, family name, date of birth, gender and "
                    "postcode, optionally refined by the four optional demographics. "
                    "WSRC0001 none, WSRC0002 too many (no learners listed), WSRC0003 possible "
                    "matches (up to 10, best first), WSRC0004 exact, WSRC0022 exact on a merged "
                    "learner (its master is listed). A full search is what RegisterLearner "
                    "requires before registering; --check (CHK) returns the outcome only.")
    demo.add_argument("given", metavar="GIVEN", help="given name")
    demo.add_argument("family", metavar="FAMILY", help="family name")
    demo.add_argument("dob", metavar="DOB", type=iso_date, help="date of birth, YYYY-MM-DD")
    demo.add_argument("gender", metavar="GENDER", help=f"gender: {GENDER_HELP}")
    demo.add_argument("postcode", metavar="POSTCODE", help="last known postcode")
    demo.add_argument("--previous-family-name", metavar="NAME")
    demo.add_argument("--school-at-16", metavar="SCHOOL", help="school attended at age 16")
    demo.add_argument("--place-of-birth", metavar="PLACE")
    demo.add_argument("--email", metavar="ADDRESS", help="email address")
    demo.add_argument("--check", action="store_true",
                      help="FindType CHK: answer the response code only, no personal data")
    demo.set_defaults(handler=find_by_demographics)

    verify = subparsers.add_parser(
        "verify-learner", parents=parents,
        help="check that a ULN belongs to the learner named (VerifyLearnerDetails)",
        description="Check that a ULN belongs to the learner named. WSVRC001 match, WSVRC002 "
                    "linked match, WSVRC003 similar, WSVRC004 similar linked, WSVRC005 does not "
                    "match (the FailureFlags say which details failed), WSVRC006 ULN not found. "
                    "The learner held is shown for WSVRC001 to WSVRC004 only.")
    verify.add_argument("uln", metavar="ULN", help="the 10-digit Unique Learner Number")
    verify.add_argument("given", metavar="GIVEN", help="the learner's given name")
    verify.add_argument("family", metavar="FAMILY", help="the learner's family name")
    verify.add_argument("--dob", type=iso_date, metavar="YYYY-MM-DD",
                        help="date of birth, checked too when given (VRF7)")
    verify.add_argument("--gender", metavar="G",
                        help=f"gender, checked too when given (VRF8): {GENDER_HELP}")
    verify.set_defaults(handler=verify_learner)


def find_by_uln(args: argparse.Namespace, conn: Connection, out: Renderer) -> int:
    reply = conn.call(
        "FindByULN",
        FindType="CHK" if args.check else "FUL",
        ULN=args.uln,
        GivenName=args.given,
        FamilyName=args.family,
    )
    out.reply(reply)
    return 0


def find_by_demographics(args: argparse.Namespace, conn: Connection, out: Renderer) -> int:
    demographics = {
        "GivenName": args.given,
        "FamilyName": args.family,
        "DateOfBirth": args.dob,
        "Gender": args.gender,
        "LastKnownPostCode": args.postcode,
        "PreviousFamilyName": args.previous_family_name,
        "SchoolAtAge16": args.school_at_16,
        "PlaceOfBirth": args.place_of_birth,
        "EmailAddress": args.email,
    }
    reply = conn.call(
        "FindByDemographics",
        FindType="CHK" if args.check else "FUL",
        Demographics={name: value for name, value in demographics.items() if value is not None},
    )
    out.learners(reply)
    return 0


def verify_learner(args: argparse.Namespace, conn: Connection, out: Renderer) -> int:
    optional = {"DateOfBirth": args.dob, "Gender": args.gender}
    reply = conn.call(
        "VerifyLearnerDetails",
        ULN=args.uln,
        GivenName=args.given,
        FamilyName=args.family,
        **{name: value for name, value in optional.items() if value is not None},
    )
    out.verification(reply)
    return 0
