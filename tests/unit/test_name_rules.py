"""The one name rule (domain/names.py) and where it bites: empty keys never match."""

import datetime as dt

import pytest

from lrs_soap.domain import find_by_uln, learner_rules
from lrs_soap.domain.errors import InvalidRequest
from lrs_soap.domain.learner_problems import LearnerProblem
from lrs_soap.domain.model import Learner, LearnerDetails, LearnerStatus
from lrs_soap.domain.names import check_query_names, name_problem, query_name_problems
from lrs_soap.record_elements import element_label

TODAY = dt.date(2026, 12, 4)


@pytest.mark.parametrize(("name", "problem"), [
    ("Sam", None), ("Zoë", None), ("O'Brien-Smith", None), ("李", None), ("Ō", None),
    ("", "GivenName must not be blank"), ("   ", "GivenName must not be blank"),
    ("!!!", "GivenName must contain a letter"), ("🙂", "GivenName must contain a letter"),
    ("123", "GivenName must contain a letter"),
    ("Sam\u202e", "GivenName must not contain bidirectional control characters"),
    ("\u200fSam", "GivenName must not contain bidirectional control characters"),
])
def test_name_problem(name, problem):
    found = name_problem("given_name", name)
    assert (found and found.worded(element_label)) == problem


def test_optional_names_may_be_absent_but_not_letterless():
    assert name_problem("middle_other_name", None, required=False) is None
    assert query_name_problems("Sam", "—") == [
        LearnerProblem("family_name", "must contain a letter")]
    with pytest.raises(InvalidRequest) as refused:
        check_query_names("Sam", "—", element_label)
    assert refused.value.further_details == "FamilyName must contain a letter"


def held(given: str, family: str) -> Learner:
    details = LearnerDetails(given, family, dt.date(2001, 2, 3), "1", "LS2 9JT")
    now = dt.datetime(2026, 12, 4, tzinfo=dt.UTC)
    return Learner(id=1, uln="1026893096", details=details, version_number=1,
                   status=LearnerStatus.ACTIVE, tier_level="0", created_at=now, updated_at=now)


def test_an_empty_key_never_matches_even_another_empty_key():
    assert find_by_uln.names_match(held("!!!", "???"), "...", "---") is False
    assert find_by_uln.names_match(held("Sam", "Example"), "SAM", "example") is True


def test_a_changed_date_of_birth_meets_the_registration_ages_on_update():
    old = LearnerDetails("Sam", "Example", dt.date(1915, 1, 1), "1", "LS2 9JT")
    kept = learner_rules.update_problems(old, TODAY, previous=old)
    assert kept == []  # aged 111 now, registered long ago: not a problem
    too_young = LearnerDetails("Sam", "Example", dt.date(2021, 1, 1), "1", "LS2 9JT")
    [problem] = learner_rules.update_problems(too_young, TODAY, previous=old)
    assert (problem.field, problem.worded(element_label)) == (
        "date_of_birth", "The learner must be aged 13 to 110 at registration (is 5)")
