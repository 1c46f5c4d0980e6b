"""Achievement management, single (service charter): one achievement created, updated,
withdrawn, reinstated or promoted, answered at once instead of as a job.

The record goes through exactly what a batch record goes through
(:func:`lrs_soap.service.achievements.apply_records`, with no job): the same field rules, the
same learner verification (a merged ULN's achievement held under its master), the same
register and ownership checks and the same outcome. Only how the answer travels differs:

- a record that breaks a field rule is bad input, refused whole (WSEC0136 for a ULN that
  fails its check digit, else WSEC0001 naming every field), so nothing is stored;
- otherwise the answer's ResponseCode says what happened (``RESPONSE_CODES``) next to the
  batch's per-record outcome and errors, and the event as it now stands on the PLR.

Changes to one learner's achievements are serialised by holding the learner's row
(``AchievementStore.lock_learner``): two awarding organisation users changing the same
learner at once are applied one after the other, the second seeing the first.
"""

from __future__ import annotations

from dataclasses import dataclass

from lrs_soap.domain.achievements import AchievementOutcome, ErrorKind, SubmissionType
from lrs_soap.domain.batches import RecordOutcome, refusal
from lrs_soap.domain.codes import ErrorCode, ResponseCode
from lrs_soap.domain.model import LearningEvent, Role
from lrs_soap.domain.sent_achievement import SentAchievement
from lrs_soap.domain.uln import UlnValidity, validity
from lrs_soap.service.accounts import Caller
from lrs_soap.service.achievements import apply_records, holders_of
from lrs_soap.service.context import ServiceContext
from lrs_soap.service.ports import AchievementJob, UnitOfWork

# Our choice (the LRS publishes no single-achievement operation): what each outcome answers.
RESPONSE_CODES = {
    ErrorKind.LEARNER_DATA.value: ErrorCode.NOT_VERIFIED,  # as GetLearnerRecord: not verified
    ErrorKind.BUSINESS_RULE.value: ResponseCode.CANNOT_REGISTER,  # WSRC0021 cannot record it
}
RECORD_NUMBER = 1  # the one record's number in its errors (as record 1 of a batch)


@dataclass(frozen=True)
class AchievementAnswer:
    code: str  # a ResponseCode, or WSEC0208 as GetLearnerRecord answers it
    outcome: RecordOutcome | None = None
    event: LearningEvent | None = None  # the event as it now stands (withdrawn ones too)

    @property
    def error_kind(self) -> str | None:
        return None if self.outcome is None else self.outcome.detail.get("error_kind")


def manage_achievement(ctx: ServiceContext, caller: Caller, record: SentAchievement,
                       submission_type: str | None = None) -> AchievementAnswer:
    """Apply one achievement record, as a batch record is applied."""
    if not caller.organisation.has_role(Role.AWARDING_ORGANISATION):
        return AchievementAnswer(ResponseCode.NOT_AN_AWARDING_ORGANISATION)
    job = AchievementJob(None, caller.organisation, submission_type or SubmissionType.FINAL)
    with ctx.uow_factory() as uow:
        now = ctx.clock()
        holder = _lock_holder(uow, record.uln)
        [outcome] = apply_records(uow, job, [(RECORD_NUMBER, record)], now)
        if outcome.detail.get("error_kind") == ErrorKind.FIELD_DATA.value:
            raise refusal(outcome.errors)
        if outcome.code == AchievementOutcome.REJECTED:
            return AchievementAnswer(RESPONSE_CODES[outcome.detail["error_kind"]], outcome)
        key = (holder, record.qualification_reference, caller.organisation.id)
        event = uow.achievements.events_by_keys({key}).get(key)
        uow.audit.record(at=now, organisation_id=caller.organisation.id,
                         user_name=caller.user_name, action="achievement.single",
                         uln=holder, detail={"outcome": outcome.code,
                                             "event_id": outcome.detail.get("event_id")})
        uow.commit()
    unchanged = outcome.code == AchievementOutcome.UPDATED and not outcome.detail["changed"]
    code = ResponseCode.NO_CHANGES if unchanged else ResponseCode.UPDATED
    return AchievementAnswer(code, outcome, event)


def _lock_holder(uow: UnitOfWork, uln: str | None) -> str | None:
    """Lock the learner who would hold the achievement; their ULN (None when unknown)."""
    if validity(uln) is not UlnValidity.VALID:
        return None
    holder = holders_of(uow.achievements, {uln}).get(uln)
    if holder is None:
        return None
    uow.achievements.lock_learner(holder.uln)
    return holder.uln

