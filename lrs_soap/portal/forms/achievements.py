"""Achievement management, single: the learner (step 1, verified) and the achievement."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovRadioInput,
    GovSelect,
    GovTextInput,
)
from wtforms import (
    DateField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Optional

from lrs_soap.domain.achievements import Action
from lrs_soap.portal.forms.common import DateParts, MaxLength, Required
from lrs_soap.portal.forms.learners import GENDERS, FindByUlnForm

ACTIONS = {Action.CREATE: "Create: a new achievement",
           Action.UPDATE: "Update: change the grade or award date",
           Action.WITHDRAW: "Withdraw: remove it from the learner's record",
           Action.REINSTATE: "Reinstate: put a withdrawn achievement back"}


class LearnerForm(FindByUlnForm):
    """The learner, as an achievement record names them: verified by the service."""

    date_of_birth = DateField("Date of birth", widget=DateParts(), format="%d %m %Y",
                              description="For example, 27 3 2007",
                              validators=[Required("Enter the date of birth as day, month "
                                                   "and year")])
    gender = RadioField("Gender", choices=GENDERS, widget=GovRadioInput(),
                        validators=[Required("Choose the learner's gender")])


class QualificationPicker(FlaskForm):
    """The qualification: one of the organisation's own or shared ones (choices set by the
    view from service.qualifications.usable_qualifications)."""

    search = StringField("Search the register", widget=GovTextInput(),
                         description="Part of a reference or title, to narrow the list",
                         validators=[Optional(), MaxLength(60, "Search with at most 60 "
                                                               "characters")])
    narrow = SubmitField("Show matching qualifications")
    qualification = SelectField("Qualification or unit", widget=GovSelect(),
                                validators=[Required("Choose the qualification")])


class AchievementForm(QualificationPicker):
    # the verified learner, carried from step 1 (DateOfBirth as YYYY-MM-DD)
    uln = HiddenField()
    given_name = HiddenField()
    family_name = HiddenField()
    date_of_birth = HiddenField()
    gender = HiddenField()
    action = RadioField("What do you want to do?", widget=GovRadioInput(),
                        choices=[SelectChoice(a.value, text) for a, text in ACTIONS.items()],
                        validators=[Required("Choose what to do")])
    grade = StringField("Grade (create and update)", widget=GovTextInput(),
                        validators=[Optional(), MaxLength(35, "A grade is at most 35 "
                                                              "characters")])
    award_date = DateField("Award date (create and update)", widget=DateParts(),
                           format="%d %m %Y", description="For example, 14 8 2025",
                           validators=[Optional()])
    reason = TextAreaField("Reason (withdraw)", widget=GovCharacterCount(),
                           validators=[Optional(), MaxLength(200, "A reason is at most 200 "
                                                                  "characters")])
