"""Loading a fixture through the service layer: the same rules as the CLI and SOAP calls.

The caller runs this inside one transaction (control.atomic): the first bad entry raises a
FixtureError naming its line, and nothing of the fixture is kept.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

from lrs_soap.control import fixture_records
from lrs_soap.control.fixture_file import Entry, FixtureError
from lrs_soap.domain import participation as participation_rules
from lrs_soap.domain.errors import LrsError
from lrs_soap.domain.model import LearnerDetails, Role
from lrs_soap.service import accounts, chosen_ulns, learner_admin, participation, qualifications
from lrs_soap.service.context import ServiceContext

ACTOR = "fixture"
ROLES = {role.value: role for role in Role}
ORGANISATION_KEYS = frozenset({"name", "ukprn", "reference", "roles", "password",
                               "password_hash", "active", "users"})
USER_KEYS = frozenset({"name", "active"})
QUALIFICATION_KEYS = frozenset({"reference", "title", "type", "level", "owner", "shared",
                                "credits", "unit"})
DETAIL_FIELDS = tuple(f.name for f in dataclasses.fields(LearnerDetails))
LEARNER_KEYS = frozenset({"uln", "merged_into", *DETAIL_FIELDS})
EVENT_KEYS = frozenset(participation_rules.COLUMNS)
_ROWS_LINE = re.compile(r"rows line (\d+),?")


def load(ctx: ServiceContext, sections: dict[str, list[Entry]]) -> dict[str, int]:
    """Apply every section in order; returns how many entries each had."""
    for entry in sections["organisations"]:
        _checked(entry, lambda e=entry: _organisation(ctx, e))
    for entry in sections["qualifications"]:
        _checked(entry, lambda e=entry: _qualification(ctx, e))
    for entry in sections["learners"]:
        _checked(entry, lambda e=entry: _learner(ctx, e))
    # Events before merges: an event held under a duplicate ULN stays there (as exported).
    _events(ctx, sections["events"])
    for entry in sections["learners"]:
        if entry.get("merged_into") is not None:
            _checked(entry, lambda e=entry: learner_admin.merge(
                ctx, e.text("uln"), e.text("merged_into"), actor=ACTOR))
    for entry in sections["achievements"]:
        _checked(entry, lambda e=entry: fixture_records.achievement(ctx, e))
    for entry in sections["challenges"]:
        _checked(entry, lambda e=entry: fixture_records.challenge(ctx, e))
    return {name: len(entries) for name, entries in sections.items()}


def _checked(entry: Entry, apply: Callable[[], object]) -> None:
    """Run one entry's load; any refusal becomes a FixtureError on the entry's line."""
    try:
        apply()
    except FixtureError:
        raise
    except (accounts.AdminError, LrsError, ValueError) as error:
        message = getattr(error, "further_details", None) or str(error)
        raise entry.fail(_ROWS_LINE.sub("", message).lstrip()) from None


def _organisation(ctx: ServiceContext, entry: Entry) -> None:
    entry.only(ORGANISATION_KEYS)
    roles = entry.get("roles") or []
    if isinstance(roles, str):
        roles = [roles]
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise entry.fail(f"unknown role(s) {unknown}: use LRB and/or AO")
    ukprn, reference = entry.text("ukprn"), entry.text("reference")
    accounts.create_organisation(ctx, name=entry.text("name", required=True), ukprn=ukprn,
                                 reference=reference,
                                 roles=frozenset(ROLES[r] for r in roles))
    key = ukprn or reference
    if entry.get("password") is not None and entry.get("password_hash") is not None:
        raise entry.fail("give password or password_hash, not both")
    if entry.get("password") is not None:
        accounts.set_password(ctx, key, entry.text("password"))
    elif entry.get("password_hash") is not None:
        chosen_ulns.restore_password_hash(ctx, key, entry.text("password_hash"))
    for user in entry.get("users") or []:
        if isinstance(user, Entry):
            user.only(USER_KEYS)
            name, active = user.text("name", required=True), user.flag("active", True)
        else:
            name, active = str(user), True
        accounts.create_user(ctx, key, name)
        if not active:
            accounts.set_user_active(ctx, key, name, False)
    if not entry.flag("active", True):
        accounts.set_organisation_active(ctx, key, False)


def _qualification(ctx: ServiceContext, entry: Entry) -> None:
    entry.only(QUALIFICATION_KEYS)
    credits = entry.get("credits")
    qualifications.import_register(ctx, [{
        "reference": entry.text("reference"), "title": entry.text("title"),
        "type": entry.text("type"), "level": entry.text("level"),
        "owner_ukprn": entry.text("owner"), "shared": "yes" if entry.flag("shared", False)
        else "no", "credits": None if credits is None else str(credits),
        "unit": "yes" if entry.flag("unit", False) else "no"}])


def _learner(ctx: ServiceContext, entry: Entry) -> None:
    entry.only(LEARNER_KEYS)
    values: dict[str, object] = {}
    for name in DETAIL_FIELDS:
        if name in ("date_of_birth", "date_of_address_capture"):
            values[name] = entry.date(name, required=name == "date_of_birth")
        elif entry.get(name) is not None:
            values[name] = entry.text(name)
    for name in ("given_name", "family_name", "gender", "postcode"):
        if not values.get(name):
            raise entry.fail(f"{name} is required")
    chosen_ulns.add_learner(ctx, entry.text("uln", required=True), LearnerDetails(**values),
                            actor=ACTOR)


def _events(ctx: ServiceContext, entries: list[Entry]) -> None:
    """All participation events in one import: its error lines become the file's lines."""
    if not entries:
        return
    rows = []
    for entry in entries:
        entry.only(EVENT_KEYS)
        rows.append({name: entry.text(name) for name in participation_rules.COLUMNS})
    try:
        participation.import_events(ctx, rows, actor=ACTOR)
    except accounts.AdminError as error:
        def located(match: re.Match) -> str:
            entry = entries[int(match.group(1)) - 2]
            return f"{entry.where} line {entry.line}:"
        message = str(error).removeprefix("nothing imported:\n")
        raise FixtureError(_ROWS_LINE.sub(located, message)) from None
