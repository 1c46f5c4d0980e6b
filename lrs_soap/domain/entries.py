"""Entries and results (docs/entries-results.md): an awarding organisation enters a learner
for one of its qualifications, later records the result, which becomes an achievement on the
learner's record through the achievement rules (lrs_soap.domain.achievements). An entry or a
result as sent is a domain.sent_entry record; its field rules are domain.entry_rules.

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

from lrs_soap.domain.batches import RecordError
from lrs_soap.domain.sent_achievement import Action, SentAchievement

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


def result_problem(entry: Entry, action: ResultAction, award_date: dt.date,
                   number: int) -> RecordError | None:
    """Why a result cannot be recorded against ``entry`` now, or None."""
    if entry.status in (EntryStatus.CANCELLED, EntryStatus.REJECTED):
        return RecordError(number, "entry_id", f"the entry is {entry.status.lower()}")
    if action is ResultAction.RECORD and entry.status is EntryStatus.RESULTED:
        return RecordError(number, "action", "a result is recorded for this entry: AMEND it")
    if action is ResultAction.AMEND and entry.status is not EntryStatus.RESULTED:
        return RecordError(number, "action", "the entry has no result to amend: RECORD one")
    if award_date < entry.entry_date:
        return RecordError(number, "award_date", "is before the entry's EntryDate")
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
