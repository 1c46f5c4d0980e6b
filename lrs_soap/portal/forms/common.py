"""Validators shared by the portal's forms."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from wtforms.validators import DataRequired, Length


class Required(DataRequired):
    """DataRequired without the HTML ``required`` attribute: GOV.UK pages validate on the
    server and show an error summary, instead of the browser's own pop-up."""

    def __init__(self, message: str | None = None):
        super().__init__(message)
        self.field_flags = {}


class MaxLength(Length):
    """Length(max=...) without the HTML ``maxlength`` attribute, for the same reason: too
    long input is reported in words, not silently cut short."""

    def __init__(self, limit: int, message: str | None = None):
        super().__init__(max=limit, message=message)
        self.field_flags = {}


class DateParts(GovDateInput):
    """GOV.UK's date input (day, month, year: three inputs of one name), also when a request
    sent other than three parts: the form then says the date is not valid instead of the
    widget failing (GovDateInput unpacks exactly three)."""

    def map_gov_params(self, field, **kwargs):
        if field.raw_data is not None and len(field.raw_data) != 3:
            field.raw_data = [*field.raw_data[:3], "", "", ""][:3]
        return super().map_gov_params(field, **kwargs)
