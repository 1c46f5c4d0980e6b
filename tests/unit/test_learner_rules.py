"""Registration / update rules beyond the XSD (lrs-rules.md 3.1-3.4 and 7)."""

import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lrs_soap.domain.learner_problems import LearnerProblem
from lrs_soap.domain.learner_rules import (
    ability_to_share_change_allowed,
    age_on,
    changed_fields,
    normalise_details,
    registration_problems,
    update_problems,
)
from lrs_soap.domain.model import LearnerDetails
from lrs_soap.record_elements import element_label

TODAY = dt.date(2026, 11, 28)
BASE = LearnerDetails("Sarah", "Jones", dt.date(2001, 4, 12), "2", "CV4 9EE")


def details(**changes):
    return dataclasses.replace(BASE, **changes)


def worded(problems):
    """The problems as every face words them (the field by its element)."""
    return [problem.worded(element_label) for problem in problems]


def test_normalise_details():
    raw = details(given_name="  Mary   Ann ", family_name=" O'Brien\t", postcode="cv49ee",
                  email_address="  Sarah.Jones@EXAMPLE.Org ", nationality=" gb ",
                  title="  ", notes="  line one\n  line two  ", school_at_age_16="King's  School",
                  verification_type=" 1 ")
    clean = normalise_details(raw)
    assert clean.given_name == "Mary Ann"
    assert clean.family_name == "O'Brien"
    assert clean.postcode == "CV4 9EE"
    assert clean.email_address == "Sarah.Jones@example.org"  # local part kept as given
    assert clean.nationality == "GB"
    assert clean.title is None  # blank optional -> None
    assert clean.notes == "line one\n  line two"
    assert clean.school_at_age_16 == "King's School"
    assert clean.verification_type == "1"
    assert clean.date_of_birth == BASE.date_of_birth


def test_normalise_is_idempotent_and_keeps_clean_details():
    assert normalise_details(BASE) == BASE
    once = normalise_details(details(given_name=" a  b ", email_address="x@Y.COM"))
    assert normalise_details(once) == once


@pytest.mark.parametrize(("changes", "problem"), [
    ({"given_name": "   "}, "GivenName must not be blank"),
    ({"family_name": ""}, "FamilyName must not be blank"),
    ({"date_of_birth": dt.date(2027, 1, 1)}, "DateOfBirth must not be in the future"),
    ({"date_of_address_capture": dt.date(2026, 11, 29)},
     "DateOfAddressCapture must not be in the future"),
    ({"date_of_address_capture": dt.date(2000, 1, 1)},
     "DateOfAddressCapture must not be before DateOfBirth"),
    ({"verification_type": "999"},
     "OtherVerificationDescription is required when VerificationType is 999"),
    ({"verification_type": "999", "other_verification_description": "  "},
     "OtherVerificationDescription is required when VerificationType is 999"),
    ({"date_of_birth": dt.date(2013, 11, 29)},
     "The learner must be aged 13 to 110 at registration (is 12)"),
    ({"date_of_birth": dt.date(1915, 11, 28)},
     "The learner must be aged 13 to 110 at registration (is 111)"),
])
def test_registration_problems(changes, problem):
    assert worded(registration_problems(details(**changes), TODAY)) == [problem]


@pytest.mark.parametrize("changes", [
    {},
    {"date_of_birth": dt.date(2013, 11, 28)},  # 13 today
    {"date_of_birth": dt.date(1915, 11, 29)},  # 110 until tomorrow
    {"date_of_address_capture": TODAY},
    {"verification_type": "999", "other_verification_description": "Birth certificate"},
    {"verification_type": "7"},
])
def test_acceptable_registrations(changes):
    assert registration_problems(details(**changes), TODAY) == []


def test_problems_accumulate():
    bad = details(given_name=" ", family_name=" ", verification_type="999",
                  date_of_birth=dt.date(2030, 1, 1))
    assert len(registration_problems(bad, TODAY)) == 4  # no age complaint on a future date


def test_updates_skip_the_age_window():
    old = details(date_of_birth=dt.date(1910, 1, 1))
    assert update_problems(old, TODAY) == []
    assert registration_problems(old, TODAY) != []
    # the rule names the field by attribute; each face words it
    assert update_problems(details(given_name=""), TODAY) == [
        LearnerProblem("given_name", "must not be blank")]
    assert worded(update_problems(details(given_name=""), TODAY)) == [
        "GivenName must not be blank"]


@pytest.mark.parametrize(("dob", "today", "age"), [
    (dt.date(2000, 6, 15), dt.date(2013, 6, 14), 12),
    (dt.date(2000, 6, 15), dt.date(2013, 6, 15), 13),
    (dt.date(2000, 2, 29), dt.date(2013, 2, 28), 12),
    (dt.date(2000, 2, 29), dt.date(2013, 3, 1), 13),
])
def test_age_on(dob, today, age):
    assert age_on(dob, today) == age


def test_changed_fields():
    new = details(family_name="Smith", postcode="m1 1ae", previous_family_name="Jones")
    assert changed_fields(BASE, new) == {
        "family_name": ("Jones", "Smith"),
        "postcode": ("CV4 9EE", "M1 1AE"),
        "previous_family_name": (None, "Jones"),
    }


def test_changed_fields_ignores_mere_formatting_but_not_case():
    assert changed_fields(BASE, details(given_name=" Sarah ", postcode="cv49ee", title="")) == {}
    assert changed_fields(BASE, details(family_name="JONES")) == {
        "family_name": ("Jones", "JONES")}


@pytest.mark.parametrize(("old", "new", "allowed"), [
    ("0", "1", True), ("2", "1", True), ("1", "1", True),  # to 1: privacy notice given
    ("0", "0", True), ("2", "2", True),  # not a change
    ("1", "2", False), ("0", "2", False),  # a new opt-out: no longer possible
    ("1", "0", False), ("2", "0", False),  # would discard what was recorded
    ("1", "3", False), ("1", "", False),
])
def test_ability_to_share_change(old, new, allowed):
    assert ability_to_share_change_allowed(old, new) is allowed


@given(st.sampled_from("012"), st.sampled_from("012"))
def test_opting_out_is_never_a_new_choice(old, new):
    allowed = ability_to_share_change_allowed(old, new)
    assert allowed == (new == old or new == "1")
    if new == "2" and old != "2":
        assert not allowed
