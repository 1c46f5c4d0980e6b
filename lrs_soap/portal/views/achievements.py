"""Charter "Achievement Management - Single" (docs/single-achievements.md): an awarding
organisation finds the learner (verified as VerifyLearnerDetails verifies), picks the
qualification from its own and the shared ones, and creates, updates, withdraws or reinstates
one achievement; the answer shows the event as it now stands on the learner's record.

Both steps are POSTed, so that names and dates of birth never appear in URLs."""

from __future__ import annotations

from flask import Blueprint, g, render_template
from wtforms import SelectChoice

from lrs_soap.domain import sent_achievement
from lrs_soap.domain.errors import LrsError
from lrs_soap.domain.sent_achievement import SentAchievement
from lrs_soap.domain.verification import VerifyQuery
from lrs_soap.portal.forms.achievements import AchievementForm, LearnerForm
from lrs_soap.portal.session import current, requires
from lrs_soap.portal.wording import outcome, refusal
from lrs_soap.service import qualifications, single_achievements, verification

blueprint = Blueprint("achievements", __name__, url_prefix="/achievements")
# the page stands for SubmitAchievement by an awarding organisation (domain.access)
CAPABILITY = "achievement_batch"


@blueprint.route("/", methods=["GET", "POST"])
@requires(CAPABILITY)
def find_learner():
    form, problem = LearnerForm(), None
    if form.validate_on_submit():
        try:
            verified = verification.verify_learner_details(g.ctx, current().caller, VerifyQuery(
                form.uln.data.strip(), form.given_name.data, form.family_name.data,
                form.date_of_birth.data, form.gender.data))
        except LrsError as error:
            problem = refusal(error)
        else:
            if verified.learner is not None:
                step = AchievementForm(formdata=None, uln=form.uln.data.strip(),
                                       given_name=form.given_name.data,
                                       family_name=form.family_name.data,
                                       date_of_birth=form.date_of_birth.data.isoformat(),
                                       gender=form.gender.data)
                return _achievement_page(step, verified=verified)
            problem = f"{outcome(verified.code)} ({verified.code})"
    return render_template("achievements/find.html", form=form, problem=problem,
                           problem_href="#uln")


@blueprint.route("/record", methods=["POST"])
@requires(CAPABILITY)
def record():
    form = AchievementForm()
    offer_qualifications(form)
    if form.narrow.data or not form.validate_on_submit():
        return _achievement_page(form, status=200 if form.narrow.data else 400)
    try:
        answer = single_achievements.manage_achievement(g.ctx, current().caller,
                                                        _record(form))
    except LrsError as error:  # a refused record: its fields as the form's batch file names
        return _achievement_page(form, problem=refusal(error),
                                 status=400)
    return render_template("achievements/answer.html", form=form, answer=answer)


def _achievement_page(form: AchievementForm, *, verified=None, problem=None, status=200):
    offer_qualifications(form)
    return render_template("achievements/record.html", form=form, verified=verified,
                           problem=problem, problem_href="#action"), status


def offer_qualifications(form: AchievementForm) -> None:
    """Only the organisation's own and shared qualifications can be chosen (narrowed by the
    search box, which works without JavaScript)."""
    found = qualifications.usable_qualifications(g.ctx, current().caller, form.search.data)
    form.qualification.choices = [SelectChoice("", "Choose a qualification")] + [
        SelectChoice(q.reference, f"{q.reference} {q.title}{' (unit)' if q.is_unit else ''}")
        for q in found]
    form.shown = len(found)


def _record(form: AchievementForm) -> SentAchievement:
    """The form as an achievement record: it goes through the batch's own rules."""
    award = form.award_date.data
    return sent_achievement.read({
        "uln": form.uln.data, "given_name": form.given_name.data,
        "family_name": form.family_name.data, "date_of_birth": form.date_of_birth.data,
        "gender": form.gender.data, "qualification_reference": form.qualification.data,
        "action": form.action.data, "grade": form.grade.data,
        "award_date": award.isoformat() if award else None, "action_reason": form.reason.data})
