"""The exceptions process of learner batches: list an organisation's exceptions and resolve
one (rules: lrs_soap.domain.batch_exceptions). The native face and ``lrs-client`` call
these, and so will the portal's exceptions page:

    list_exceptions(ctx, caller, status=ExceptionStatus.OPEN, job_id=None, page=Page())
    get_exception(ctx, caller, exception_id)            -> BatchException | None
    possible_matches(ctx, caller, exception)            -> the learners it may be
    resolve_exception(ctx, caller, exception_id, Decision.LINK, uln="...")
    resolve_exception(ctx, caller, exception_id, Decision.REGISTER)
    resolve_exception(ctx, caller, exception_id, Decision.DISCARD, reason="left the course")

Each resolution runs in one transaction and is audited; the exception is closed by a
compare-and-set, so resolving twice (even at the same moment) is ALREADY_RESOLVED.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lrs_soap.domain import find_by_uln, learner_rules, matching
from lrs_soap.domain.batch_exceptions import (
    RESOLVED_AS,
    BatchException,
    Decision,
    ExceptionStatus,
    ResolveOutcome,
    clean_reason,
    link_problem,
)
from lrs_soap.domain.calendar import uk_date
from lrs_soap.domain.codes import ResponseCode
from lrs_soap.domain.errors import InvalidRequest
from lrs_soap.domain.learner_problems import worded
from lrs_soap.domain.model import Learner
from lrs_soap.service import uln_minting
from lrs_soap.service.accounts import Caller
from lrs_soap.service.context import ServiceContext
from lrs_soap.service.plr import Page
from lrs_soap.service.ports import DuplicateLearner, UnitOfWork


@dataclass(frozen=True)
class ExceptionPage:
    code: ResponseCode  # WSRC0004 some, WSRC0001 none
    page: Page
    total: int
    exceptions: tuple[BatchException, ...] = ()


@dataclass(frozen=True)
class ResolveResult:
    code: ResponseCode  # WSRC0004 the exception is yours, WSRC0001 no such exception
    outcome: ResolveOutcome | None = None
    uln: str | None = None  # the learner linked or registered
    reason: str | None = None  # why a link or registration was refused
    exception: BatchException | None = None  # as it stands after the call


def list_exceptions(ctx: ServiceContext, caller: Caller, *,
                    status: ExceptionStatus | None = ExceptionStatus.OPEN,
                    job_id: int | None = None, page: Page | None = None) -> ExceptionPage:
    """The caller's organisation's exceptions, oldest first (``status`` None: all)."""
    page = page or Page()
    with ctx.uow_factory() as uow:
        total, found = uow.batch_exceptions.page(
            organisation_id=caller.organisation.id, status=status, job_id=job_id,
            offset=page.offset, limit=page.size)
    code = ResponseCode.EXACT_MATCH if total else ResponseCode.NO_MATCH
    return ExceptionPage(code, page, total, tuple(found))


def get_exception(ctx: ServiceContext, caller: Caller,
                  exception_id: int) -> BatchException | None:
    """The exception, or None when it does not exist or is another organisation's."""
    with ctx.uow_factory() as uow:
        return _own(uow, caller, exception_id)


def possible_matches(ctx: ServiceContext, caller: Caller,
                     exception: BatchException) -> list[Learner]:
    """The learners an exception's record may be, as the batch found them (the same details
    a FindByDemographics possible match answers with), so that a user can tell them apart."""
    with ctx.uow_factory() as uow:
        if _own(uow, caller, exception.id) is None:
            return []
        found = (uow.learners.by_uln(uln) for uln in exception.possible_ulns)
        return [learner for learner in found if learner is not None]


def _own(uow: UnitOfWork, caller: Caller, exception_id: int) -> BatchException | None:
    found = uow.batch_exceptions.get(exception_id)
    return found if found and found.organisation_id == caller.organisation.id else None


def resolve_exception(ctx: ServiceContext, caller: Caller, exception_id: int,
                      decision: Decision | str, *, uln: str | None = None,
                      reason: str | None = None) -> ResolveResult:
    decision = Decision(decision)
    if (decision is Decision.LINK) != bool(uln):
        raise InvalidRequest("LINK needs the ULN of the learner; REGISTER and DISCARD take "
                             "none")
    if uln:
        find_by_uln.check_uln(uln)
    now, note = ctx.clock(), clean_reason(reason)
    with ctx.uow_factory() as uow:
        exception = _own(uow, caller, exception_id)
        if exception is None:
            return ResolveResult(ResponseCode.NO_MATCH)
        if not exception.is_open:
            return ResolveResult(ResponseCode.EXACT_MATCH, ResolveOutcome.ALREADY_RESOLVED,
                                 exception.resolved_uln, exception=exception)
        refusal, resolved_uln = None, uln
        if decision is Decision.LINK:
            refusal = link_problem(exception, uln, uow.learners.by_uln(uln))
        # Close it first: a second resolution waits for this one and then finds it closed.
        if refusal is None and not uow.batch_exceptions.resolve(
                exception.id, status=RESOLVED_AS[decision], uln=uln, by=caller.user_name,
                reason=note, now=now):
            uow.rollback()
            return ResolveResult(ResponseCode.EXACT_MATCH, ResolveOutcome.ALREADY_RESOLVED,
                                 exception=_own(uow, caller, exception_id))
        if refusal is None and decision is Decision.REGISTER:
            refusal, resolved_uln = _register(ctx, uow, caller, exception, now)
        if refusal is not None:  # nothing is kept: the exception stays open
            outcome = (ResolveOutcome.NOT_A_POSSIBLE_MATCH if decision is Decision.LINK
                       else ResolveOutcome.CANNOT_REGISTER)
            return ResolveResult(ResponseCode.EXACT_MATCH, outcome, reason=refusal,
                                 exception=exception)
        uow.audit.record(at=now, organisation_id=caller.organisation.id,
                         user_name=caller.user_name,
                         action=f"batch.exception.{decision.value.lower()}", uln=resolved_uln,
                         detail={"exception_id": exception.id, "job_id": exception.job_id,
                                 "record": exception.record_number})
        uow.commit()
        resolved = _own(uow, caller, exception_id)
    return ResolveResult(ResponseCode.EXACT_MATCH, ResolveOutcome(RESOLVED_AS[decision].value),
                         resolved_uln, exception=resolved)


def _register(ctx: ServiceContext, uow: UnitOfWork, caller: Caller, exception: BatchException,
              now: dt.datetime) -> tuple[str | None, str | None]:
    """Register the record's learner: (refusal, None) or (None, the new ULN)."""
    details = learner_rules.normalise_details(exception.record.details())
    problems = learner_rules.registration_problems(details, uk_date(now))
    if problems:
        return worded(problems, ctx.field_label), None
    ready = exception.raised_at + ctx.registration.possible_match_wait
    if now < ready:
        return (f"the batch found possible matches at {exception.raised_at:%H:%M:%S} UTC: "
                f"check them, then register from {ready:%H:%M:%S} UTC"), None
    if uow.learners.active_uln_with_key(matching.learner_demographics_key(details)):
        return "a learner with the same five demographics exists: link to them", None
    new_uln = uln_minting.mint(ctx, uow)
    try:
        uow.learners.add(new_uln, details, registered_by=caller.organisation.id, now=now)
    except DuplicateLearner:  # registered elsewhere since we looked
        return "a learner with the same five demographics exists: link to them", None
    uow.batch_exceptions.set_uln(exception.id, new_uln)
    uow.audit.record(at=now, organisation_id=caller.organisation.id,
                     user_name=caller.user_name, action="learner.register", uln=new_uln,
                     detail={"exception_id": exception.id})
    return None, new_uln
