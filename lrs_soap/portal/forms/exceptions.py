"""Resolving a learner batch's exception: link to a possible match, register, or discard."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovRadioInput
from wtforms import RadioField, SelectChoice, TextAreaField
from wtforms.validators import Optional

from lrs_soap.domain.batch_exceptions import Decision
from lrs_soap.portal.forms.common import MaxLength, Required

DECISIONS = {Decision.LINK: "Link the record to the learner chosen below",
             Decision.REGISTER: "Register a new learner: none of them is this learner",
             Decision.DISCARD: "Discard the record"}


class ResolveExceptionForm(FlaskForm):
    decision = RadioField("Your decision", widget=GovRadioInput(),
                          choices=[SelectChoice(d.value, text) for d, text in DECISIONS.items()],
                          validators=[Required("Choose a decision")])
    uln = RadioField("The learner it is (to link)", widget=GovRadioInput(),
                     validators=[Optional()])
    reason = TextAreaField("Reason (optional)", widget=GovCharacterCount(),
                           validators=[Optional(), MaxLength(500, "A reason is at most 500 "
                                                                  "characters")])
