"""Entries and results (docs/entries-results.md): one at a time or as a file, each record in
its own transaction after the whole submission passed the field rules.

A result becomes an achievement through the achievement rules themselves: the records
domain.entries.achievement_records makes go through service.achievements.apply_records, as
a batch's and a single achievement's do. Racing changes to one entry are settled by a
compare-and-set on the entry's version: the first wins, the other is answered WSRC0013 and
nothing of it is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from lrs_soap.domain.achievements import AchievementOutcome, eligibility
from lrs_soap.domain.batches import Payload, RecordError, refusal
from lrs_soap.domain.calendar import uk_date
from lrs_soap.domain.codes import ResponseCode
from lrs_soap.domain.entries import (
    MAX_FILE_RECORDS,
    EntryStatus,
    ResultAction,
    ResultStatus,
    achievement_records,
    entry_errors,
    learner_record,
    result_errors,
    result_problem,
)
from lrs_soap.domain.errors import InvalidRequest
from lrs_soap.domain.sent_achievement import SentAchievement, clean_text, iso_date
from lrs_soap.service.accounts import Caller
from lrs_soap.service.achievements import apply_records, holders_of
from lrs_soap.service.context import ServiceContext
from lrs_soap.service.entry_review import require_ao
from lrs_soap.service.ports import AchievementJob, UnitOfWork
from lrs_soap.service.single_achievements import RESPONSE_CODES

CONFLICT = RecordError(1, "EntryID", "the entry changed while this was being recorded "
                                     "(another result, withdrawal or cancellation came first): "
                                     "review it and try again")


@dataclass(frozen=True)
class EntryOutcome:
    number: int
    entry_id: int | None
    status: EntryStatus
    holder_uln: str | None
    reasons: tuple[RecordError, ...] = ()


@dataclass(frozen=True)
class ResultOutcome:
    number: int
    code: str  # WSRC0006 done, WSRC0001 no such entry, WSRC0013 conflict, WSRC0021/WSEC0208
    entry_id: int | None
    result_id: int | None = None
    status: ResultStatus | None = None
    event_id: int | None = None
    reasons: tuple[RecordError, ...] = ()


def _validate_all(payloads: Sequence[Payload], rules: Callable, noun: str, today) -> None:
    """Every field rule of every record first: one broken, and nothing is stored."""
    if not payloads:
        raise InvalidRequest(f"at least one {noun} is needed")
    if len(payloads) > MAX_FILE_RECORDS:
        raise InvalidRequest(f"{len(payloads)} records; at most {MAX_FILE_RECORDS} at once")
    errors = field_problems(payloads, rules, today)
    if errors:
        raise refusal(errors, numbered=len(payloads) > 1)


def field_problems(payloads: Sequence[Payload], rules: Callable, today) -> list[RecordError]:
    """Every field rule every record breaks (``rules``: entry_errors or result_errors), in
    record order: what a file upload lists before anything is submitted."""
    return [error for number, payload in enumerate(payloads, 1)
            for error in rules(payload, number, today)]


# ----- entries -----

def submit_entries(ctx: ServiceContext, caller: Caller,
                   payloads: Sequence[Payload]) -> list[EntryOutcome]:
    require_ao(caller)
    _validate_all(payloads, entry_errors, "Entry", uk_date(ctx.clock()))
    return [_enter(ctx, caller, number, payload)
            for number, payload in enumerate(payloads, 1)]


def _enter(ctx: ServiceContext, caller: Caller, number: int, payload: Payload) -> EntryOutcome:
    record = learner_record(payload)
    organisation = caller.organisation
    with ctx.uow_factory() as uow:
        now = ctx.clock()
        holder = holders_of(uow.achievements, {record.uln}).get(record.uln)
        if holder is not None:
            uow.achievements.lock_learner(holder.uln)
        qualification = uow.achievements.qualifications_by_references(
            {record.qualification_reference}).get(record.qualification_reference)
        refusal = eligibility(record, number, learner=holder, qualification=qualification,
                              organisation=organisation)
        reasons = list(refusal.errors) if refusal is not None else []
        if not reasons and holder is not None:
            live = uow.entries.live_entry(organisation.id, holder.uln,
                                          record.qualification_reference)
            if live is not None:
                reasons.append(RecordError(number, "QualificationReference",
                                           f"the learner is already entered for it (entry "
                                           f"{live}): cancel that entry first"))
        status = EntryStatus.REJECTED if reasons else EntryStatus.ENTERED
        values = {**_entry_values(payload), "holder_uln": holder.uln if holder else None,
                  "qualification_reference": record.qualification_reference}
        entry_id = uow.entries.add(organisation_id=organisation.id, values=values,
                                   status=status, reasons=reasons, user=caller.user_name,
                                   now=now)
        uow.audit.record(at=now, organisation_id=organisation.id, user_name=caller.user_name,
                         action="entry.submit", uln=values["holder_uln"],
                         detail={"entry_id": entry_id, "status": status.value})
        uow.commit()
    return EntryOutcome(number, entry_id, status, values["holder_uln"], tuple(reasons))


def _entry_values(payload: Payload) -> dict[str, object]:
    value = {name: clean_text(text) for name, text in payload.items()}
    return {"uln": value["ULN"], "given_name": value["GivenName"],
            "family_name": value["FamilyName"], "gender": value["Gender"],
            "date_of_birth": iso_date(value["DateOfBirth"]),
            "entry_date": iso_date(value["EntryDate"]),
            "expected_award_date": iso_date(value["ExpectedAwardDate"]),
            "provider_ukprn": value.get("ProviderUKPRN"),
            "mis_identifier": value.get("MISIdentifier")}


def cancel_entry(ctx: ServiceContext, caller: Caller, entry_id: int,
                 expected_version: int | None = None) -> ResultOutcome:
    """ENTERED -> CANCELLED. An entry with an accepted result keeps it: withdraw it first."""
    require_ao(caller)
    with ctx.uow_factory() as uow:
        entry = uow.entries.get(entry_id, caller.organisation.id)
        if entry is None:
            return ResultOutcome(1, ResponseCode.NO_MATCH, entry_id)
        if entry.status is not EntryStatus.ENTERED:
            rule = ("has a result: withdraw it first" if entry.status is EntryStatus.RESULTED
                    else f"is {entry.status.lower()} already")
            return ResultOutcome(1, ResponseCode.CANNOT_REGISTER, entry_id,
                                 reasons=(RecordError(1, "EntryID", f"the entry {rule}"),))
        now = ctx.clock()
        if not _claim(uow, entry, expected_version, EntryStatus.CANCELLED, now):
            return ResultOutcome(1, ResponseCode.STALE_VERSION, entry_id, reasons=(CONFLICT,))
        uow.audit.record(at=now, organisation_id=caller.organisation.id,
                         user_name=caller.user_name, action="entry.cancel",
                         uln=entry.holder_uln, detail={"entry_id": entry_id})
        uow.commit()
    return ResultOutcome(1, ResponseCode.UPDATED, entry_id)


def _claim(uow: UnitOfWork, entry, expected_version: int | None, status: EntryStatus,
           now) -> bool:
    """The compare-and-set that makes racing changes to one entry one winner and losers."""
    if expected_version is not None and expected_version != entry.version:
        return False
    return uow.entries.set_status(entry.id, expected_version=entry.version, status=status,
                                  now=now)


# ----- results -----

def submit_results(ctx: ServiceContext, caller: Caller,
                   payloads: Sequence[Payload]) -> list[ResultOutcome]:
    require_ao(caller)
    _validate_all(payloads, result_errors, "Result", uk_date(ctx.clock()))
    return [_record_result(ctx, caller, number, payload)
            for number, payload in enumerate(payloads, 1)]


def _record_result(ctx: ServiceContext, caller: Caller, number: int,
                   payload: Payload) -> ResultOutcome:
    value = {name: clean_text(text) for name, text in payload.items()}
    entry_id, action = int(value["EntryID"]), ResultAction(value["Action"])
    grade, award_date = value["Grade"], iso_date(value["AwardDate"])
    version = int(value["EntryVersion"]) if value.get("EntryVersion") else None
    store_rejection = None
    with ctx.uow_factory() as uow:
        now = ctx.clock()
        entry = uow.entries.get(entry_id, caller.organisation.id)
        if entry is None:
            return ResultOutcome(number, ResponseCode.NO_MATCH, entry_id)
        problem = result_problem(entry, action, award_date, number)
        if problem is not None:
            store_rejection = (ResponseCode.CANNOT_REGISTER, (problem,))
        elif not _claim(uow, entry, version, EntryStatus.RESULTED, now):
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
                    mis_identifier=value.get("MISIdentifier"), user=caller.user_name, now=now)
                _audit(uow, caller, "entry.result", entry, now, result_id=result_id)
                uow.commit()
                return ResultOutcome(number, ResponseCode.UPDATED, entry_id, result_id,
                                     ResultStatus.ACCEPTED, applied)
        code, reasons = store_rejection
        result_id = uow.entries.add_result(
            entry_id=entry_id, action=action.value, grade=grade, award_date=award_date,
            status=ResultStatus.REJECTED, reasons=[_numbered(r, number) for r in reasons],
            event_id=None, mis_identifier=value.get("MISIdentifier"), user=caller.user_name,
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
                RecordError(1, "EntryID", "the entry has no accepted result to withdraw"),))
        if not _claim(uow, entry, expected_version, EntryStatus.ENTERED, now):
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
