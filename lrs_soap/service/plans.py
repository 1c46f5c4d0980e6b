"""ULN Learner Plans (docs/learner-plans.md): OLASS trainers create, keep and view the plans
of learners in custody. Who may do what is in domain.access ("learner_plans"); what a plan
holds and how a change is described is in domain.plans.

The learner is identified as for GetLearnerRecord (domain.plr.identify: names, and date of
birth and gender when given, verify exactly; a merged ULN stands for its master, which holds
the plan). A save replaces the whole plan; to change a plan the trainer sends the Version it
read, and a save over a newer version is refused (WSRC0013, with the plan as it now stands),
so two trainers saving the same plan never lose one's work silently.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from lrs_soap.domain import access, find_by_uln, plr
from lrs_soap.domain.codes import ErrorCode, ResponseCode
from lrs_soap.domain.errors import InsufficientAccess, InvalidRequest
from lrs_soap.domain.model import Organisation
from lrs_soap.domain.plans import Plan, PlanChange, PlanContent, changes, content_problems
from lrs_soap.domain.plr import RecordQuery
from lrs_soap.service.accounts import Caller
from lrs_soap.service.context import ServiceContext
from lrs_soap.service.lookups import learner_and_master
from lrs_soap.service.plr import Page
from lrs_soap.service.ports import UnitOfWork


@dataclass(frozen=True)
class PlanAnswer:
    code: str
    uln: str | None = None  # the ULN holding the plans (the master of a merged ULN)
    plans: tuple[Plan, ...] = ()
    reason: str | None = None
    organisations: dict[int, Organisation] = field(default_factory=dict)  # named in plans


def _named(uow: UnitOfWork, answer: PlanAnswer) -> PlanAnswer:
    """The answer with the organisations its plans name (owner, sharers, history)."""
    ids = {plan.organisation_id for plan in answer.plans}
    ids |= {org for plan in answer.plans for org in plan.shared_with}
    ids |= {change.organisation_id for plan in answer.plans for change in plan.history}
    found = {i: org for i in ids if (org := uow.organisations.by_id(i)) is not None}
    return dataclasses.replace(answer, organisations=found)


def _require_olass(caller: Caller) -> None:
    if not access.may_use(caller.organisation.roles, "learner_plans"):
        raise InsufficientAccess("learner plans are kept by OLASS organisations only")


def _holder(uow: UnitOfWork, query: RecordQuery):
    return plr.identify(query, *learner_and_master(uow, query.uln))


def _audit(uow: UnitOfWork, caller: Caller, action: str, uln: str | None, now,
           **detail) -> None:
    uow.audit.record(at=now, organisation_id=caller.organisation.id,
                     user_name=caller.user_name, action=action, uln=uln, detail=detail)


def save_plan(ctx: ServiceContext, caller: Caller, query: RecordQuery, content: PlanContent,
              expected_version: int | None = None) -> PlanAnswer:
    """Create the organisation's plan for the learner (no ``expected_version``) or replace
    it (the Version the trainer read)."""
    _require_olass(caller)
    find_by_uln.check_uln(query.uln)
    with ctx.uow_factory() as uow:
        now = ctx.clock()
        holder = _holder(uow, query)
        if holder is None:
            _audit(uow, caller, "plan.save", query.uln, now, outcome=ErrorCode.NOT_VERIFIED.value)
            uow.commit()
            return PlanAnswer(ErrorCode.NOT_VERIFIED.value)
        return _save(uow, caller, holder.uln, content, expected_version, now)


def update_plan(ctx: ServiceContext, caller: Caller, plan_id: int, content: PlanContent,
                expected_version: int) -> PlanAnswer:
    """Change the organisation's plan by its PlanID (the portal's edit page: the learner
    was identified when the plan was made). Another organisation's plan, shared or not,
    is as unknown as a missing one (WSRC0001)."""
    _require_olass(caller)
    with ctx.uow_factory() as uow:
        plan = uow.plans.get(plan_id)
        if plan is None or plan.organisation_id != caller.organisation.id:
            return PlanAnswer(ResponseCode.NO_MATCH.value, reason="no plan of yours has "
                                                                  "that PlanID")
        return _save(uow, caller, plan.uln, content, expected_version, ctx.clock())


def get_plan(ctx: ServiceContext, caller: Caller, plan_id: int) -> PlanAnswer:
    """One plan by its PlanID, if the organisation may see it (its own or shared with it):
    WSRC0004; otherwise WSRC0001, the same for another organisation's plan as for none."""
    _require_olass(caller)
    with ctx.uow_factory() as uow:
        plan = uow.plans.get(plan_id)
        if plan is None or not plan.visible_to(caller.organisation.id):
            return PlanAnswer(ResponseCode.NO_MATCH.value)
        _audit(uow, caller, "plan.read", plan.uln, ctx.clock(),
               outcome=ResponseCode.EXACT_MATCH.value, plan_id=plan_id)
        uow.commit()
        return _named(uow, PlanAnswer(ResponseCode.EXACT_MATCH.value, plan.uln, (plan,)))


def _save(uow: UnitOfWork, caller: Caller, uln: str, content: PlanContent,
          expected_version: int | None, now) -> PlanAnswer:
    """Create or replace the organisation's plan for the learner holding ``uln``."""
    organisation = caller.organisation
    content = _with_register_titles(uow, content)
    uow.achievements.lock_learner(uln)  # racing first saves: one plan
    existing = uow.plans.by_owner(organisation.id, uln)
    if expected_version is None and existing is not None:
        return _named(uow, PlanAnswer(
            ResponseCode.CANNOT_REGISTER.value, uln, (existing,),
            f"the learner has a plan (Version {existing.version}): send its Version to "
            "change it"))
    if expected_version is not None and existing is None:
        return PlanAnswer(ResponseCode.NO_MATCH.value, uln,
                          reason="there is no plan of yours to change: create it")
    if existing is not None and existing.version != expected_version:
        return _named(uow, _stale(uln, existing))
    said = changes(existing.content if existing else None, content)
    if not said:
        return _named(uow, PlanAnswer(ResponseCode.NO_CHANGES.value, uln,
                                      (existing,)))
    if existing is None:
        plan_id, version = uow.plans.add(organisation_id=organisation.id, uln=uln,
                                         content=content, user=caller.user_name,
                                         now=now), 1
    else:
        plan_id, version = existing.id, existing.version + 1
        if not uow.plans.replace(plan_id, expected_version=existing.version,
                                 content=content, user=caller.user_name, now=now):
            uow.rollback()
            return _named(uow, _stale(uln, uow.plans.get(plan_id)))
    uow.plans.record_change(plan_id, PlanChange(version, now, organisation.id,
                                                caller.user_name, said))
    _audit(uow, caller, "plan.save", uln, now, plan_id=plan_id, version=version)
    uow.commit()
    return _named(uow, PlanAnswer(ResponseCode.UPDATED.value, uln,
                                  (uow.plans.get(plan_id),)))


def _stale(uln: str, current: Plan | None) -> PlanAnswer:
    return PlanAnswer(ResponseCode.STALE_VERSION.value, uln, (current,) if current else (),
                      "the plan was saved by someone else since you read it (its Version "
                      "is now " + (str(current.version) if current else "?") + "): read it, "
                      "make your change again and save")


def _with_register_titles(uow: UnitOfWork, content: PlanContent) -> PlanContent:
    """The aims with their register titles; bad input refused whole, naming each field."""
    references = {aim.reference for aim in content.aims}
    register = uow.achievements.qualifications_by_references(references)
    problems = content_problems(content, set(register))
    if problems:
        raise InvalidRequest("; ".join(problems))
    return dataclasses.replace(content, aims=tuple(
        dataclasses.replace(aim, title=register[aim.reference].title,
                            is_unit=register[aim.reference].is_unit)
        for aim in content.aims))


def get_plans(ctx: ServiceContext, caller: Caller, query: RecordQuery) -> PlanAnswer:
    """The learner's plans the organisation may see: its own and those shared with it.
    WSRC0004 some, WSRC0001 none, WSEC0208 the learner does not verify."""
    _require_olass(caller)
    find_by_uln.check_uln(query.uln)
    with ctx.uow_factory() as uow:
        now = ctx.clock()
        holder = _holder(uow, query)
        found = (uow.plans.visible_for_learner(caller.organisation.id, holder.uln)
                 if holder is not None else [])
        plans = [plan for plan in found if plan.visible_to(caller.organisation.id)]
        code = (ErrorCode.NOT_VERIFIED.value if holder is None else
                (ResponseCode.EXACT_MATCH if plans else ResponseCode.NO_MATCH).value)
        _audit(uow, caller, "plan.read", holder.uln if holder else query.uln, now,
               outcome=code)
        uow.commit()
        return _named(uow, PlanAnswer(code, holder.uln if holder else None, tuple(plans)))


def list_plans(ctx: ServiceContext, caller: Caller, page: Page) -> tuple[PlanAnswer, int]:
    """The organisation's plans and those shared with it, most recently changed first, and
    how many there are."""
    _require_olass(caller)
    with ctx.uow_factory() as uow:
        found, total = uow.plans.page(caller.organisation.id, offset=page.offset,
                                      limit=page.size)
        plans = [plan for plan in found if plan.visible_to(caller.organisation.id)]
        code = ResponseCode.EXACT_MATCH if plans else ResponseCode.NO_MATCH
        return _named(uow, PlanAnswer(code.value, plans=tuple(plans))), total


def share_plan(ctx: ServiceContext, caller: Caller, plan_id: int, ukprn: str) -> PlanAnswer:
    """The documented sharing rule: the owner may let another OLASS organisation read the
    plan (a learner moving between establishments). WSRC0006 shared, WSRC0020 shared
    already, WSRC0001 not your plan, WSRC0021 the other organisation is not OLASS."""
    _require_olass(caller)
    with ctx.uow_factory() as uow:
        now = ctx.clock()
        plan = uow.plans.get(plan_id)
        if plan is None or plan.organisation_id != caller.organisation.id:
            return PlanAnswer(ResponseCode.NO_MATCH.value, reason="no plan of yours has "
                                                                  "that PlanID")
        other = uow.organisations.by_ukprn(ukprn)
        if (other is None or not other.active or other.id == caller.organisation.id
                or not access.may_use(other.roles, "learner_plans")):
            return _named(uow, PlanAnswer(
                ResponseCode.CANNOT_REGISTER.value, plan.uln, (plan,),
                "plans are shared only with another active OLASS organisation"))
        if not uow.plans.share(plan_id, other.id, user=caller.user_name, now=now):
            return _named(uow, PlanAnswer(ResponseCode.NO_CHANGES.value, plan.uln, (plan,)))
        _audit(uow, caller, "plan.share", plan.uln, now, plan_id=plan_id,
               shared_with=other.id)
        uow.commit()
        return _named(uow, PlanAnswer(ResponseCode.UPDATED.value, plan.uln,
                                      (uow.plans.get(plan_id),)))
