"""Charter "ULN management, single": find by ULN, find by demographics, register (with the
exceptions flow), edit. Each page calls the service function the SOAP faces call.

Searches are POSTed, so that names and dates of birth never appear in URLs or access logs.
"""

from __future__ import annotations

from flask import Blueprint, g, render_template

from lrs_soap.domain.codes import ResponseCode
from lrs_soap.domain.errors import LrsError
from lrs_soap.domain.matching import DemographicQuery
from lrs_soap.domain.model import LearnerDetails
from lrs_soap.portal.forms.learners import (
    DemographicsForm,
    EditForm,
    FindByUlnForm,
    LearnerKeyForm,
    RegisterForm,
)
from lrs_soap.portal.session import current, requires
from lrs_soap.portal.wording import outcome, refusal
from lrs_soap.service import learner_subset, learners
from lrs_soap.service.learners import FindByUlnQuery

blueprint = Blueprint("learners", __name__, url_prefix="/learners")

# what the edit page changes (LearnerDetails attributes); the rest is kept as held
EDITABLE = ("given_name", "family_name", "date_of_birth", "gender", "postcode",
            "previous_family_name", "place_of_birth", "email_address")
FOUND = (ResponseCode.EXACT_MATCH, ResponseCode.LINKED_MASTER_SUBSTITUTED)


@blueprint.route("/find-by-uln", methods=["GET", "POST"])
@requires("find_learner")
def find_by_uln():
    form, outcome, problem = FindByUlnForm(), None, None
    if form.validate_on_submit():
        try:
            outcome = learners.find_learner_by_uln(g.ctx, current().caller, FindByUlnQuery(
                form.uln.data.strip(), form.given_name.data, form.family_name.data))
        except LrsError as error:
            problem = refusal(error)
    return render_template("learners/find_by_uln.html", form=form, outcome=outcome,
                           problem=problem, problem_href="#uln")


@blueprint.route("/find-by-demographics", methods=["GET", "POST"])
@requires("find_learner")
def find_by_demographics():
    form, result, problem = DemographicsForm(), None, None
    if form.validate_on_submit():
        try:
            result = learners.find_learner_by_demographics(g.ctx, current().caller,
                                                           _query(form))
        except LrsError as error:
            problem = refusal(error)
    return render_template("learners/find_by_demographics.html", form=form, result=result,
                           problem=problem)


@blueprint.route("/register", methods=["GET", "POST"])
@requires("register_learner")
def register():
    """Find before register: the search runs first; possible matches are shown, and the
    user picks one or confirms a new learner (registered once the service allows it)."""
    form = RegisterForm()
    if not form.validate_on_submit():
        return render_template("learners/register.html", form=form)
    caller, found = current().caller, None
    try:
        if form.step.data != "confirm":
            found = learners.find_learner_by_demographics(g.ctx, caller, _query(form))
        if found is None or found.code is ResponseCode.NO_MATCH:
            registered = learners.register_learner(g.ctx, caller, _details(form))
            if registered.code is ResponseCode.REGISTERED:
                return render_template("learners/registered.html", result=registered,
                                       form=form)
            # e.g. the possible-match wait has not passed: searching again would restart it,
            # so the choice is offered again without the list
            return render_template("learners/register_matches.html", form=form, found=None,
                                   problem=registered.reason, problem_href="#confirm")
    except LrsError as error:
        return render_template("learners/register.html", form=form, problem=refusal(error))
    return render_template("learners/register_matches.html", form=form, found=found)


@blueprint.route("/edit", methods=["POST"])
@requires("update_learner")
def edit():
    """Open a learner for editing: found again by ULN and names, as FindByULN does."""
    key = LearnerKeyForm()
    if not key.validate_on_submit():
        return render_template("errors/not_found.html"), 404
    try:
        outcome = learners.find_learner_by_uln(g.ctx, current().caller, FindByUlnQuery(
            key.uln.data, key.given_name.data, key.family_name.data))
    except LrsError:
        outcome = None
    if outcome is None or outcome.code not in FOUND:
        return render_template("errors/not_found.html"), 404
    learner = outcome.learner
    form = EditForm(formdata=None, uln=learner.uln, version=str(learner.version_number),
                    **{name: getattr(learner.details, name) for name in EDITABLE})
    return render_template("learners/edit.html", form=form, learner=learner,
                           merged=outcome.master_substituted)


@blueprint.route("/edit/save", methods=["POST"])
@requires("update_learner")
def save():
    form, problem = EditForm(), None
    if form.validate_on_submit():
        try:
            result = learner_subset.update_learner_fields(
                g.ctx, current().caller, form.uln.data, _version(form.version.data),
                {name: _blank_is_none(getattr(form, name).data) for name in EDITABLE})
        except LrsError as error:
            problem = refusal(error)
        else:
            if result.code is ResponseCode.UPDATED:
                return render_template("learners/updated.html", form=form, result=result)
            problem = f"{outcome(result.code)} ({result.code.value})"
    return render_template("learners/edit.html", form=form, learner=None, problem=problem,
                           stale=problem is not None and "WSRC0013" in problem), 400


def _demographics(form: DemographicsForm) -> dict[str, object]:
    """The five demographics and the optional matching fields, as entered."""
    return {"given_name": form.given_name.data, "family_name": form.family_name.data,
            "date_of_birth": form.date_of_birth.data, "gender": form.gender.data,
            "postcode": form.postcode.data,
            **{name: _blank_is_none(getattr(form, name).data)
               for name in ("previous_family_name", "place_of_birth", "email_address")}}


def _query(form: DemographicsForm) -> DemographicQuery:
    return DemographicQuery(**_demographics(form))


def _details(form: RegisterForm) -> LearnerDetails:
    return LearnerDetails(**_demographics(form))


def _blank_is_none(value):
    return None if isinstance(value, str) and not value.strip() else value


def _version(text: str) -> int:
    return int(text) if text and text.isdigit() else -1  # -1: never the held version
