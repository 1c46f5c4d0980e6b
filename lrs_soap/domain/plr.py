"""The Personal Learning Record: who may read a learner's record, and what it shows
(lrs-rules 7, lrs-wire 4.3; our choices are in docs/decisions.md and docs/plr.md).

Access (:func:`access`), in this order:

1. No learner holds the ULN, it was retired (deleted), or it is merged into a master that is
   missing or retired: WSEC0208 (not verified), no FoundULN. A ULN alone reveals nothing.
2. Identity: the supplied names, and the date of birth and gender when supplied, must verify
   *exactly* (domain.verification: WSVRC001 or WSVRC002, so the direct, previous-family-name
   and swapped paths count, but similar names such as "Sam"/"Samuel" do not) against the
   learner holding the ULN or, for a merged ULN, against its master. Otherwise WSEC0208.
3. Sharing: a historic opt-out (AbilityToShare 2) on the learner whose record would be shown
   or on the ULN asked for: WSEC0206, FoundULN that learner's ULN, no events.
4. WSRC0022 when the ULN asked for was merged (FoundULN the master, whose record is shown);
   WSRC0004 otherwise (FoundULN the ULN asked for).

What the record shows (:func:`shown_events`): the events held under the learner's ULN and
under every ULN currently merged into it (a merge moves nothing), withdrawn ones left out,
oldest first by their date (AchievementAwardDate, else ParticipationStartDate, else the date
loaded), then by ID. getType BRIEF keeps only :data:`BRIEF_FIELDS` of each event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from lrs_soap.domain.codes import ErrorCode, ResponseCode
from lrs_soap.domain.model import Learner, LearnerStatus, LearningEvent
from lrs_soap.domain.verification import VerifyCode, VerifyQuery, verify

OPTED_OUT = "2"  # AbilityToShare of a historic opt-out (lrs-rules 7)


class GetType(StrEnum):
    FULL = "FULL"
    BRIEF = "BRIEF"


# LearningEvent attributes a BRIEF record keeps: the members the live service always emits
# (AchievementAwardDate, AchievementProviderUkprn, Credits, Grade, ID, Level, Source,
# Subject, SubjectCode; lrs-wire 4.3).
BRIEF_FIELDS = frozenset({"award_date", "achievement_provider_ukprn", "credits", "grade", "id",
                          "level", "source", "subject", "qualification_reference"})
_EXACT = frozenset({VerifyCode.MATCH, VerifyCode.LINKED_MATCH})


# Who the caller says the learner is: the same question verification answers.
RecordQuery = VerifyQuery


@dataclass(frozen=True)
class RecordAccess:
    code: str  # WSRC0004, WSRC0022 (granted), WSEC0206 or WSEC0208 (refused)
    found_uln: str | None = None
    holder: Learner | None = None  # whose record is shown; set only when granted

    @property
    def granted(self) -> bool:
        return self.holder is not None

    @property
    def ulns(self) -> tuple[str, ...]:
        """The ULNs whose events make up the record shown (empty when refused)."""
        if self.holder is None:
            return ()
        return (self.holder.uln, *self.holder.linked_ulns)


def _verified(query: RecordQuery, held: Learner, linked: bool) -> bool:
    outcome = verify(VerifyQuery(query.uln, query.given_name, query.family_name,
                                 query.date_of_birth, query.gender), held, linked=linked)
    return outcome.code in _EXACT


def identify(query: RecordQuery, asked: Learner | None,
             master: Learner | None) -> Learner | None:
    """The learner whose record the caller may ask about (the master for a merged ULN), or
    None when steps 1 and 2 of the module docstring fail."""
    if asked is None or asked.status is LearnerStatus.RETIRED:
        return None
    holder = asked
    if asked.master_uln:
        if master is None or master.status is not LearnerStatus.ACTIVE:
            return None
        holder = master
    if _verified(query, asked, linked=False) or (
            holder is not asked and _verified(query, holder, linked=True)):
        return holder
    return None


def access(query: RecordQuery, asked: Learner | None, master: Learner | None) -> RecordAccess:
    """``asked`` holds the ULN asked for; ``master`` is its master when it was merged."""
    holder = identify(query, asked, master)
    if holder is None or asked is None:
        return RecordAccess(ErrorCode.NOT_VERIFIED.value)
    if OPTED_OUT in (holder.details.ability_to_share.strip(),
                     asked.details.ability_to_share.strip()):
        return RecordAccess(ErrorCode.NOT_SHARED.value, holder.uln)
    code = (ResponseCode.LINKED_MASTER_SUBSTITUTED if holder.uln != asked.uln
            else ResponseCode.EXACT_MATCH)
    return RecordAccess(code.value, holder.uln, holder)


def event_date(event: LearningEvent) -> dt.date:
    return event.award_date or event.participation_start_date or event.date_loaded.date()


def shown_events(events: Iterable[LearningEvent]) -> list[LearningEvent]:
    """The events a record shows, in the order it shows them."""
    return sorted((event for event in events if not event.withdrawn),
                  key=lambda event: (event_date(event), event.id))


def fields_for(get_type: GetType | str) -> frozenset[str] | None:
    """The LearningEvent attributes to send: BRIEF_FIELDS, or None for all of them."""
    return BRIEF_FIELDS if GetType(get_type) is GetType.BRIEF else None
