"""Validators and fields shared by the portal's forms."""

from __future__ import annotations

from wtforms.validators import DataRequired, Length


class Required(DataRequired):
    """DataRequired without the HTML ``required`` attribute: GOV.UK pages validate on the
    server and show an error summary, instead of the browser's own pop-up."""

    field_flags: dict = {}


class MaxLength(Length):
    """Length(max=...) without the HTML ``maxlength`` attribute, for the same reason: too
    long input is reported in words, not silently cut short."""

    field_flags: dict = {}

    def __init__(self, limit: int, message: str | None = None):
        super().__init__(max=limit, message=message)
