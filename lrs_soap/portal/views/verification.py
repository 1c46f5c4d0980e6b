"""Charter "ULN Learner Verification, single": VerifyLearnerDetails with the failure flags in
words."""

from __future__ import annotations

from flask import Blueprint, g, render_template

from lrs_soap.domain.errors import LrsError
from lrs_soap.domain.verification import VerifyQuery
from lrs_soap.portal.forms.verification import VerifyForm
from lrs_soap.portal.session import current, requires
from lrs_soap.portal.wording import refusal
from lrs_soap.service import verification

blueprint = Blueprint("verification", __name__, url_prefix="/verify")


@blueprint.route("/", methods=["GET", "POST"])
@requires("verify_learner")
def verify():
    form, outcome, problem = VerifyForm(), None, None
    if form.validate_on_submit():
        query = VerifyQuery(uln=form.uln.data.strip(), given_name=form.given_name.data,
                            family_name=form.family_name.data,
                            date_of_birth=form.date_of_birth.data,
                            gender=form.gender.data or None)
        try:
            outcome = verification.verify_learner_details(g.ctx, current().caller, query)
        except LrsError as error:
            problem = refusal(error)
    return render_template("verify.html", form=form, outcome=outcome, problem=problem,
                           problem_href="#uln")
