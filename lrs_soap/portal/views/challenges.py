"""Charter "PLR - Managing Learning Event Data Challenges" and "Report a ULN Problem": an
awarding organisation's inbox (correct, withdraw, reject), the raiser's view of outcomes,
and ULN data challenges."""

from __future__ import annotations

from flask import Blueprint, abort, g, render_template

from lrs_soap.domain.challenges import EventCorrection
from lrs_soap.domain.errors import LrsError
from lrs_soap.portal.forms.plr import ULN_CHALLENGE_TYPES, ResolveForm, UlnChallengeForm
from lrs_soap.portal.session import current, requires
from lrs_soap.portal.wording import refusal
from lrs_soap.service import challenges
from lrs_soap.service.challenges import Scope
from lrs_soap.service.plr import Page

blueprint = Blueprint("challenges", __name__, url_prefix="/challenges")
SHOWN = Page(1, 100)  # the newest hundred of each list


@blueprint.route("/")
@requires("list_event_challenges")
def index():
    me = current()
    caller = me.caller
    lists = {}
    if me.may("raise_event_challenge"):
        lists["raised"] = challenges.list_event_challenges(g.ctx, caller, Scope.RAISED,
                                                           page=SHOWN)
    if me.may("resolve_event_challenge"):
        lists["owned"] = challenges.list_event_challenges(g.ctx, caller, Scope.OWNED,
                                                          page=SHOWN)
    if me.may("uln_challenge"):
        lists["uln"] = challenges.list_uln_challenges(g.ctx, caller, page=SHOWN)
    return render_template("challenges/index.html", lists=lists, width="full",
                           uln_types=ULN_CHALLENGE_TYPES)


@blueprint.route("/<int:challenge_id>/resolve", methods=["GET", "POST"])
@requires("resolve_event_challenge")
def resolve(challenge_id: int):
    caller = current().caller
    shown = challenges.event_challenge_for_owner(g.ctx, caller, challenge_id)
    if shown is None:
        abort(404)  # another organisation's challenge looks exactly like a missing one
    form, result, problem = ResolveForm(), None, None
    if form.validate_on_submit():
        try:
            result = challenges.resolve_event_challenge(
                g.ctx, caller, challenge_id, form.decision.data,
                reason=form.reason.data or None,
                correction=EventCorrection(grade=form.grade.data or None,
                                           award_date=form.award_date.data))
        except LrsError as error:
            problem = refusal(error)
        else:
            shown = result.challenge or shown
    return render_template("challenges/resolve.html", form=form, shown=shown, result=result,
                           problem=problem)


@blueprint.route("/uln", methods=["GET", "POST"])
@requires("uln_challenge")
def raise_uln():
    form, result, problem = UlnChallengeForm(), None, None
    if form.validate_on_submit():
        try:
            result = challenges.raise_uln_challenge(g.ctx, current().caller,
                                                    form.uln.data.strip(),
                                                    form.challenge_type.data, form.reason.data)
        except LrsError as error:
            problem = refusal(error)
    return render_template("challenges/uln.html", form=form, result=result, problem=problem,
                           problem_href="#uln")
