"""Results of entries (docs/entries-results.md): recorded or amended one at a time or as a
file, each in its own transaction after the whole submission passed the field rules; an
accepted result is withdrawn.

A result becomes an achievement through the achievement rules themselves: the records
domain.entries.achievement_records makes go through service.achievements.apply_records, as
a batch's and a single achievement's do. A result racing another change to its entry loses
the entry's compare-and-set (service.entries.claim): it is answered WSRC0013 and nothing of
it is kept.
"""

from __future__ import annotations

from collections.abc import Sequence

from lrs_soap.domain.achievements import AchievementOutcome
from lrs_soap.domain.batches import RecordError
from lrs_soap.domain.calendar import uk_date
from lrs_soap.domain.codes import ResponseCode
from lrs_soap.domain.entries import (
    EntryStatus,
    ResultAction,
    ResultStatus,
    achievement_records,
    result_problem,
)
from lrs_soap.domain.entry_rules import result_errors
from lrs_soap.domain.sent_achievement import SentAchievement
from lrs_soap.domain.sent_entry import SentResult
from lrs_soap.service.accounts import Caller
from lrs_soap.service.achievements import apply_records
from lrs_soap.service.context import ServiceContext
from lrs_soap.service.entries import CONFLICT, ResultOutcome, claim, validate_all
from lrs_soap.service.entry_review import require_ao
from lrs_soap.service.ports import AchievementJob, UnitOfWork
from lrs_soap.service.single_achievements import RESPONSE_CODES


def submit_results(ctx: ServiceContext, caller: Caller,
                   records: Sequence[SentResult]) -> list[ResultOutcome]:
    require_ao(caller)
    validate_all(records, result_errors, "Result", uk_date(ctx.clock()))
    return [_record_result(ctx, caller, number, record)
            for number, record in enumerate(records, 1)]


def _record_result(ctx: ServiceContext, caller: Caller, number: int,
                   record: SentResult) -> ResultOutcome:
    entry_id, action, version = record.entry_id, record.action, record.entry_version
    grade, award_date = record.grade, record.award_date
    store_rejection = None
    with ctx.uow_factory() as uow:
        now = ctx.clock()
        entry = uow.entries.get(entry_id, caller.organisation.id)
        if entry is None:
            return ResultOutcome(number, ResponseCode.NO_MATCH, entry_id)
        problem = result_problem(entry, action, award_date, number)
        if problem is not None:
            store_rejection = (ResponseCode.CANNOT_REGISTER, (problem,))
        elif not claim(uow, entry, version, EntryStatus.RESULTED, now):
            return ResultOutcome(number, ResponseCode.STALE_VERSION, entry_id,
                                 reasons=(_numbered(CONFLICT, number),))
        else:
            applied = _apply(uow, caller, entry, achievement_records(
                entry, action, grade=grade, award_date=award_date, today=uk_date(now)), now)
            if isinstance(applied, tuple):
                uow.rollback()  # nothing of the achievement or the entry's claim is kept
                store_rejection = applied
            else:
                if action is ResultAction.AMEND and entry.result is not None:
                    uow.entries.set_result_status(entry.result.id, ResultStatus.SUPERSEDED)
                result_id = uow.entries.add_result(
                    entry_id=entry_id, action=action.value, grade=grade, award_date=award_date,
                    status=ResultStatus.ACCEPTED, reasons=(), event_id=applied,
                    mis_identifier=record.mis_identifier, user=caller.user_name, now=now)
                _audit(uow, caller, "entry.result", entry, now, result_id=result_id)
                uow.commit()
                return ResultOutcome(number, ResponseCode.UPDATED, entry_id, result_id,
                                     ResultStatus.ACCEPTED, applied)
        code, reasons = store_rejection
        result_id = uow.entries.add_result(
            entry_id=entry_id, action=action.value, grade=grade, award_date=award_date,
            status=ResultStatus.REJECTED, reasons=[_numbered(r, number) for r in reasons],
            event_id=None, mis_identifier=record.mis_identifier, user=caller.user_name,
            now=now)
        uow.commit()
    return ResultOutcome(number, code, entry_id, result_id, ResultStatus.REJECTED,
                         reasons=tuple(_numbered(r, number) for r in reasons))


def withdraw_result(ctx: ServiceContext, caller: Caller, entry_id: int, reason: str,
                    expected_version: int | None = None) -> ResultOutcome:
    """The accepted result is withdrawn, and with it the achievement; the entry is ENTERED
    again (a new result may be RECORDed, which reinstates the achievement)."""
    require_ao(caller)
    with ctx.uow_factory() as uow:
        now = ctx.clock()
        entry = uow.entries.get(entry_id, caller.organisation.id)
        if entry is None:
            return ResultOutcome(1, ResponseCode.NO_MATCH, entry_id)
        if entry.status is not EntryStatus.RESULTED or entry.result is None:
            return ResultOutcome(1, ResponseCode.CANNOT_REGISTER, entry_id, reasons=(
                RecordError(1, "entry_id", "the entry has no accepted result to withdraw"),))
        if not claim(uow, entry, expected_version, EntryStatus.ENTERED, now):
            return ResultOutcome(1, ResponseCode.STALE_VERSION, entry_id, reasons=(CONFLICT,))
        applied = _apply(uow, caller, entry, achievement_records(
            entry, None, grade=None, award_date=None, today=uk_date(now), reason=reason), now)
        if isinstance(applied, tuple):
            return ResultOutcome(1, applied[0], entry_id, reasons=applied[1])
        uow.entries.set_result_status(entry.result.id, ResultStatus.WITHDRAWN)
        _audit(uow, caller, "entry.result.withdraw", entry, now, result_id=entry.result.id)
        uow.commit()
    return ResultOutcome(1, ResponseCode.UPDATED, entry_id, entry.result.id,
                         ResultStatus.WITHDRAWN, applied)


def _apply(uow: UnitOfWork, caller: Caller, entry, records: list[SentAchievement], now
           ) -> int | tuple[str, tuple[RecordError, ...]]:
    """Apply the result's achievement records: the event id, or (code, reasons) when the
    achievement rules refused one (the caller then rolls back)."""
    if entry.holder_uln:
        uow.achievements.lock_learner(entry.holder_uln)
    job = AchievementJob(None, caller.organisation, None)
    outcomes = apply_records(uow, job, list(enumerate(records, 1)), now)
    for outcome in outcomes:
        if outcome.code == AchievementOutcome.REJECTED:
            kind = outcome.detail["error_kind"]
            return RESPONSE_CODES.get(kind, ResponseCode.CANNOT_REGISTER), outcome.errors
    return int(outcomes[-1].detail["event_id"])


def _numbered(error: RecordError, number: int) -> RecordError:
    return RecordError(number, error.field, error.rule)


def _audit(uow: UnitOfWork, caller: Caller, action: str, entry, now, **detail) -> None:
    uow.audit.record(at=now, organisation_id=caller.organisation.id,
                     user_name=caller.user_name, action=action, uln=entry.holder_uln,
                     detail={"entry_id": entry.id, **detail})
