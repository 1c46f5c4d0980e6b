"""Validators shared by the portal's forms."""

from __future__ import annotations

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
