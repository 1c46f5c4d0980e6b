"""Charter "ULN Learner Plan" (docs/learner-plans.md): OLASS trainers create, keep and view
the plans of learners in custody. Each page calls service.plans, as the SOAP operations do;
a plan another organisation did not share is "not found" like a missing one."""

from __future__ import annotations

from flask import Blueprint, abort, g, redirect, render_template, request, url_for

from lrs_soap.domain.codes import ResponseCode
from lrs_soap.domain.errors import LrsError
from lrs_soap.domain.plans import AimStatus, PlanContent, PlannedAim
from lrs_soap.domain.plr import RecordQuery
from lrs_soap.portal.forms.plans import LearnerForm, NewPlanForm, PlanForm, ShareForm
from lrs_soap.portal.session import current, requires
from lrs_soap.portal.wording import outcome, refusal
from lrs_soap.service import plans
from lrs_soap.service.plr import Page

blueprint = Blueprint("plans", __name__, url_prefix="/plans")
CAPABILITY = "learner_plans"


@blueprint.route("/")
@requires(CAPABILITY)
def index():
    number = request.args.get("page", "1")
    page = Page(int(number) if number.isdigit() and int(number) < 10_000 else 1, 50)
    listed, total = plans.list_plans(g.ctx, current().caller, page)
    return render_template("plans/index.html", form=LearnerForm(formdata=None),
                           listed=listed, total=total, page=page, width="full")


@blueprint.route("/find", methods=["POST"])
@requires(CAPABILITY)
def find():
    """The learner's plans (own and shared); when none is the organisation's own, the form
    for a first plan."""
    form, answer, problem = LearnerForm(), None, None
    if form.validate_on_submit():
        query = RecordQuery(form.uln.data.strip(), form.given_name.data, form.family_name.data,
                            form.date_of_birth.data, form.gender.data or None)
        try:
            answer = plans.get_plans(g.ctx, current().caller, query)
        except LrsError as error:
            problem = refusal(error)
    if answer is None or answer.code == "WSEC0208":
        problem = problem or f"{outcome('WSEC0208')} (WSEC0208)"
        return render_template("plans/find.html", form=form, problem=problem,
                               problem_href="#uln"), 400
    mine = next((p for p in answer.plans if p.organisation_id == current().organisation.id),
                None)
    new = None if mine else NewPlanForm(formdata=None, uln=answer.uln,
                                        given_name=form.given_name.data,
                                        family_name=form.family_name.data)
    return render_template("plans/find.html", form=form, answer=answer, new=new,
                           statuses=AimStatus)


@blueprint.route("/new", methods=["POST"])
@requires(CAPABILITY)
def create():
    form = NewPlanForm()
    if "more" in request.form or not form.validate_on_submit():
        return _editing("plans/new.html", form, more="more" in request.form)
    content, problem = _content(form)
    if problem is None:
        try:
            answer = plans.save_plan(g.ctx, current().caller, RecordQuery(
                form.uln.data, form.given_name.data, form.family_name.data), content)
        except LrsError as error:
            problem = refusal(error)
        else:
            if answer.code == ResponseCode.UPDATED:
                return redirect(url_for("plans.plan", plan_id=answer.plans[0].id, saved=1))
            problem = f"{answer.reason or outcome(answer.code, 'plan')} ({answer.code})"
    return _editing("plans/new.html", form, problem=problem)


@blueprint.route("/<int:plan_id>")
@requires(CAPABILITY)
def plan(plan_id: int):
    answer = plans.get_plan(g.ctx, current().caller, plan_id)
    if not answer.plans:
        abort(404)  # another organisation's plan (not shared) looks like a missing one
    return render_template("plans/plan.html", answer=answer, plan=answer.plans[0],
                           share=ShareForm(formdata=None), saved=request.args.get("saved"),
                           statuses=AimStatus)


@blueprint.route("/<int:plan_id>/edit", methods=["GET", "POST"])
@requires(CAPABILITY)
def edit(plan_id: int):
    shown = plans.get_plan(g.ctx, current().caller, plan_id).plans
    if not shown or shown[0].organisation_id != current().organisation.id:
        abort(404)  # only the owner changes a plan; a shared one is read only
    held = shown[0]
    if request.method == "GET":
        form = PlanForm(formdata=None, data=_form_data(held))
        form.aims.append_entry()
        return _editing("plans/edit.html", form, plan=held)
    form = PlanForm()
    if "more" in request.form or not form.validate_on_submit():
        return _editing("plans/edit.html", form, plan=held, more="more" in request.form)
    content, problem = _content(form)
    if problem is None:
        try:
            answer = plans.update_plan(g.ctx, current().caller, plan_id, content,
                                       _int(form.version.data))
        except LrsError as error:
            problem = refusal(error)
        else:
            if answer.code == ResponseCode.UPDATED:
                return redirect(url_for("plans.plan", plan_id=plan_id, saved=1))
            problem = f"{answer.reason or outcome(answer.code, 'plan')} ({answer.code})"
            held = answer.plans[0] if answer.plans else held
    return _editing("plans/edit.html", form, plan=held, problem=problem)


@blueprint.route("/<int:plan_id>/share", methods=["POST"])
@requires(CAPABILITY)
def share(plan_id: int):
    form = ShareForm()
    if not form.validate_on_submit() or not form.ukprn.data:
        abort(400)
    answer = plans.share_plan(g.ctx, current().caller, plan_id, form.ukprn.data.strip())
    if answer.code == ResponseCode.NO_MATCH:
        abort(404)
    return render_template("plans/plan.html", answer=answer, plan=answer.plans[0],
                           share=form, shared=answer, statuses=AimStatus)


def _editing(template: str, form: PlanForm, *, plan=None, problem=None, more=False):
    if more:
        form.aims.append_entry()
    status = 400 if problem or form.errors else 200
    return render_template(template, form=form, plan=plan, problem=problem,
                           problem_href="#aims"), status


def _form_data(plan) -> dict:
    content = plan.content
    return {"version": str(plan.version), "goals": content.goals or "",
            "notes": content.notes or "",
            "aims": [{"reference": aim.reference, "planned_start": aim.planned_start,
                      "planned_end": aim.planned_end, "status": aim.status.value,
                      "outcome": aim.outcome or ""} for aim in content.aims]}


def _content(form: PlanForm) -> tuple[PlanContent | None, str | None]:
    """The plan as entered; rows without a reference are left out. A row with a reference
    needs both dates (the form's own completeness check; the plan's rules are the
    service's)."""
    aims = []
    for number, row in enumerate(form.aims, 1):
        reference = (row.reference.data or "").strip().upper()
        if not reference:
            continue
        if row.planned_start.data is None or row.planned_end.data is None:
            return None, f"Aim {number}: enter the planned start and end dates"
        aims.append(PlannedAim(reference, row.planned_start.data, row.planned_end.data,
                               AimStatus(row.status.data or AimStatus.PLANNED),
                               (row.outcome.data or "").strip() or None))
    return PlanContent(form.goals.data or None, form.notes.data or None, tuple(aims)), None


def _int(text: str | None) -> int:
    return int(text) if text and text.isdigit() else -1  # -1: never the held version
