"""domain.learner_batch: the rules of a batch record itself, and what a record without a
ULN may change on the learner it found."""

import dataclasses
import datetime as dt

from lrs_soap.domain.learner_batch import (
    CHECK_DIGIT_PROBLEM,
    newer_details,
    record_problems,
    rejection_code,
)
from lrs_soap.domain.model import LearnerDetails
from lrs_soap.record_elements import element_label

TODAY = dt.date(2026, 1, 4)
HELD = LearnerDetails("Ann", "Smith", dt.date(2001, 2, 3), "2", "LS1 4AP",
                      verification_type="1", ability_to_share="2", title="Ms",
                      address_line1="1 Old Street", address_town="Leeds",
                      date_of_address_capture=dt.date(2024, 1, 1), notes="kept")
AGED = dataclasses.replace(HELD, date_of_birth=dt.date(1900, 1, 1))


def worded(problems):
    return [problem.worded(element_label) for problem in problems]


def test_a_record_with_a_uln_has_update_learners_rules_without_the_age_window():
    assert record_problems(AGED, "1026893096", TODAY, register=True) == []
    assert worded(record_problems(AGED, None, TODAY, register=True)) == [
        "The learner must be aged 13 to 110 at registration (is 126)"]
    other = dataclasses.replace(HELD, verification_type="999")
    assert worded(record_problems(other, "1026893096", TODAY, register=True)) == [
        "OtherVerificationDescription is required when VerificationType is 999"]


def test_the_check_digit_holds_in_every_job_and_the_rest_only_where_it_acts():
    assert record_problems(HELD, "1026893097", TODAY, register=False) == [CHECK_DIGIT_PROBLEM]
    assert worded([CHECK_DIGIT_PROBLEM]) == ["ULN fails its check digit"]
    future = dataclasses.replace(HELD, date_of_birth=dt.date(2090, 1, 1))
    assert record_problems(future, "1026893096", TODAY, register=False) == []
    assert record_problems(future, None, TODAY, register=False) == []


def test_rejection_codes():
    assert rejection_code(AGED, TODAY, None) == "RC013"
    assert rejection_code(AGED, TODAY, "1026893096") == "RC011"
    assert rejection_code(HELD, TODAY, None) == "RC011"


def test_blank_fields_keep_what_is_held_and_carried_ones_replace_it():
    record = LearnerDetails("ANN", "SMITH", dt.date(2001, 2, 3), "2", "ls14ap",
                            verification_type="1", ability_to_share="2",
                            email_address="ann@example.org", notes="new note")
    newer = newer_details(HELD, record)
    assert (newer.given_name, newer.family_name, newer.postcode) == ("Ann", "Smith", "LS1 4AP")
    assert (newer.title, newer.email_address, newer.notes) == ("Ms", "ann@example.org",
                                                              "new note")
    assert (newer.address_line1, newer.address_town) == ("1 Old Street", "Leeds")


def test_the_address_moves_as_a_whole_and_only_when_captured_later():
    moved = dataclasses.replace(HELD, address_line1="2 New Street", address_town=None,
                                date_of_address_capture=dt.date(2025, 6, 1))
    newer = newer_details(HELD, moved)
    assert (newer.address_line1, newer.address_town, newer.date_of_address_capture) == (
        "2 New Street", None, dt.date(2025, 6, 1))
    older = dataclasses.replace(moved, date_of_address_capture=dt.date(2023, 6, 1))
    assert newer_details(HELD, older).address_line1 == "1 Old Street"
    undated = dataclasses.replace(moved, date_of_address_capture=None)
    assert newer_details(HELD, undated).address_line1 == "1 Old Street"


def test_ability_to_share_only_moves_to_one_and_the_description_goes_with_its_type():
    assert newer_details(HELD, dataclasses.replace(HELD, ability_to_share="1")
                         ).ability_to_share == "1"
    assert newer_details(HELD, dataclasses.replace(HELD, ability_to_share="0")
                         ).ability_to_share == "2"
    other = dataclasses.replace(HELD, verification_type="999",
                                other_verification_description="Birth certificate")
    newer = newer_details(HELD, other)
    assert (newer.verification_type, newer.other_verification_description) == (
        "999", "Birth certificate")
