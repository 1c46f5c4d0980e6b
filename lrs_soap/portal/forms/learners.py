"""ULN management forms: find by ULN, find by demographics, register, edit."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovTextInput
from wtforms import DateField, HiddenField, RadioField, SelectChoice, StringField
from wtforms.validators import Optional

from lrs_soap.portal import wording
from lrs_soap.portal.forms.common import DateParts, MaxLength, Required

GENDERS = [SelectChoice(code, wording.GENDERS[code]) for code in ("1", "2", "0", "9")]


def _name(label: str, required: str | None = None, hint: str | None = None) -> StringField:
    checks = [Required(required)] if required else [Optional()]
    too_long = MaxLength(35, f"{label} must be 35 characters or fewer")
    return StringField(label, widget=GovTextInput(), description=hint,
                       validators=[*checks, too_long])


def _uln() -> StringField:
    return StringField("ULN", widget=GovTextInput(), description="10 digits",
                       validators=[Required("Enter the ULN"), MaxLength(10, "A ULN is 10 digits")])


def _date(label: str) -> DateField:
    return DateField(label, widget=DateParts(), format="%d %m %Y",
                     description="For example, 27 3 2007",
                     validators=[Required(f"Enter the {label.lower()} as day, month and year")])


class FindByUlnForm(FlaskForm):
    uln = _uln()
    given_name = _name("Given name", "Enter the learner's given name")
    family_name = _name("Family name", "Enter the learner's family name")


class DemographicsForm(FlaskForm):
    given_name = _name("Given name", "Enter the learner's given name")
    family_name = _name("Family name", "Enter the learner's family name")
    date_of_birth = _date("Date of birth")
    gender = RadioField("Gender", choices=GENDERS, widget=GovRadioInput(),
                        validators=[Required("Select the learner's gender")])
    postcode = StringField("Postcode", widget=GovTextInput(),
                           description="Their last known postcode, or ZZ99 9ZZ if not known",
                           validators=[Required("Enter the learner's postcode"),
                                       MaxLength(8, "A postcode is 8 characters or fewer")])
    previous_family_name = _name("Previous family name (optional)")
    place_of_birth = StringField("Place of birth (optional)", widget=GovTextInput(),
                                 validators=[Optional(), MaxLength(35, "At most 35 characters")])
    email_address = StringField("Email address (optional)", widget=GovTextInput(),
                                validators=[Optional(), MaxLength(254, "At most 254 characters")])


class RegisterForm(DemographicsForm):
    # "check": search first (find-before-register); "confirm": register after the user
    # looked at the possible matches and chose a new learner
    step = HiddenField(default="check")


class LearnerKeyForm(FlaskForm):
    """The learner an edit starts from: found again by ULN and names, as FindByULN does."""

    uln = HiddenField(validators=[Required()])
    given_name = HiddenField(validators=[Required()])
    family_name = HiddenField(validators=[Required()])


class EditForm(DemographicsForm):
    uln = HiddenField(validators=[Required()])
    version = HiddenField(validators=[Required()])
