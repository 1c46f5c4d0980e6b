"""Entries (docs/entries-results.md): one at a time or as a file, each record in its own
transaction after the whole submission passed the field rules; an entry is cancelled.

A record is a domain.sent_entry record (read once, by the face). Racing changes to one entry
are settled by a compare-and-set on the entry's version: the first wins, the other is
answered WSRC0013 and nothing of it is kept. Results: service.entry_results.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from lrs_soap.domain.achievements import eligibility
from lrs_soap.domain.batches import RecordError, refusal
from lrs_soap.domain.calendar import uk_date
from lrs_soap.domain.codes import ResponseCode
from lrs_soap.domain.entries import MAX_FILE_RECORDS, EntryStatus, ResultStatus
from lrs_soap.domain.entry_rules import entry_errors
from lrs_soap.domain.errors import InvalidRequest
from lrs_soap.domain.sent_entry import SentEntry, SentResult
from lrs_soap.service.accounts import Caller
from lrs_soap.service.achievements import holders_of
from lrs_soap.service.context import ServiceContext
from lrs_soap.service.entry_review import require_ao
from lrs_soap.service.ports import UnitOfWork

CONFLICT = RecordError(1, "entry_id", "the entry changed while this was being recorded "
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


def validate_all(records: Sequence[SentEntry] | Sequence[SentResult], rules: Callable,
                 noun: str, today) -> None:
    """Every field rule of every record first: one broken, and nothing is stored."""
    if not records:
        raise InvalidRequest(f"at least one {noun} is needed")
    if len(records) > MAX_FILE_RECORDS:
        raise InvalidRequest(f"{len(records)} records; at most {MAX_FILE_RECORDS} at once")
    errors = field_problems(records, rules, today)
    if errors:
        raise refusal(errors, numbered=len(records) > 1)


def field_problems(records: Sequence[SentEntry] | Sequence[SentResult], rules: Callable,
                   today) -> list[RecordError]:
    """Every field rule every record breaks (``rules``: entry_rules.entry_errors or
    result_errors), in record order: what a file upload lists before anything is submitted."""
    return [error for number, record in enumerate(records, 1)
            for error in rules(record, number, today)]


def submit_entries(ctx: ServiceContext, caller: Caller,
                   records: Sequence[SentEntry]) -> list[EntryOutcome]:
    require_ao(caller)
    validate_all(records, entry_errors, "Entry", uk_date(ctx.clock()))
    return [_enter(ctx, caller, number, record) for number, record in enumerate(records, 1)]


def _enter(ctx: ServiceContext, caller: Caller, number: int, entry: SentEntry) -> EntryOutcome:
    record = entry.achievement()
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
                reasons.append(RecordError(number, "qualification_reference",
                                           f"the learner is already entered for it (entry "
                                           f"{live}): cancel that entry first"))
        status = EntryStatus.REJECTED if reasons else EntryStatus.ENTERED
        holder_uln = holder.uln if holder else None
        entry_id = uow.entries.add(organisation_id=organisation.id, entry=entry,
                                   holder_uln=holder_uln, status=status, reasons=reasons,
                                   user=caller.user_name, now=now)
        uow.audit.record(at=now, organisation_id=organisation.id, user_name=caller.user_name,
                         action="entry.submit", uln=holder_uln,
                         detail={"entry_id": entry_id, "status": status.value})
        uow.commit()
    return EntryOutcome(number, entry_id, status, holder_uln, tuple(reasons))


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
                                 reasons=(RecordError(1, "entry_id", f"the entry {rule}"),))
        now = ctx.clock()
        if not claim(uow, entry, expected_version, EntryStatus.CANCELLED, now):
            return ResultOutcome(1, ResponseCode.STALE_VERSION, entry_id, reasons=(CONFLICT,))
        uow.audit.record(at=now, organisation_id=caller.organisation.id,
                         user_name=caller.user_name, action="entry.cancel",
                         uln=entry.holder_uln, detail={"entry_id": entry_id})
        uow.commit()
    return ResultOutcome(1, ResponseCode.UPDATED, entry_id)


def claim(uow: UnitOfWork, entry, expected_version: int | None, status: EntryStatus,
           now) -> bool:
    """The compare-and-set that makes racing changes to one entry one winner and losers."""
    if expected_version is not None and expected_version != entry.version:
        return False
    return uow.entries.set_status(entry.id, expected_version=entry.version, status=status,
                                  now=now)
