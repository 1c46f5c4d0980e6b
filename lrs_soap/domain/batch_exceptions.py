"""The exceptions process of learner registration batches (lrs-rules 5.1: "exceptions
(possible matches, insufficient data) are resolved by the LRB in the exceptions process").

A record of a registering (FUL) job whose search ended in possible matches (WSRC0003) or in
too many of them to list (WSRC0002: the record's data is insufficient to tell the learners
apart) stays an **open exception** of the submitting organisation after the job. The
organisation resolves each one once, in one of three ways:

- **link** it to a learner (the record is that person): the learner must be active and be
  one of the possible matches the batch listed, or (WSRC0002 lists none) one the record
  still matches exactly or possibly today (domain.matching). The learner is not changed;
- **register** a new learner with the record's details: the batch's search is the find that
  must precede a registration, whatever its age; the possible-match wait still counts from
  it, and the registration rules and the one-active-learner-per-five-demographics rule hold;
- **discard** it (nothing happens to any learner; the provider may submit it again).

An exception is visible only to its organisation: another organisation's exception ID is
answered exactly as one that does not exist.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from lrs_soap.domain import matching
from lrs_soap.domain.codes import ResponseCode
from lrs_soap.domain.model import Learner, LearnerStatus
from lrs_soap.domain.sent_learner import SentLearner

EXCEPTION_CODES = frozenset({ResponseCode.POSSIBLE_MATCH, ResponseCode.TOO_MANY_MATCHES})
MAX_REASON_LENGTH = 1000


class ExceptionStatus(StrEnum):
    OPEN = "OPEN"
    LINKED = "LINKED"
    REGISTERED = "REGISTERED"
    DISCARDED = "DISCARDED"


class Decision(StrEnum):
    LINK = "LINK"
    REGISTER = "REGISTER"
    DISCARD = "DISCARD"


class ResolveOutcome(StrEnum):
    LINKED = "LINKED"
    REGISTERED = "REGISTERED"
    DISCARDED = "DISCARDED"
    ALREADY_RESOLVED = "ALREADY_RESOLVED"  # resolved before: nothing done
    NOT_A_POSSIBLE_MATCH = "NOT_A_POSSIBLE_MATCH"  # link: that ULN is not one to choose
    CANNOT_REGISTER = "CANNOT_REGISTER"  # register: refused (Reason says why)


RESOLVED_AS = {Decision.LINK: ExceptionStatus.LINKED,
               Decision.REGISTER: ExceptionStatus.REGISTERED,
               Decision.DISCARD: ExceptionStatus.DISCARDED}


@dataclass(frozen=True)
class BatchException:
    id: int
    organisation_id: int
    job_id: int
    record_number: int
    code: str  # the record's outcome: WSRC0003 or WSRC0002
    raised_at: dt.datetime  # when the batch searched
    status: ExceptionStatus
    record: SentLearner = field(default_factory=SentLearner)  # the record as submitted
    possible_ulns: tuple[str, ...] = ()
    resolved_uln: str | None = None  # the learner linked or registered
    resolved_at: dt.datetime | None = None
    resolved_by: str | None = None
    reason: str | None = None

    @property
    def is_open(self) -> bool:
        return self.status is ExceptionStatus.OPEN


def query_of(record: SentLearner) -> matching.DemographicQuery:
    """The search the record's demographics make (as the batch made it)."""
    details = record.details()
    return matching.DemographicQuery(
        details.given_name or "", details.family_name or "", details.date_of_birth,
        details.gender or "", details.postcode or "", details.previous_family_name,
        details.school_at_age_16, details.place_of_birth, details.email_address)


def link_problem(exception: BatchException, uln: str, learner: Learner | None) -> str | None:
    """Why the exception cannot be linked to ``learner`` (holding ``uln``), or None."""
    if learner is None or learner.status is not LearnerStatus.ACTIVE:
        return f"ULN {uln} is not an active learner"
    if uln in exception.possible_ulns:
        return None
    if exception.possible_ulns:
        return (f"ULN {uln} is not one of the possible matches: "
                + ", ".join(exception.possible_ulns))
    query = query_of(exception.record)
    score = matching.possible_score(query, learner)
    if matching.is_exact(query, learner) or (score or 0) >= matching.MIN_POSSIBLE_SCORE:
        return None
    return f"the learner with ULN {uln} is not a possible match for this record"


def clean_reason(reason: str | None) -> str | None:
    text = " ".join((reason or "").split())
    return text[:MAX_REASON_LENGTH] or None
