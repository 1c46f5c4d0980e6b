"""FindByDemographics classification (lrs-rules.md 2.2-2.4), table-driven where it can be."""

import dataclasses
import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lrs_soap.domain.codes import ResponseCode
from lrs_soap.domain.matching import (
    MAX_POSSIBLE_MATCHES,
    MIN_POSSIBLE_SCORE,
    DemographicQuery,
    candidate_birth_dates,
    classify,
    demographics_key,
    is_exact,
    master_answer,
    possible_score,
)
from lrs_soap.domain.model import Learner, LearnerDetails, LearnerStatus

DOB = dt.date(2001, 4, 12)
SWAPPED = dt.date(2001, 12, 4)
AT = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
_ulns = itertools.count(1000000001)
QUERY = DemographicQuery("Sarah", "Jones", DOB, "2", "CV4 9EE")


def learner(given="Sarah", family="Jones", dob=DOB, gender="2", postcode="CV4 9EE",
            status=LearnerStatus.ACTIVE, master_uln=None, uln=None, **optional):
    details = LearnerDetails(given, family, dob, gender, postcode, **optional)
    return Learner(1, uln or str(next(_ulns)), details, 1, status, "0", AT, AT,
                   master_uln=master_uln)


def query(**changes):
    return dataclasses.replace(QUERY, **changes)


# (id, query, candidate, expected: "exact" | "possible" | "none")
SINGLE = [
    ("all five equal", QUERY, learner(), "exact"),
    ("names and postcode written differently", query(given_name=" SARAH", family_name="jones",
                                                    postcode="cv49ee"), learner(), "exact"),
    ("accents and hyphens", query(given_name="Zoë", family_name="Smith-Jones"),
     learner(given="Zoe", family="Smith Jones"), "exact"),
    ("agreeing optional fields", query(school_at_age_16="  King's  School ",
                                       email_address="Sarah@Example.com"),
     learner(school_at_age_16="king's school", email_address="sarah@example.com"), "exact"),
    ("optional supplied but not held", query(place_of_birth="Leeds"), learner(), "exact"),
    ("contradicting school", query(school_at_age_16="Other School"),
     learner(school_at_age_16="King's School"), "possible"),
    ("contradicting previous family name", query(previous_family_name="Brown"),
     learner(previous_family_name="Smith"), "possible"),
    ("contradicting e-mail", query(email_address="a@b.com"),
     learner(email_address="c@d.com"), "possible"),
    ("given name typo", query(given_name="Sarha"), learner(), "possible"),
    ("family name typo, moved house", query(family_name="Jnoes", postcode="M1 1AE"),
     learner(given="Sara"), "possible"),
    ("found by previous family name", query(family_name="Smith"),
     learner(previous_family_name="Smith"), "possible"),
    ("new family name supplied with the previous",
     query(family_name="Brown", previous_family_name="Jones"), learner(), "possible"),
    ("swapped birth date", query(date_of_birth=SWAPPED), learner(), "possible"),
    ("gender differs", query(gender="1"), learner(), "possible"),
    ("moved house", query(postcode="M1 1AE"), learner(), "possible"),
    ("twin at the same address", query(given_name="Emily"), learner(), "possible"),
    ("married name unknown, same address", query(family_name="Brown"), learner(), "possible"),
    ("namesake elsewhere", query(given_name="Emily", postcode="M1 1AE"), learner(), "none"),
    ("namesake in the same district", query(given_name="Emily", postcode="CV4 8AA"),
     learner(), "none"),
    ("different birth date", query(date_of_birth=dt.date(2001, 4, 13)), learner(), "none"),
    ("swapped date, similar given, moved",
     query(date_of_birth=SWAPPED, given_name="Sara", postcode="M1 1AE"), learner(), "none"),
    ("different person", query(given_name="Tom", family_name="Brown", gender="1"),
     learner(), "none"),
    ("retired exact learner", QUERY, learner(status=LearnerStatus.RETIRED), "none"),
    ("retired possible learner", query(given_name="Sarha"),
     learner(status=LearnerStatus.RETIRED), "none"),
]

EXPECTED_CODE = {"exact": ResponseCode.EXACT_MATCH, "possible": ResponseCode.POSSIBLE_MATCH,
                 "none": ResponseCode.NO_MATCH}


@pytest.mark.parametrize(("q", "candidate", "expected"), [c[1:] for c in SINGLE],
                         ids=[c[0] for c in SINGLE])
def test_one_candidate(q, candidate, expected):
    outcome = classify(q, [candidate])
    assert outcome.code is EXPECTED_CODE[expected]
    assert outcome.learners == (() if expected == "none" else (candidate,))
    assert outcome.merged_into is None


def test_exact_scores_thirteen_and_namesake_seven():
    assert possible_score(QUERY, learner()) == 13
    assert possible_score(query(given_name="Emily", postcode="M1 1AE"), learner()) == 7
    assert possible_score(QUERY, learner(dob=dt.date(1990, 1, 1))) is None


def test_possibles_rank_by_score_then_uln():
    typo = learner(given="Sarha", uln="1000000300")  # 12
    moved = learner(postcode="M1 1AE", uln="1000000200")  # 11
    twin_b = learner(given="Emily", uln="1000000150")  # 9
    twin_a = learner(given="Emma", uln="1000000100")  # 9
    outcome = classify(QUERY, [twin_b, moved, twin_a, typo])
    assert outcome.code is ResponseCode.POSSIBLE_MATCH
    assert outcome.learners == (typo, moved, twin_a, twin_b)


def test_exact_match_wins_over_possibles():
    exact, typo = learner(), learner(given="Sarha")
    outcome = classify(QUERY, [typo, exact])
    assert (outcome.code, outcome.learners) == (ResponseCode.EXACT_MATCH, (exact,))


def test_two_exact_matches_become_possibles():
    first, second = learner(uln="1000000002"), learner(uln="1000000001")
    outcome = classify(QUERY, [first, learner(given="Sarha", uln="1000000000"), second])
    assert outcome.code is ResponseCode.POSSIBLE_MATCH
    assert outcome.learners[:2] == (second, first)
    assert len(outcome.learners) == 3


def test_ten_possibles_are_returned_and_eleven_are_too_many():
    ten = [learner(given="Sarha") for _ in range(MAX_POSSIBLE_MATCHES)]
    assert classify(QUERY, ten).code is ResponseCode.POSSIBLE_MATCH
    assert len(classify(QUERY, ten).learners) == 10
    eleven = [*ten, learner(postcode="M1 1AE")]
    outcome = classify(QUERY, eleven)
    assert outcome.code is ResponseCode.TOO_MANY_MATCHES
    assert outcome.learners == ()


def test_no_candidates_is_no_match():
    assert classify(QUERY, []).code is ResponseCode.NO_MATCH


def test_exact_match_on_a_merged_learner_names_its_master():
    merged = learner(status=LearnerStatus.MERGED, master_uln="1000009999")
    outcome = classify(QUERY, [merged])
    assert outcome.code is ResponseCode.EXACT_MATCH
    assert outcome.learners == (merged,)
    assert outcome.merged_into == "1000009999"


def test_a_match_on_a_merged_learner_answers_its_master_or_no_match_when_none_is_held():
    master = learner(uln="1000009999")
    assert master_answer(master) == (ResponseCode.LINKED_MASTER_SUBSTITUTED, (master,))
    assert master_answer(None) == (ResponseCode.NO_MATCH, ())


def test_a_merged_learner_is_represented_by_its_matching_master():
    master = learner(uln="1000009999")
    merged = learner(status=LearnerStatus.MERGED, master_uln="1000009999")
    outcome = classify(QUERY, [merged, master])
    assert (outcome.code, outcome.learners, outcome.merged_into) == (
        ResponseCode.EXACT_MATCH, (master,), None)


def test_merged_learners_are_never_possibles():
    merged = learner(given="Sarha", status=LearnerStatus.MERGED, master_uln="1000009999")
    assert classify(QUERY, [merged]).code is ResponseCode.NO_MATCH


def test_is_exact_needs_the_same_gender_code_and_birth_date():
    assert not is_exact(query(gender="9"), learner())
    assert not is_exact(query(date_of_birth=SWAPPED), learner())


@pytest.mark.parametrize(("dob", "dates"), [
    (DOB, (DOB, SWAPPED)),
    (dt.date(2001, 1, 31), (dt.date(2001, 1, 31),)),  # 31 January: no 31st month
    (dt.date(2001, 5, 5), (dt.date(2001, 5, 5),)),  # swapping changes nothing
    (dt.date(2000, 2, 29), (dt.date(2000, 2, 29),)),
    (dt.date(2001, 12, 1), (dt.date(2001, 12, 1), dt.date(2001, 1, 12))),
])
def test_candidate_birth_dates(dob, dates):
    assert candidate_birth_dates(dob) == dates


def test_demographics_key_ignores_how_the_demographics_are_written():
    key = demographics_key(QUERY)
    assert len(key) == 64 and int(key, 16) >= 0
    same = query(given_name=" SARAH ", family_name="jones", postcode="cv49ee",
                 email_address="x@y.com")
    assert demographics_key(same) == key
    assert demographics_key(query(gender="9")) != key
    assert demographics_key(query(date_of_birth=SWAPPED)) != key


def test_demographics_key_fields_cannot_run_into_each_other():
    assert (demographics_key(query(given_name="Ab", family_name="C"))
            != demographics_key(query(given_name="A", family_name="Bc")))


@given(st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_candidate_birth_dates_swap_back(dob):
    dates = candidate_birth_dates(dob)
    assert dates[0] == dob
    for other in dates[1:]:
        assert (other.day, other.month, other.year) == (dob.month, dob.day, dob.year)


@given(st.sampled_from(["Sarah", "Sara", "Emily", "Tom"]),
       st.sampled_from(["Jones", "Jnoes", "Brown"]),
       st.sampled_from(["CV4 9EE", "CV4 8AA", "M1 1AE"]), st.sampled_from("0129"))
def test_exact_matches_are_never_outscored(given_name, family, postcode, gender):
    q = query(given_name=given_name, family_name=family, postcode=postcode, gender=gender)
    other = learner()
    exact = learner(given_name, family, DOB, gender, postcode)
    assert is_exact(q, exact)
    assert possible_score(q, exact) >= max(possible_score(q, other), MIN_POSSIBLE_SCORE)
