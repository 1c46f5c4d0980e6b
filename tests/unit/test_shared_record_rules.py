"""An entry and an achievement record break the ULN, gender and date rules in the same
words, whichever face sent them (the rules are written once, in domain.batches)."""

import datetime as dt

import pytest

from lrs_soap.domain.achievements import record_errors
from lrs_soap.domain.entry_rules import entry_errors
from lrs_soap.domain.sent_achievement import read
from lrs_soap.domain.sent_entry import read_entry

TODAY = dt.date(2026, 12, 5)
BOTH = {"uln": "1026893096", "given_name": "Sam", "family_name": "Lee",
        "date_of_birth": "2000-01-31", "gender": "1", "qualification_reference": "K/501/5773"}
ENTRY = {**BOTH, "entry_date": "2025-09-01", "expected_award_date": "2026-07-31"}
ACHIEVEMENT = {**BOTH, "action": "CREATE", "grade": "Pass", "award_date": "2026-07-31"}


def rules(texts: dict[str, str]) -> tuple[list, list]:
    entry = entry_errors(read_entry({**ENTRY, **texts}), 1, TODAY)
    achievement = record_errors(read({**ACHIEVEMENT, **texts}), 1, TODAY)
    return ([(e.field, e.rule) for e in entry], [(e.field, e.rule) for e in achievement])


def test_valid_records_break_no_rule():
    assert rules({}) == ([], [])


@pytest.mark.parametrize(("texts", "broken"), [
    ({"uln": "1026893097"}, ("uln", "fails its check digit")),
    ({"uln": "0123456789"}, ("uln", "is not ten digits starting 1-9")),
    ({"uln": "12345"}, ("uln", "is not ten digits starting 1-9")),
    ({"gender": "3"}, ("gender", "is not 0, 1, 2 or 9")),
    ({"date_of_birth": "31/01/2000"}, ("date_of_birth", "is not a date (YYYY-MM-DD)")),
])
def test_an_entry_and_an_achievement_break_a_shared_rule_in_the_same_words(texts, broken):
    assert rules(texts) == ([broken], [broken])
