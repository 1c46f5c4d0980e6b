"""Registering and updating learners: register-learner, update-learner.

Both send a full set of LearnerToRegister fields. Each field has an option (``--given-name``
for GivenName, ...); ``--from-json FILE`` supplies fields as a JSON object keyed by the contract
element names, and options override it. An empty option value (``--title ''``) leaves the field
out. Only the presence of the mandatory fields and the shape of the dates are checked here;
every other facet is the server's to judge (WSEC0001).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .connection import ClientError, Connection
from .learners import GENDER_HELP, date_error, iso_date
from .render import Renderer


class UsageError(ClientError):
    """The learner details are incomplete or unreadable: nothing was sent."""

    exit_code = 2


@dataclass(frozen=True)
class Field:
    element: str  # the LearnerToRegister element, also the --from-json key and the args dest
    flag: str
    required: bool = False
    date: bool = False
    help: str | None = None


FIELDS = (  # contract order
    Field("Title", "--title"),
    Field("GivenName", "--given-name", required=True),
    Field("MiddleOtherName", "--middle-other-name"),
    Field("FamilyName", "--family-name", required=True),
    Field("PreferredGivenName", "--preferred-given-name"),
    Field("PreviousFamilyName", "--previous-family-name"),
    Field("FamilyNameAtAge16", "--family-name-at-16"),
    Field("SchoolAtAge16", "--school-at-16"),
    Field("LastKnownAddressLine1", "--address-line1"),
    Field("LastKnownAddressLine2", "--address-line2"),
    Field("LastKnownAddressTown", "--town"),
    Field("LastKnownAddressCountyOrCity", "--county-or-city"),
    Field("LastKnownPostCode", "--postcode", required=True),
    Field("DateOfAddressCapture", "--date-of-address-capture", date=True),
    Field("DateOfBirth", "--dob", required=True, date=True),
    Field("PlaceOfBirth", "--place-of-birth"),
    Field("Gender", "--gender", required=True, help=GENDER_HELP),
    Field("EmailAddress", "--email"),
    Field("Nationality", "--nationality", help="country code, up to 3 characters"),
    Field("ScottishCandidateNumber", "--scottish-candidate-number", help="9 digits"),
    Field("VerificationType", "--verification-type", required=True,
          help="the kind of identity evidence seen: 0 to 7, or 999 other (describe it "
               "with --other-verification-description)"),
    Field("OtherVerificationDescription", "--other-verification-description"),
    Field("AbilityToShare", "--ability-to-share", required=True,
          help="0 privacy notice not seen, 1 seen and data may be shared, 2 opted out "
               "(historic)"),
    Field("Notes", "--notes"),
)
BY_ELEMENT = {f.element: f for f in FIELDS}

REGISTER_DEFAULTS = {"VerificationType": "0", "AbilityToShare": "1"}

# A Learner printed by `lrs-client --json find-by-uln` also holds these; --from-json ignores
# them so that such a Learner object can be edited and fed back to update-learner.
LEARNER_ONLY = frozenset({"ULN", "VersionNumber", "LearnerStatus", "TierLevel",
                          "MasterSubstituted", "CreatedDate", "LastUpdatedDate", "LinkedULNs"})


def _date_or_empty(value: str) -> str:
    return value if value == "" else iso_date(value)


def _add_fields(parser: argparse.ArgumentParser, defaults: dict[str, str]) -> None:
    parser.add_argument(
        "--from-json", metavar="FILE",
        help="a JSON object of learner fields keyed by contract element name (GivenName, "
             "LastKnownPostCode, ...); options override it; - reads standard input")
    group = parser.add_argument_group(
        "learner details (LearnerToRegister; an empty value leaves a field out)")
    for field in FIELDS:
        notes = [field.help] if field.help else []
        if field.element in defaults:
            notes.append(f"default {defaults[field.element]}")
        elif field.required:
            notes.append("required")
        group.add_argument(
            field.flag, dest=field.element, metavar="YYYY-MM-DD" if field.date else "VALUE",
            type=_date_or_empty if field.date else str,
            help=f"{field.element}" + (f": {'; '.join(notes)}" if notes else ""))


def register(subparsers: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]
             ) -> None:
    reg = subparsers.add_parser(
        "register-learner", parents=parents,
        help="register a learner who has no ULN (RegisterLearner)",
        description="Register a learner who has no ULN. Search first with find-by-demographics "
                    "(a full search on the same five demographics): the service answers "
                    "WSRC0021 with a Reason when it was not done or when the learner already "
                    "exists, and WSRC0005 with the new ULN on success.")
    _add_fields(reg, REGISTER_DEFAULTS)
    reg.set_defaults(handler=register_learner)

    upd = subparsers.add_parser(
        "update-learner", parents=parents,
        help="replace a learner's details (UpdateLearner)",
        description="Replace a learner's details. The update replaces ALL of them: a field "
                    "left out is cleared, so give every field the learner should keep. The "
                    "easiest way is to save the Learner object from `lrs-client --json "
                    "find-by-uln`, edit it and pass it with --from-json (its ULN, "
                    "VersionNumber and other LRS-only fields are ignored). WSRC0006 updated "
                    "(with the new VersionNumber), WSRC0013 VERSION is stale (read the learner "
                    "again), WSRC0014 AbilityToShare may not change that way, WSRC0019 ULN not "
                    "found, WSRC0020 nothing changed.")
    upd.add_argument("uln", metavar="ULN", help="the learner's 10-digit ULN")
    upd.add_argument("version", metavar="VERSION", type=int,
                     help="the VersionNumber last read (find-by-uln shows it)")
    _add_fields(upd, {})
    upd.set_defaults(handler=update_learner)


def register_learner(args: argparse.Namespace, conn: Connection, out: Renderer) -> int:
    learner = learner_details(args, "register-learner", REGISTER_DEFAULTS)
    out.reply(conn.call("RegisterLearner", Learner=learner))
    return 0


def update_learner(args: argparse.Namespace, conn: Connection, out: Renderer) -> int:
    learner = learner_details(args, "update-learner", {}, uln=args.uln)
    learner.update(ULN=args.uln, VersionNumber=args.version)
    out.reply(conn.call("UpdateLearner", Learner=learner))
    return 0


def learner_details(args: argparse.Namespace, command: str, defaults: dict[str, str],
                    uln: str | None = None) -> dict[str, Any]:
    """The Learner element: --from-json, overridden by the options, then ``defaults``."""
    merged: dict[str, str] = {}
    if args.from_json:
        merged.update(read_json(args.from_json, command, uln))
    for field in FIELDS:
        value = getattr(args, field.element)
        if value is not None:
            merged[field.element] = value
    for element, value in defaults.items():
        merged.setdefault(element, value)

    missing = [f"{f.flag} (or {f.element} in --from-json)"
               for f in FIELDS if f.required and not merged.get(f.element)]
    if missing:
        raise UsageError(f"{command}: missing " + ", ".join(missing))
    return {f.element: merged[f.element] for f in FIELDS if merged.get(f.element)}


def read_json(source: str, command: str, uln: str | None = None) -> dict[str, str]:
    """Learner fields from a JSON file (``-``: standard input), values as strings."""
    where = "standard input" if source == "-" else source
    prefix = f"{command}: --from-json {where}"
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{prefix}: cannot read it: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{prefix}: not UTF-8 text") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{prefix}: not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise UsageError(f"{prefix}: must hold a JSON object of learner fields")

    unknown = sorted(k for k in data if k not in BY_ELEMENT and k not in LEARNER_ONLY)
    if unknown:
        raise UsageError(f"{prefix}: unknown key(s) {', '.join(unknown)} (the keys are the "
                         f"LearnerToRegister element names: {', '.join(BY_ELEMENT)})")
    if uln is not None and data.get("ULN") is not None and str(data["ULN"]) != uln:
        raise UsageError(f"{prefix}: holds the learner with ULN {data['ULN']}, not {uln}")

    fields: dict[str, str] = {}
    for key, value in data.items():
        if key in LEARNER_ONLY or value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise UsageError(f"{prefix}: {key} must be a string")
        value = str(value)
        if BY_ELEMENT[key].date and value and (error := date_error(value)):
            raise UsageError(f"{prefix}: {key}: {error}")
        fields[key] = value
    return fields
