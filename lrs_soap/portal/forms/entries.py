"""Entries and results: one entry, a result, a withdrawal, a cancellation, the review's
filters and a file upload."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovFileInput,
    GovSelect,
    GovTextInput,
)
from wtforms import (
    DateField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Optional

from lrs_soap.domain.entries import EntryStatus, ResultStatus
from lrs_soap.portal.forms.achievements import LearnerForm, QualificationPicker
from lrs_soap.portal.forms.common import DateParts, MaxLength, Required


def _date(label: str, hint: str = "For example, 14 8 2025") -> DateField:
    return DateField(label, widget=DateParts(), format="%d %m %Y", description=hint,
                     validators=[Required(f"Enter the {label.lower()} as day, month and "
                                          "year")])


class EntryForm(LearnerForm, QualificationPicker):
    entry_date = _date("Entry date")
    expected_award_date = _date("Expected award date")
    provider_ukprn = StringField("Centre's UKPRN (optional)", widget=GovTextInput(),
                                 description="8 digits",
                                 validators=[Optional(), MaxLength(8, "A UKPRN is 8 digits")])
    mis_identifier = StringField("Candidate number (optional)", widget=GovTextInput(),
                                 validators=[Optional(), MaxLength(40, "At most 40 "
                                                                       "characters")])


class ChangeForm(FlaskForm):
    """Every change to an entry carries the Version the user saw: a change made meanwhile
    by someone else is reported, not overwritten."""

    version = HiddenField()


class ResultForm(ChangeForm):
    grade = StringField("Grade", widget=GovTextInput(),
                        validators=[Required("Enter the grade"),
                                    MaxLength(35, "A grade is at most 35 characters")])
    award_date = _date("Award date")


class WithdrawForm(ChangeForm):
    reason = TextAreaField("Why is the result withdrawn?", widget=GovCharacterCount(),
                           validators=[Required("Say why the result is withdrawn"),
                                       MaxLength(200, "A reason is at most 200 characters")])


class ReviewFilterForm(FlaskForm):
    """The review's filters: a GET form (nothing changes), so no CSRF token."""

    class Meta:
        csrf = False

    status = SelectField("Entry status", widget=GovSelect(), validators=[Optional()],
                         choices=[SelectChoice("", "Any")] + [SelectChoice(s.value, s.value.title())
                                                        for s in EntryStatus])
    result_status = SelectField("Result status", widget=GovSelect(), validators=[Optional()],
                                choices=[SelectChoice("", "Any")] + [
                                    SelectChoice(s.value, s.value.title()) for s in ResultStatus])
    qualification = StringField("Qualification reference", widget=GovTextInput(),
                                validators=[Optional(), MaxLength(30, "At most 30 characters")])
    uln = StringField("ULN", widget=GovTextInput(),
                      validators=[Optional(), MaxLength(10, "A ULN is 10 digits")])


class EntryFileForm(FlaskForm):
    entry_file = FileField("Entries or results file (CSV)", widget=GovFileInput(),
                           description="A CSV file whose header names the elements, as "
                                       "lrs-client submit-entries and submit-results send",
                           validators=[Required("Choose a file")])
