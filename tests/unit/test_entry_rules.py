"""An entry or a result is read once into its domain form, and its field rules name the
field by attribute; a value that cannot be read is named, not guessed."""

import datetime as dt

from lrs_soap.domain.entries import ResultAction
from lrs_soap.domain.entry_rules import entry_errors, result_errors
from lrs_soap.domain.sent_entry import read_entry, read_result

TODAY = dt.date(2026, 12, 5)


def test_an_entry_is_read_stripped_and_typed_and_its_rules_name_attributes():
    entry = read_entry({"uln": " 1026893096 ", "given_name": "Sam", "family_name": " ",
                        "date_of_birth": "2000-01-31", "gender": "3",
                        "qualification_reference": "k/501/5773", "entry_date": "2025-13-01",
                        "expected_award_date": "2025-08-14", "ULN": "ignored"})
    assert (entry.uln, entry.family_name, entry.qualification_reference) == (
        "1026893096", None, "K/501/5773")
    assert entry.date_of_birth == dt.date(2000, 1, 31)
    assert entry.unreadable == {"entry_date": "2025-13-01"}
    assert [(e.field, e.rule) for e in entry_errors(entry, 1, TODAY)] == [
        ("family_name", "is required"), ("gender", "is not 0, 1, 2 or 9"),
        ("entry_date", "is not a date (YYYY-MM-DD)")]


def test_a_result_names_what_it_cannot_read():
    result = read_result({"entry_id": "-4", "action": "RECORD", "grade": "Pass",
                          "award_date": "2027-01-01", "entry_version": "two"})
    assert result.action is ResultAction.RECORD
    assert [(e.field, e.rule) for e in result_errors(result, 3, TODAY)] == [
        ("entry_id", "is not a number"), ("entry_version", "is not a number"),
        ("award_date", "is in the future")]
    assert read_result({"entry_id": "7", "entry_version": "-1"}).entry_version == -1
