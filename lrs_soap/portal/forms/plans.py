"""Learner plans: the learner (as GetLearnerRecord identifies them) and a plan's content,
its aims as repeated rows (a blank row is ignored, "Add another aim" adds one)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovSelect,
    GovTextInput,
)
from wtforms import (
    DateField,
    FieldList,
    FormField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Optional

from lrs_soap.domain.plans import MAX_AIMS, MAX_TEXT, AimStatus
from lrs_soap.portal.forms.common import DateParts, MaxLength
from lrs_soap.portal.forms.verification import VerifyForm

STATUSES = {AimStatus.PLANNED: "Planned", AimStatus.IN_LEARNING: "In learning",
            AimStatus.COMPLETED: "Completed", AimStatus.WITHDRAWN: "Withdrawn"}

LearnerForm = VerifyForm  # ULN and names; date of birth and gender when known


class AimForm(FlaskForm):
    """One planned learning aim (a sub-form: the plan's CSRF token covers it)."""

    class Meta:
        csrf = False

    reference = StringField("Qualification or unit reference", widget=GovTextInput(),
                            validators=[Optional(), MaxLength(30, "A reference is at most "
                                                                  "30 characters")])
    planned_start = DateField("Planned start", widget=DateParts(), format="%d %m %Y",
                              validators=[Optional()])
    planned_end = DateField("Planned end", widget=DateParts(), format="%d %m %Y",
                            validators=[Optional()])
    status = SelectField("Status", widget=GovSelect(), validators=[Optional()],
                         choices=[SelectChoice(s.value, text) for s, text in STATUSES.items()])
    outcome = StringField("Outcome (once ended)", widget=GovTextInput(),
                          validators=[Optional(), MaxLength(200, "An outcome is at most 200 "
                                                                 "characters")])


class PlanForm(FlaskForm):
    version = HiddenField()
    goals = TextAreaField("Goals", widget=GovCharacterCount(),
                          validators=[Optional(), MaxLength(MAX_TEXT, f"Goals are at most "
                                                                      f"{MAX_TEXT} characters")])
    notes = TextAreaField("Notes", widget=GovCharacterCount(),
                          validators=[Optional(), MaxLength(MAX_TEXT, f"Notes are at most "
                                                                      f"{MAX_TEXT} characters")])
    aims = FieldList(FormField(AimForm), min_entries=1, max_entries=MAX_AIMS + 1)


class NewPlanForm(PlanForm):
    """A first plan: the learner it was identified for, carried as hidden fields."""

    uln = HiddenField()
    given_name = HiddenField()
    family_name = HiddenField()


class ShareForm(FlaskForm):
    ukprn = StringField("UKPRN of the OLASS organisation to share with", widget=GovTextInput(),
                        description="8 digits",
                        validators=[Optional(), MaxLength(8, "A UKPRN is 8 digits")])
