"""An entry and an achievement record break the ULN, gender and date rules in the same
words (the rules are written once, in domain.batches), and every record form as sent
answers what was sent the same way."""

import datetime as dt

import pytest

from lrs_soap.domain.achievements import record_errors
from lrs_soap.domain.entry_rules import entry_errors
from lrs_soap.domain.sent_achievement import read
from lrs_soap.domain.sent_entry import read_entry, read_result

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



@pytest.mark.parametrize(("record", "unreadable_date"), [
    (read_entry({"uln": "1026893096", "entry_date": "soon"}), "entry_date"),
    (read({"uln": "1026893096", "award_date": "soon"}), "award_date"),
    (read_result({"grade": "Pass", "award_date": "soon"}), "award_date"),
])
def test_every_record_form_says_what_was_sent_and_stays_slotted(record, unreadable_date):
    # a value that could not be read was still sent; an absent one was not
    assert record.sent(unreadable_date) and not record.sent("mis_identifier")
    assert not hasattr(record, "__dict__")  # a batch holds thousands of them
