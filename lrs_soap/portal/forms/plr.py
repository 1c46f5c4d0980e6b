"""Personal Learning Record: the learner to read, and challenges."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovRadioInput,
    GovTextInput,
)
from wtforms import (
    DateField,
    HiddenField,
    RadioField,
    SelectChoice,
    StringField,
    TextAreaField,
)
from wtforms.validators import Optional

from lrs_soap.domain.challenges import UlnChallengeType
from lrs_soap.portal.forms.common import DateParts, MaxLength, Required
from lrs_soap.portal.forms.verification import VerifyForm

RecordForm = VerifyForm  # GetLearnerRecord identifies the learner as verification does


class ReasonForm(FlaskForm):
    reason = TextAreaField("What is wrong?", widget=GovCharacterCount(),
                           description="Say what is wrong and what it should be",
                           validators=[Required("Say what is wrong with it"),
                                       MaxLength(1000, "The reason must be 1000 characters "
                                                       "or fewer")])


class EventChallengeForm(RecordForm, ReasonForm):
    event_id = HiddenField(validators=[Required()])


class ResolveForm(FlaskForm):
    decision = RadioField("Your decision", widget=GovRadioInput(), choices=[
        SelectChoice("CORRECT", "Correct the event"),
        SelectChoice("WITHDRAW", "Withdraw the event"),
        SelectChoice("REJECT", "Reject the challenge: the event is right")],
        validators=[Required("Choose a decision")])
    grade = StringField("New grade (when correcting)", widget=GovTextInput(),
                        validators=[Optional(), MaxLength(35, "At most 35 characters")])
    award_date = DateField("New award date (when correcting)", widget=DateParts(),
                           format="%d %m %Y", validators=[Optional()])
    reason = TextAreaField("Reason (needed when rejecting)", widget=GovCharacterCount(),
                           validators=[Optional(), MaxLength(1000, "At most 1000 characters")])


ULN_CHALLENGE_TYPES = {
    UlnChallengeType.CREATED_INCORRECTLY: "The ULN was created incorrectly",
    UlnChallengeType.MERGED_INCORRECTLY: "The ULN was merged incorrectly",
    UlnChallengeType.SHARED_ULN: "Two people share the ULN",
}


class UlnChallengeForm(ReasonForm):
    uln = StringField("ULN", widget=GovTextInput(), description="10 digits",
                      validators=[Required("Enter the ULN"), MaxLength(10, "A ULN is 10 digits")])
    challenge_type = RadioField("What is the problem?", widget=GovRadioInput(),
                                choices=[SelectChoice(k.value, v)
                                         for k, v in ULN_CHALLENGE_TYPES.items()],
                                validators=[Required("Choose what the problem is")])
