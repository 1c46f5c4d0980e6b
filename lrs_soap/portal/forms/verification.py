"""Verify learner details (single)."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput
from wtforms import DateField, RadioField
from wtforms.validators import Optional

from lrs_soap.portal.forms.common import DateParts
from lrs_soap.portal.forms.learners import GENDERS, FindByUlnForm


class VerifyForm(FindByUlnForm):
    date_of_birth = DateField("Date of birth (optional)", widget=DateParts(),
                              format="%d %m %Y", description="For example, 27 3 2007",
                              validators=[Optional()])
    gender = RadioField("Gender (optional)", choices=GENDERS, widget=GovRadioInput(),
                        validators=[Optional()])

