"""Native face: ULN Learner Plans (docs/learner-plans.md); OLASS organisations only."""

import datetime as dt

from spyne import AnyXml, Boolean, Date, DateTime, Integer, ServiceBase, Unicode, rpc

from lrs_soap.domain.plans import AimStatus, Plan, PlanContent, PlannedAim
from lrs_soap.domain.plr import RecordQuery
from lrs_soap.service import plans
from lrs_soap.soap.native import types
from lrs_soap.soap.native.batch_mapping import payloads
from lrs_soap.soap.native.plr_mapping import page_in, paging_out
from lrs_soap.soap.native.types import PAGING, NativeModel


class PlannedAimModel(NativeModel):
    __type_name__ = "PlannedAim"
    _type_info = [("Reference", Unicode), ("Title", Unicode), ("IsUnit", Boolean),
                  ("PlannedStartDate", Date), ("PlannedEndDate", Date), ("Status", Unicode),
                  ("Outcome", Unicode)]


class PlanChangeModel(NativeModel):
    __type_name__ = "PlanChange"
    _type_info = [("Version", Integer), ("DateTime", DateTime), ("Organisation", Unicode),
                  ("UKPRN", Unicode), ("UserName", Unicode),
                  ("Change", Unicode(max_occurs="unbounded"))]


class LearnerPlanModel(NativeModel):
    __type_name__ = "LearnerPlan"
    _type_info = [("PlanID", Integer), ("ULN", Unicode), ("Organisation", Unicode),
                  ("UKPRN", Unicode), ("Version", Integer), ("Goals", Unicode),
                  ("Notes", Unicode), ("Aim", PlannedAimModel.customize(max_occurs=50)),
                  ("CreatedDateTime", DateTime), ("UpdatedDateTime", DateTime),
                  ("UpdatedBy", Unicode),
                  ("SharedWithUKPRN", Unicode(max_occurs="unbounded")),
                  ("History", PlanChangeModel.customize(max_occurs="unbounded"))]


def _returns(*pairs):
    names, kinds = zip(*pairs, strict=True)
    return {"_returns": kinds, "_out_variable_names": names}


_IDENTITY = (types.Credentials, Unicode, Unicode, Unicode, Date, Unicode)


def content_in(goals, notes, aims: list[dict[str, str | None]]) -> PlanContent:
    """The plan as sent; ``aims`` are the schema-valid Aim elements as payloads (Title and
    IsUnit, if sent, are ignored: the register gives them)."""
    return PlanContent(goals or None, notes or None, tuple(
        PlannedAim(reference=(aim["Reference"] or "").strip().upper(),
                   planned_start=dt.date.fromisoformat(aim["PlannedStartDate"].strip()),
                   planned_end=dt.date.fromisoformat(aim["PlannedEndDate"].strip()),
                   status=AimStatus(aim["Status"].strip()),
                   outcome=(aim.get("Outcome") or "").strip() or None) for aim in aims))


def plan_out(plan: Plan | None, answer) -> LearnerPlanModel | None:
    if plan is None:
        return None
    named = answer.organisations

    def name(organisation_id):
        found = named.get(organisation_id)
        return (found.name, found.ukprn) if found else ("", None)

    owner, ukprn = name(plan.organisation_id)
    return LearnerPlanModel(
        PlanID=plan.id, ULN=plan.uln, Organisation=owner, UKPRN=ukprn, Version=plan.version,
        Goals=plan.content.goals, Notes=plan.content.notes,
        Aim=[PlannedAimModel(Reference=a.reference, Title=a.title, IsUnit=a.is_unit,
                             PlannedStartDate=a.planned_start, PlannedEndDate=a.planned_end,
                             Status=a.status.value, Outcome=a.outcome)
             for a in plan.content.aims],
        CreatedDateTime=plan.created_at, UpdatedDateTime=plan.updated_at,
        UpdatedBy=plan.updated_by,
        SharedWithUKPRN=[u for i in plan.shared_with if (u := name(i)[1])],
        History=[PlanChangeModel(Version=c.version, DateTime=c.at,
                                 Organisation=name(c.organisation_id)[0],
                                 UKPRN=name(c.organisation_id)[1], UserName=c.user_name,
                                 Change=list(c.changes)) for c in plan.history])


def _first(answer):
    return plan_out(answer.plans[0] if answer.plans else None, answer)


class PlanService(ServiceBase):
    @rpc(*_IDENTITY, Integer, Unicode, Unicode, AnyXml(max_occurs=50),
         **_returns(("ResponseCode", Unicode), ("Reason", Unicode), ("FoundULN", Unicode),
                    ("Plan", LearnerPlanModel)))
    def SaveLearnerPlan(ctx, Credentials, ULN, GivenName, FamilyName, DateOfBirth, Gender,
                        Version, Goals, Notes, Aim):
        answer = plans.save_plan(ctx.udc.services, ctx.udc.caller,
                                 RecordQuery(ULN, GivenName, FamilyName, DateOfBirth, Gender),
                                 content_in(Goals, Notes, payloads(ctx.in_body_doc, "Aim")),
                                 Version)
        return answer.code, answer.reason, answer.uln, _first(answer)

    @rpc(*_IDENTITY, **_returns(("ResponseCode", Unicode), ("FoundULN", Unicode),
                                ("Plan", LearnerPlanModel.customize(max_occurs="unbounded"))))
    def GetLearnerPlans(ctx, Credentials, ULN, GivenName, FamilyName, DateOfBirth, Gender):
        answer = plans.get_plans(ctx.udc.services, ctx.udc.caller,
                                 RecordQuery(ULN, GivenName, FamilyName, DateOfBirth, Gender))
        return answer.code, answer.uln, [plan_out(plan, answer) for plan in answer.plans]

    @rpc(types.Credentials, Integer, Integer, **_returns(
        ("ResponseCode", Unicode), *PAGING, ("Plan", LearnerPlanModel.customize(max_occurs=100))))
    def ListLearnerPlans(ctx, Credentials, Page, PageSize):
        page = page_in(Page, PageSize)
        answer, total = plans.list_plans(ctx.udc.services, ctx.udc.caller, page)
        return (answer.code, *paging_out(page, total),
                [plan_out(plan, answer) for plan in answer.plans])

    @rpc(types.Credentials, Integer, Unicode, **_returns(
        ("ResponseCode", Unicode), ("Reason", Unicode), ("Plan", LearnerPlanModel)))
    def ShareLearnerPlan(ctx, Credentials, PlanID, UKPRN):
        answer = plans.share_plan(ctx.udc.services, ctx.udc.caller, PlanID, UKPRN)
        return answer.code, answer.reason, _first(answer)
