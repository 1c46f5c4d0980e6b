"""Entries and results (docs/entries-results.md): an awarding organisation enters a learner
for one of its qualifications, later records the result, which becomes an achievement on the
learner's record through the achievement rules (lrs_soap.domain.achievements).

Lifecycle (our design; the LRS publishes none):

    entry:  ENTERED --result recorded--> RESULTED --result withdrawn--> ENTERED
            ENTERED --cancelled--> CANCELLED;  refused on submission: REJECTED
    result: ACCEPTED --amended--> SUPERSEDED (the amendment is ACCEPTED)
            ACCEPTED --withdrawn--> WITHDRAWN;  refused: REJECTED (kept, with reasons)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from lrs_soap.domain import uln as uln_rules
from lrs_soap.domain.batches import CHECK_DIGIT_RULE, Payload, RecordError
from lrs_soap.domain.sent_achievement import Action, SentAchievement, clean_text, iso_date

MAX_FILE_RECORDS = 1_000  # entries or results in one SubmitEntries/SubmitResults (our choice)


class EntryStatus(StrEnum):
    ENTERED = "ENTERED"
    RESULTED = "RESULTED"
    CANCELLED = "CANCELLED"
    REJECTED = "REJECTED"


class ResultStatus(StrEnum):
    ACCEPTED = "ACCEPTED"
    SUPERSEDED = "SUPERSEDED"
    WITHDRAWN = "WITHDRAWN"
    REJECTED = "REJECTED"


class ResultAction(StrEnum):
    RECORD = "RECORD"  # the entry's first result (or the first since one was withdrawn)
    AMEND = "AMEND"  # replaces the accepted result


@dataclass(frozen=True)
class EntryResult:
    id: int
    entry_id: int
    action: str
    grade: str | None
    award_date: dt.date | None
    status: ResultStatus
    reasons: tuple[RecordError, ...]
    event_id: int | None
    submitted_by: str
    submitted_at: dt.datetime
    mis_identifier: str | None = None


@dataclass(frozen=True)
class Entry:
    id: int
    organisation_id: int
    uln: str  # as entered
    holder_uln: str | None  # the learner holding the achievement (master of a merged ULN)
    given_name: str
    family_name: str
    date_of_birth: dt.date
    gender: str
    qualification_reference: str
    entry_date: dt.date
    expected_award_date: dt.date
    provider_ukprn: str | None
    mis_identifier: str | None
    status: EntryStatus
    reasons: tuple[RecordError, ...]
    version: int
    submitted_by: str
    submitted_at: dt.datetime
    updated_at: dt.datetime
    results: tuple[EntryResult, ...] = ()  # every result submitted, oldest first

    @property
    def result(self) -> EntryResult | None:
        """The latest result that was not rejected (accepted, or withdrawn)."""
        return next((result for result in reversed(self.results)
                     if result.status is not ResultStatus.REJECTED), None)


_ENTRY_REQUIRED = ("ULN", "GivenName", "FamilyName", "DateOfBirth", "Gender",
                   "QualificationReference", "EntryDate", "ExpectedAwardDate")
_GENDERS = frozenset({"0", "1", "2", "9"})


def entry_errors(payload: Payload, number: int, today: dt.date) -> list[RecordError]:
    """Every field rule the entry breaks on its own."""
    value = {name: clean_text(text) for name, text in payload.items()}
    errors = [RecordError(number, name, "is required")
              for name in _ENTRY_REQUIRED if value.get(name) is None]
    validity = uln_rules.validity(value.get("ULN"))
    if validity is uln_rules.UlnValidity.MALFORMED:
        errors.append(RecordError(number, "ULN", "is not ten digits starting 1-9"))
    elif validity is uln_rules.UlnValidity.BAD_CHECK_DIGIT:
        errors.append(RecordError(number, "ULN", CHECK_DIGIT_RULE))
    if value.get("Gender") is not None and value["Gender"] not in _GENDERS:
        errors.append(RecordError(number, "Gender", "is not 0, 1, 2 or 9"))
    dates = _dates(value, number, errors, ("DateOfBirth", "EntryDate", "ExpectedAwardDate"))
    born, entered, expected = (dates.get(name) for name in
                               ("DateOfBirth", "EntryDate", "ExpectedAwardDate"))
    if born and born > today:
        errors.append(RecordError(number, "DateOfBirth", "is in the future"))
    if entered and entered > today:
        errors.append(RecordError(number, "EntryDate", "is in the future"))
    if born and entered and entered < born:
        errors.append(RecordError(number, "EntryDate", "is before the DateOfBirth"))
    if entered and expected and expected < entered:
        errors.append(RecordError(number, "ExpectedAwardDate", "is before the EntryDate"))
    return errors


def result_errors(payload: Payload, number: int, today: dt.date) -> list[RecordError]:
    """Every field rule the result breaks on its own."""
    value = {name: clean_text(text) for name, text in payload.items()}
    errors = [RecordError(number, name, "is required")
              for name in ("EntryID", "Action", "Grade", "AwardDate") if value.get(name) is None]
    if value.get("EntryID") is not None and not value["EntryID"].isdigit():
        errors.append(RecordError(number, "EntryID", "is not a number"))
    if value.get("Action") is not None and value["Action"] not in set(ResultAction):
        errors.append(RecordError(number, "Action", "is not RECORD or AMEND"))
    awarded = _dates(value, number, errors, ("AwardDate",)).get("AwardDate")
    if awarded and awarded > today:
        errors.append(RecordError(number, "AwardDate", "is in the future"))
    return errors


def _dates(value: dict, number: int, errors: list[RecordError],
           names: tuple[str, ...]) -> dict[str, dt.date | None]:
    dates = {}
    for name in names:
        dates[name] = iso_date(value.get(name))
        if value.get(name) is not None and dates[name] is None:
            errors.append(RecordError(number, name, "is not a date (YYYY-MM-DD)"))
    return dates


def learner_record(payload: Payload) -> SentAchievement:
    """The entry's learner and qualification as an achievement record, so that an entry is
    checked by the achievement rules (achievements.eligibility)."""
    value = {name: clean_text(text) for name, text in payload.items()}
    return SentAchievement(
        action=Action.CREATE, uln=value["ULN"] or "",
        given_name=value["GivenName"] or "", family_name=value["FamilyName"] or "",
        qualification_reference=(value["QualificationReference"] or "").upper(),
        date_of_birth=iso_date(value.get("DateOfBirth")), gender=value.get("Gender"))


def result_problem(entry: Entry, action: ResultAction, award_date: dt.date,
                   number: int) -> RecordError | None:
    """Why a result cannot be recorded against ``entry`` now, or None."""
    if entry.status in (EntryStatus.CANCELLED, EntryStatus.REJECTED):
        return RecordError(number, "EntryID", f"the entry is {entry.status.lower()}")
    if action is ResultAction.RECORD and entry.status is EntryStatus.RESULTED:
        return RecordError(number, "Action", "a result is recorded for this entry: AMEND it")
    if action is ResultAction.AMEND and entry.status is not EntryStatus.RESULTED:
        return RecordError(number, "Action", "the entry has no result to amend: RECORD one")
    if award_date < entry.entry_date:
        return RecordError(number, "AwardDate", "is before the entry's EntryDate")
    return None


def achievement_records(entry: Entry, action: ResultAction | None, *, grade: str | None,
                        award_date: dt.date | None, today: dt.date,
                        reason: str | None = None) -> list[SentAchievement]:
    """The achievement records a result makes (action None: the result is withdrawn):
    RECORD creates the achievement, or reinstates and updates the one a withdrawn result
    left; AMEND updates it; a withdrawal withdraws it."""
    learner = {"uln": entry.uln, "given_name": entry.given_name,
               "family_name": entry.family_name, "date_of_birth": entry.date_of_birth,
               "gender": entry.gender,
               "qualification_reference": entry.qualification_reference.upper(),
               "action_date": today, "provider_ukprn": entry.provider_ukprn,
               "mis_identifier": entry.mis_identifier}
    values = {"grade": grade, "award_date": award_date}
    if action is None:
        return [SentAchievement(Action.WITHDRAW, **learner, action_reason=reason)]
    if action is ResultAction.AMEND:
        return [SentAchievement(Action.UPDATE, **learner, **values)]
    if entry.result is not None and entry.result.status is ResultStatus.WITHDRAWN:
        return [SentAchievement(Action.REINSTATE, **learner),
                SentAchievement(Action.UPDATE, **learner, **values)]
    return [SentAchievement(Action.CREATE, **learner, **values)]
