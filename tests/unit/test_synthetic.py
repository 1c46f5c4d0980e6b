"""The synthetic learner generator: deterministic, valid ULNs, wire-valid fields, realistic mix."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter

import pytest
from lxml import etree

from lrs_soap.domain.names import name_key, normalise_postcode, postcode_key
from lrs_soap.domain.synthetic import MERGED_RATE, NEAR_DUPLICATE_RATE, synthetic_learners
from lrs_soap.domain.uln import is_valid
from tests.conftest import NATIVE_NS, REPO

TODAY = dt.date(2026, 5, 1)
XS = "{http://www.w3.org/2001/XMLSchema}"
# LearnerToRegister element -> LearnerDetails field (lrs-wire.md 3.7)
ELEMENT_FIELDS = {
    "Title": "title", "GivenName": "given_name", "MiddleOtherName": "middle_other_name",
    "FamilyName": "family_name", "PreferredGivenName": "preferred_given_name",
    "PreviousFamilyName": "previous_family_name", "FamilyNameAtAge16": "family_name_at_16",
    "SchoolAtAge16": "school_at_age_16", "LastKnownAddressLine1": "address_line1",
    "LastKnownAddressLine2": "address_line2", "LastKnownAddressTown": "address_town",
    "LastKnownAddressCountyOrCity": "address_county_or_city", "LastKnownPostCode": "postcode",
    "DateOfAddressCapture": "date_of_address_capture", "DateOfBirth": "date_of_birth",
    "PlaceOfBirth": "place_of_birth", "Gender": "gender", "EmailAddress": "email_address",
    "Nationality": "nationality", "ScottishCandidateNumber": "scottish_candidate_number",
    "VerificationType": "verification_type",
    "OtherVerificationDescription": "other_verification_description",
    "AbilityToShare": "ability_to_share", "Notes": "notes",
}


@pytest.fixture(scope="module")
def learners():
    return list(synthetic_learners(50_000, seed=11, today=TODAY))


@pytest.fixture(scope="module")
def native_xsd():
    """The native schema, plus a global LearnerToRegister element so one can be validated."""
    document = etree.parse(str(REPO / "xsd" / "lrs-native-v1.xsd"))
    root = document.getroot()
    etree.SubElement(root, f"{XS}element", name="LearnerToRegister",
                     type="tns:LearnerToRegister")
    return root


def _learner_element(details, order: list[str]) -> etree._Element:
    element = etree.Element(f"{{{NATIVE_NS}}}LearnerToRegister")
    for name in order:
        value = getattr(details, ELEMENT_FIELDS[name])
        if value is not None:
            child = etree.SubElement(element, f"{{{NATIVE_NS}}}{name}")
            child.text = value.isoformat() if isinstance(value, dt.date) else value
    return element


def _age(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _demographics(details) -> tuple:
    return (name_key(details.given_name), name_key(details.family_name),
            details.date_of_birth, details.gender, postcode_key(details.postcode))


def test_the_same_seed_gives_the_same_learners_and_another_seed_others():
    first = list(synthetic_learners(3000, seed=5, today=TODAY))
    assert first == list(synthetic_learners(3000, seed=5, today=TODAY))
    assert first[:100] == list(synthetic_learners(100, seed=5, today=TODAY))
    other = list(synthetic_learners(3000, seed=6, today=TODAY))
    assert {learner.uln for learner in first}.isdisjoint(learner.uln for learner in other[:50])


def test_no_learners_and_a_negative_count():
    assert list(synthetic_learners(0, today=TODAY)) == []
    with pytest.raises(ValueError):
        synthetic_learners(-1, today=TODAY)


def test_every_uln_is_check_digit_valid_and_unique(learners):
    ulns = [learner.uln for learner in learners]
    assert all(is_valid(uln) for uln in ulns)
    assert len(set(ulns)) == len(ulns)


def test_a_sample_and_every_duplicate_validate_against_the_native_xsd(learners, native_xsd):
    schema = etree.XMLSchema(native_xsd)
    sequence = native_xsd.find(f"{XS}complexType[@name='LearnerToRegister']/{XS}sequence")
    order = [element.get("name") for element in sequence]
    assert set(order) == set(ELEMENT_FIELDS), "LearnerToRegister changed: update the map"
    sample = learners[::100]  # 500 learners
    merged = [learner for learner in learners if learner.master_uln][:100]
    unusual = [learner for learner in learners if not learner.details.family_name.isascii()
               or "'" in learner.details.family_name][:100]
    for learner in sample + merged + unusual:
        element = _learner_element(learner.details, order)
        assert schema.validate(element), (learner, schema.error_log.last_error)


def test_every_learner_keeps_the_field_rules(learners, native_xsd):
    postcode_patterns = [re.compile(pattern.get("value")) for pattern in native_xsd.findall(
        f"{XS}simpleType[@name='PostCode']/{XS}restriction/{XS}pattern")]
    email = re.compile(native_xsd.find(
        f"{XS}simpleType[@name='Email']/{XS}restriction/{XS}pattern").get("value"))
    for learner in learners:
        details = learner.details
        for field in ("given_name", "family_name", "middle_other_name", "previous_family_name",
                      "place_of_birth"):
            value = getattr(details, field)
            assert value is None or (value.strip() and len(value) <= 35), (field, value)
        assert details.postcode == normalise_postcode(details.postcode)
        assert any(p.fullmatch(details.postcode) for p in postcode_patterns), details.postcode
        assert details.email_address is None or email.fullmatch(details.email_address)
        assert (details.verification_type == "999") == bool(
            details.other_verification_description)


def test_the_mix_of_values_is_realistic(learners):
    count = len(learners)
    genders = Counter(learner.details.gender for learner in learners)
    assert set(genders) == {"0", "1", "2", "9"}
    assert genders["1"] + genders["2"] > 0.95 * count and genders["0"] + genders["9"] > 0.01 * count
    shares = Counter(learner.details.ability_to_share for learner in learners)
    assert shares["1"] > 0.85 * count and shares["0"] > 0.05 * count
    assert 0 < shares["2"] < 0.05 * count
    optional = Counter(field.name for learner in learners
                       for field in dataclasses.fields(learner.details)
                       if getattr(learner.details, field.name) is not None)
    assert 0.03 * count < optional["previous_family_name"] < 0.07 * count
    for field in ("middle_other_name", "email_address", "place_of_birth", "school_at_age_16"):
        assert 0.1 * count < optional[field] < 0.5 * count, field
    assert any(learner.details.postcode.startswith("BFPO ") for learner in learners)
    names = {learner.details.family_name for learner in learners}
    assert len(names) > 300
    assert any("'" in name for name in names) and any("-" in name for name in names)
    assert any(not name.isascii() for name in names)


def test_ages_are_14_to_40_on_the_day_even_on_29_february():
    for today in (TODAY, dt.date(2028, 2, 29)):
        ages = {_age(learner.details.date_of_birth, today)
                for learner in synthetic_learners(20_000, seed=3, today=today)}
        assert ages == set(range(14, 41))


def test_near_duplicates_and_merged_pairs_come_in_the_stated_proportions(learners):
    count = len(learners)
    seen: dict[str, object] = {}
    by_birth: dict[tuple, list] = {}
    merged = near = 0
    for learner in learners:
        details = learner.details
        if learner.master_uln is not None:
            master = seen[learner.master_uln]  # an earlier learner, itself not merged
            assert master.master_uln is None
            assert _differences(master.details, details) == 1
            merged += 1
        elif any(_differences(earlier.details, details) == 1
                 for earlier in by_birth.get((details.date_of_birth, details.gender), ())):
            near += 1
        seen[learner.uln] = learner
        by_birth.setdefault((details.date_of_birth, details.gender), []).append(learner)
    assert 0.6 * MERGED_RATE * count < merged < 1.4 * MERGED_RATE * count
    assert 0.7 * NEAR_DUPLICATE_RATE * count < near < 1.3 * NEAR_DUPLICATE_RATE * count


def _differences(a, b) -> int:
    """How many of given name, family name and postcode differ, when all else is the same."""
    if dataclasses.replace(a, given_name="", family_name="", postcode="") != \
            dataclasses.replace(b, given_name="", family_name="", postcode=""):
        return 99
    return sum(getattr(a, f) != getattr(b, f) for f in ("given_name", "family_name", "postcode"))


def test_no_two_active_learners_share_the_five_demographics(learners):
    active = [_demographics(learner.details) for learner in learners if not learner.master_uln]
    assert len(set(active)) == len(active)

