"""The exceptions process of learner batches (service/batch_exceptions.py): records a batch
could not settle (possible matches, too many matches) are listed; the user links one to a
possible match, registers a new learner or discards it. Another organisation's exception is
"not found" like a missing one."""

from __future__ import annotations

from flask import Blueprint, abort, g, render_template, request
from wtforms import SelectChoice

from lrs_soap.domain.batch_exceptions import Decision, ExceptionStatus
from lrs_soap.domain.errors import LrsError
from lrs_soap.domain.model import Learner
from lrs_soap.portal.forms.exceptions import ResolveExceptionForm
from lrs_soap.portal.session import current, requires
from lrs_soap.portal.wording import refusal
from lrs_soap.service import batch_exceptions
from lrs_soap.service.plr import Page

blueprint = Blueprint("exceptions", __name__, url_prefix="/batches/exceptions")
CAPABILITY = "learner_batch"  # ListBatchExceptions, ResolveBatchException


@blueprint.route("/")
@requires(CAPABILITY)
def index():
    wanted = request.args.get("status", ExceptionStatus.OPEN.value)
    status = ExceptionStatus(wanted) if wanted in set(ExceptionStatus) else None
    number = request.args.get("page", "1")
    page = Page(int(number) if number.isdigit() and int(number) < 10_000 else 1, 50)
    listed = batch_exceptions.list_exceptions(g.ctx, current().caller, status=status,
                                              page=page)
    return render_template("exceptions/index.html", listed=listed, status=status,
                           statuses=ExceptionStatus, width="full")


@blueprint.route("/<int:exception_id>", methods=["GET", "POST"])
@requires(CAPABILITY)
def resolve(exception_id: int):
    caller = current().caller
    shown = batch_exceptions.get_exception(g.ctx, caller, exception_id)
    if shown is None:
        abort(404)  # another organisation's exception looks exactly like a missing one
    form, result, problem = ResolveExceptionForm(), None, None
    # Each possible match by name, birth date and postcode, not by ULN alone.
    form.uln.choices = [SelectChoice(learner.uln, match_label(learner)) for learner
                        in batch_exceptions.possible_matches(g.ctx, caller, shown)]
    if shown.is_open and form.validate_on_submit():
        decision = Decision(form.decision.data)
        if decision is Decision.LINK and not form.uln.data:
            problem = "Choose the learner to link the record to"
        else:
            try:
                result = batch_exceptions.resolve_exception(
                    g.ctx, caller, exception_id, decision,
                    uln=form.uln.data if decision is Decision.LINK else None,
                    reason=form.reason.data or None)
            except LrsError as error:
                problem = refusal(error)
            else:
                shown = result.exception or shown
                problem = result.reason
    status = 400 if problem or form.errors else 200
    return render_template("exceptions/resolve.html", form=form, shown=shown, result=result,
                           problem=problem, problem_href="#decision"), status


def match_label(learner: Learner) -> str:
    d = learner.details
    born = d.date_of_birth.strftime("%-d %B %Y") if d.date_of_birth else "date of birth not held"
    where = f", {d.postcode}" if d.postcode else ""
    return f"{learner.uln}: {d.given_name} {d.family_name}, born {born}{where}"
