"""Data challenges (lrs-rules 8): learning event challenges (LEDC) and ULN challenges.

Learning event challenges. A learner registration body that may read a learner's record
raises one on an event the record shows (:func:`raise_event_outcome`):

- the event must be on the record shown (not withdrawn, held under the learner's ULN or a
  ULN merged into it): otherwise EVENT_NOT_FOUND, exactly as for an event that does not
  exist;
- it must belong to an awarding organisation (source AO): participation events (ILR, NPD)
  are corrected at their source, so NOT_CHALLENGEABLE;
- an organisation has at most one open challenge per event: a second raise answers
  ALREADY_OPEN with the open one. Several organisations may each have one open.

While any challenge on an event is open, the event shows UnderDataChallenge Y. Only the
awarding organisation that owns the event may resolve it (:func:`resolve_event`):

- CORRECT (accepted): at least one corrected field (Grade, AchievementAwardDate,
  AchievementProviderUkprn, LanguageForAssessment); an award date may not be in the future
  nor before the learner's date of birth; a withdrawn event cannot be corrected.
  Fields equal to the held values are simply not changed (the organisation may have fixed
  the event by batch already).
- WITHDRAW (accepted): the event is withdrawn (hidden from the record, kept).
- REJECT: a reason is required.

ULN challenges (created incorrectly, merged incorrectly, two people sharing one ULN) are
raised by a learner registration body or an awarding organisation on any valid ULN and are
resolved by an administrator (``lrs-soap learners merge|unmerge|split|delete --challenge``)
or rejected with a reason (``lrs-soap challenges reject``). An organisation has at most
one open challenge of each type per ULN.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from lrs_soap.domain.achievements import SOURCE as AO_SOURCE
from lrs_soap.domain.achievements import EventChange
from lrs_soap.domain.errors import InvalidRequest
from lrs_soap.domain.model import LearningEvent

MAX_REASON_LENGTH = 1000


class ChallengeKind(StrEnum):
    EVENT = "event"
    ULN = "uln"


class ChallengeStatus(StrEnum):
    """Stored values (data_challenges.status); the wire uses them upper-cased."""

    OPEN = "open"
    ACCEPTED = "accepted"  # event challenges: the event was corrected or withdrawn
    REJECTED = "rejected"
    RESOLVED = "resolved"  # ULN challenges: an administrator merged, unmerged, split, deleted


class UlnChallengeType(StrEnum):
    CREATED_INCORRECTLY = "CREATED_INCORRECTLY"
    MERGED_INCORRECTLY = "MERGED_INCORRECTLY"
    SHARED_ULN = "SHARED_ULN"


class EventDecision(StrEnum):
    CORRECT = "CORRECT"
    WITHDRAW = "WITHDRAW"
    REJECT = "REJECT"


class RaiseOutcome(StrEnum):
    RAISED = "RAISED"
    ALREADY_OPEN = "ALREADY_OPEN"
    EVENT_NOT_FOUND = "EVENT_NOT_FOUND"
    NOT_CHALLENGEABLE = "NOT_CHALLENGEABLE"


class ResolveOutcome(StrEnum):
    ACCEPTED = "ACCEPTED"
    REJECTED = "REJECTED"
    ALREADY_RESOLVED = "ALREADY_RESOLVED"


@dataclass(frozen=True)
class DataChallenge:
    """A stored challenge, with the raising organisation's identity for display."""

    id: int
    kind: ChallengeKind
    status: ChallengeStatus
    reason: str
    raised_by_organisation_id: int
    raised_by_user: str
    raised_at: dt.datetime
    learning_event_id: int | None = None
    uln: str | None = None  # ULN challenges: the ULN challenged
    challenge_type: str | None = None  # ULN challenges: a UlnChallengeType value
    resolution: str | None = None
    resolved_at: dt.datetime | None = None
    resolved_by_organisation_id: int | None = None
    raised_by_name: str | None = None
    raised_by_ukprn: str | None = None
    raised_by_reference: str | None = None

    @property
    def is_open(self) -> bool:
        return self.status is ChallengeStatus.OPEN


@dataclass(frozen=True)
class EventCorrection:
    """New values an awarding organisation gives when it accepts a challenge."""

    grade: str | None = None
    award_date: dt.date | None = None
    achievement_provider_ukprn: str | None = None
    language_for_assessment: str | None = None

    def given(self) -> dict[str, object]:
        """The corrected LearningEvent attributes (blank text counts as not given)."""
        values = {name: value.strip() if isinstance(value, str) else value
                  for name, value in vars(self).items()}
        return {name: value for name, value in values.items() if value not in (None, "")}


@dataclass(frozen=True)
class Resolution:
    status: ChallengeStatus
    text: str  # stored as the challenge's resolution; shown to the raiser
    change: EventChange | None = None  # what to do to the event, if anything


def clean_reason(reason: str | None, what: str = "Reason") -> str:
    """The reason trimmed; InvalidRequest (WSEC0001) when blank or too long."""
    text = " ".join((reason or "").split())
    if not text:
        raise InvalidRequest(f"{what} must not be blank")
    if len(text) > MAX_REASON_LENGTH:
        raise InvalidRequest(f"{what} is longer than {MAX_REASON_LENGTH} characters")
    return text


def raise_event_outcome(event: LearningEvent | None, record_ulns: tuple[str, ...],
                        own_open: DataChallenge | None) -> RaiseOutcome:
    """May the caller raise a challenge on ``event`` (None when no event has the ID)?
    ``record_ulns`` are the ULNs of the record the caller may read; ``own_open`` is the
    caller's organisation's open challenge on the event, if any."""
    if event is None or event.withdrawn or event.learner_uln not in record_ulns:
        return RaiseOutcome.EVENT_NOT_FOUND
    if event.source != AO_SOURCE or event.awarding_organisation_id is None:
        return RaiseOutcome.NOT_CHALLENGEABLE
    if own_open is not None:
        return RaiseOutcome.ALREADY_OPEN
    return RaiseOutcome.RAISED


NOT_CHALLENGEABLE_REASON = ("only achievements loaded by an awarding organisation can be "
                            "challenged; participation data (ILR, NPD) is corrected at its source")


def owns(event: LearningEvent | None, organisation_id: int) -> bool:
    return event is not None and event.awarding_organisation_id == organisation_id


def resolve_event(decision: EventDecision | str, event: LearningEvent, *, reason: str | None,
                  correction: EventCorrection | None, date_of_birth: dt.date | None,
                  today: dt.date) -> Resolution:
    """What resolving an open challenge on ``event`` does; InvalidRequest (WSEC0001) when the
    decision is incomplete (see the module docstring)."""
    decision = EventDecision(decision)
    note = " ".join((reason or "").split())
    if len(note) > MAX_REASON_LENGTH:
        raise InvalidRequest(f"Reason is longer than {MAX_REASON_LENGTH} characters")
    if decision is EventDecision.REJECT:
        if correction is not None and correction.given():
            raise InvalidRequest("a rejection corrects nothing: leave Correction out")
        return Resolution(ChallengeStatus.REJECTED, clean_reason(reason))
    if decision is EventDecision.WITHDRAW:
        if correction is not None and correction.given():
            raise InvalidRequest("a withdrawal corrects nothing: leave Correction out")
        change = None if event.withdrawn else EventChange(event.id, {"withdrawn": True})
        return Resolution(ChallengeStatus.ACCEPTED, _text("withdrawn", note), change)
    wanted = correction.given() if correction is not None else {}
    if not wanted:
        raise InvalidRequest("CORRECT needs a Correction with at least one field")
    if event.withdrawn:
        raise InvalidRequest("the event is withdrawn: it cannot be corrected")
    award_date = wanted.get("award_date")
    if isinstance(award_date, dt.date):
        if award_date > today:
            raise InvalidRequest("AchievementAwardDate must not be in the future")
        if date_of_birth is not None and award_date < date_of_birth:
            raise InvalidRequest("AchievementAwardDate must not be before the learner's "
                                 "date of birth")
    changed = {name: value for name, value in wanted.items()
               if getattr(event, name) != value}
    what = ", ".join(_LABELS[name] for name in sorted(changed)) or "nothing needed changing"
    return Resolution(ChallengeStatus.ACCEPTED, _text(f"corrected: {what}", note),
                      EventChange(event.id, changed) if changed else None)


_LABELS = {"grade": "Grade", "award_date": "AchievementAwardDate",
           "achievement_provider_ukprn": "AchievementProviderUkprn",
           "language_for_assessment": "LanguageForAssessment"}


def _text(what: str, note: str) -> str:
    return f"{what} ({note})" if note else what
