"""The field rules an entry or a result must pass on its own (docs/entries-results.md), before
anything of its submission is stored. An error names the field by its attribute
(``entry_date``); each face words it in its own element names."""

from __future__ import annotations

import datetime as dt

from lrs_soap.domain.batches import NOT_A_DATE, RecordError, uln_rule
from lrs_soap.domain.learner_formats import GENDERS
from lrs_soap.domain.sent_entry import SentEntry, SentResult

_ENTRY_REQUIRED = ("uln", "given_name", "family_name", "date_of_birth", "gender",
                   "qualification_reference", "entry_date", "expected_award_date")
_ENTRY_DATES = ("date_of_birth", "entry_date", "expected_award_date")
_RESULT_REQUIRED = ("entry_id", "action", "grade", "award_date")


def entry_errors(entry: SentEntry, number: int, today: dt.date) -> list[RecordError]:
    """Every field rule the entry breaks on its own."""
    errors = [RecordError(number, name, "is required")
              for name in _ENTRY_REQUIRED if not entry.sent(name)]
    if rule := uln_rule(entry.uln):
        errors.append(RecordError(number, "uln", rule))
    if entry.gender is not None and entry.gender not in GENDERS:
        errors.append(RecordError(number, "gender", "is not 0, 1, 2 or 9"))
    errors += [RecordError(number, name, NOT_A_DATE)
               for name in _ENTRY_DATES if name in entry.unreadable]
    born, entered, expected = entry.date_of_birth, entry.entry_date, entry.expected_award_date
    if born and born > today:
        errors.append(RecordError(number, "date_of_birth", "is in the future"))
    if entered and entered > today:
        errors.append(RecordError(number, "entry_date", "is in the future"))
    if born and entered and entered < born:
        errors.append(RecordError(number, "entry_date", "is before the DateOfBirth"))
    if entered and expected and expected < entered:
        errors.append(RecordError(number, "expected_award_date", "is before the EntryDate"))
    return errors


def result_errors(result: SentResult, number: int, today: dt.date) -> list[RecordError]:
    """Every field rule the result breaks on its own."""
    errors = [RecordError(number, name, "is required")
              for name in _RESULT_REQUIRED if not result.sent(name)]
    for name, rule in (("entry_id", "is not a number"), ("action", "is not RECORD or AMEND"),
                       ("award_date", NOT_A_DATE), ("entry_version", "is not a number")):
        if name in result.unreadable:
            errors.append(RecordError(number, name, rule))
    if result.award_date and result.award_date > today:
        errors.append(RecordError(number, "award_date", "is in the future"))
    return errors
