"""FindByDemographics, RegisterLearner and UpdateLearner through the service layer (fakes)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from lrs_soap.domain import uln as uln_rules
from lrs_soap.domain.codes import ErrorCode, ResponseCode
from lrs_soap.domain.errors import LrsError
from lrs_soap.domain.matching import DemographicQuery
from lrs_soap.domain.model import LearnerDetails, LearnerStatus, Organisation, Role
from lrs_soap.service import learners
from lrs_soap.service.accounts import Caller
from tests.unit.fakes import FakeClock, make_context

COLLEGE = Caller(Organisation(1, "College", "10000001", None,
                              frozenset({Role.LEARNER_REGISTRATION_BODY}), True, "x"), "alice")
OTHER = Caller(Organisation(2, "Other", "10000002", None,
                            frozenset({Role.LEARNER_REGISTRATION_BODY}), True, "x"), "bob")
PRIYA = LearnerDetails("Priya", "Shah", dt.date(2007, 3, 9), "2", "LE1 5WW",
                       verification_type="1", ability_to_share="1")


def query_for(details: LearnerDetails, **changes) -> DemographicQuery:
    query = DemographicQuery(details.given_name, details.family_name, details.date_of_birth,
                             details.gender, details.postcode)
    return dataclasses.replace(query, **changes)


@pytest.fixture
def env():
    clock = FakeClock()
    ctx, store = make_context(clock=clock)
    return ctx, store, clock


def register_after_search(ctx, details, caller=COLLEGE, clock=None):
    """The procedure a provider follows; with ``clock``, waiting out any possible matches."""
    learners.find_learner_by_demographics(ctx, caller, query_for(details))
    if clock is not None:
        clock.advance(seconds=61)
    return learners.register_learner(ctx, caller, details)


def test_search_then_register_issues_a_valid_uln(env):
    ctx, store, _ = env
    assert learners.find_learner_by_demographics(ctx, COLLEGE, query_for(PRIYA)).code \
        is ResponseCode.NO_MATCH
    result = learners.register_learner(ctx, COLLEGE, PRIYA)
    assert result.code is ResponseCode.REGISTERED
    assert uln_rules.is_valid(result.uln)
    assert store.learners[result.uln].details.postcode == "LE1 5WW"
    assert store.audit[-1]["action"] == "learner.register"


def test_register_without_a_search_is_wsrc0021(env):
    ctx, _, _ = env
    result = learners.register_learner(ctx, COLLEGE, PRIYA)
    assert result.code is ResponseCode.CANNOT_REGISTER
    assert "FindByDemographics" in result.reason


def test_a_search_by_another_organisation_does_not_count(env):
    ctx, _, _ = env
    learners.find_learner_by_demographics(ctx, OTHER, query_for(PRIYA))
    assert learners.register_learner(ctx, COLLEGE, PRIYA).code is ResponseCode.CANNOT_REGISTER


def test_a_check_search_does_not_count(env):
    ctx, _, _ = env
    learners.find_learner_by_demographics(ctx, COLLEGE, query_for(PRIYA), check_only=True)
    assert learners.register_learner(ctx, COLLEGE, PRIYA).code is ResponseCode.CANNOT_REGISTER


def test_a_search_older_than_the_window_does_not_count(env):
    ctx, _, clock = env
    learners.find_learner_by_demographics(ctx, COLLEGE, query_for(PRIYA))
    clock.advance(hours=1, seconds=1)
    assert learners.register_learner(ctx, COLLEGE, PRIYA).code is ResponseCode.CANNOT_REGISTER


def test_the_same_learner_twice_is_wsrc0021(env):
    ctx, _, _ = env
    assert register_after_search(ctx, PRIYA).code is ResponseCode.REGISTERED
    again = register_after_search(ctx, dataclasses.replace(PRIYA, postcode="le15ww"))
    assert again.code is ResponseCode.CANNOT_REGISTER


def test_after_possible_matches_registration_waits_the_minimum_time(env):
    ctx, _, clock = env
    register_after_search(ctx, PRIYA)
    twin = dataclasses.replace(PRIYA, given_name="Pria")  # similar name, same everything else
    search = learners.find_learner_by_demographics(ctx, COLLEGE, query_for(twin))
    assert search.code is ResponseCode.POSSIBLE_MATCH
    early = learners.register_learner(ctx, COLLEGE, twin)
    assert early.code is ResponseCode.CANNOT_REGISTER and "possible matches" in early.reason
    clock.advance(seconds=61)
    assert learners.register_learner(ctx, COLLEGE, twin).code is ResponseCode.REGISTERED


def test_after_an_exact_match_registration_is_refused(env):
    ctx, _, _ = env
    register_after_search(ctx, PRIYA)
    search = learners.find_learner_by_demographics(ctx, COLLEGE, query_for(PRIYA))
    assert search.code is ResponseCode.EXACT_MATCH
    assert learners.register_learner(ctx, COLLEGE, PRIYA).code is ResponseCode.CANNOT_REGISTER


@pytest.mark.parametrize(("changes", "message"), [
    (dict(date_of_birth=dt.date(2020, 1, 1)), "13"),
    (dict(verification_type="999"), "OtherVerificationDescription"),
])
def test_business_rules_beyond_the_schema_are_wsec0001(env, changes, message):
    ctx, _, _ = env
    with pytest.raises(LrsError) as raised:
        register_after_search(ctx, dataclasses.replace(PRIYA, **changes))
    assert raised.value.code is ErrorCode.INVALID_REQUEST
    assert message in raised.value.further_details


def test_exact_search_on_a_merged_learner_returns_the_master(env):
    ctx, store, clock = env
    master = register_after_search(ctx, PRIYA).uln
    merged = register_after_search(ctx, dataclasses.replace(PRIYA, postcode="M1 1AE"),
                                   clock=clock).uln
    store.learners[merged] = dataclasses.replace(store.learners[merged], master_uln=master,
                                                 status=LearnerStatus.MERGED)
    result = learners.find_learner_by_demographics(
        ctx, COLLEGE, query_for(PRIYA, postcode="M1 1AE"))
    assert result.code is ResponseCode.LINKED_MASTER_SUBSTITUTED
    (match,) = result.matches
    assert match.learner.uln == master and match.master_substituted
    assert match.learner.linked_ulns == (merged,)


def test_too_many_possibles_returns_no_learners(env):
    ctx, _, clock = env
    for index in range(11):
        registered = register_after_search(
            ctx, dataclasses.replace(PRIYA, postcode=f"LE{index + 1} 5WW"), clock=clock)
        assert registered.code is ResponseCode.REGISTERED
    result = learners.find_learner_by_demographics(ctx, COLLEGE,
                                                   query_for(PRIYA, postcode="B1 1AA"))
    assert result.code is ResponseCode.TOO_MANY_MATCHES
    assert result.matches == ()


class TestUpdate:
    @pytest.fixture
    def registered(self, env):
        ctx, store, clock = env
        return ctx, store, register_after_search(ctx, PRIYA).uln

    def test_update_increments_the_version_and_is_audited(self, registered):
        ctx, store, uln = registered
        moved = dataclasses.replace(PRIYA, postcode="CV4 9EE")
        result = learners.update_learner(ctx, COLLEGE, uln, 1, moved)
        assert (result.code, result.version_number) == (ResponseCode.UPDATED, 2)
        assert store.learners[uln].details.postcode == "CV4 9EE"
        assert store.audit[-1]["detail"]["changed"] == {"postcode": ["LE1 5WW", "CV4 9EE"]}

    def test_stale_version_is_wsrc0013(self, registered):
        ctx, _, uln = registered
        learners.update_learner(ctx, COLLEGE, uln, 1, dataclasses.replace(PRIYA, title="Ms"))
        stale = learners.update_learner(ctx, COLLEGE, uln, 1, dataclasses.replace(PRIYA,
                                                                                  title="Dr"))
        assert stale.code is ResponseCode.STALE_VERSION

    def test_no_change_is_wsrc0020(self, registered):
        ctx, _, uln = registered
        assert learners.update_learner(ctx, COLLEGE, uln, 1, PRIYA).code is ResponseCode.NO_CHANGES

    def test_unknown_uln_is_wsrc0019(self, registered):
        ctx, _, _ = registered
        assert learners.update_learner(ctx, COLLEGE, "1748529632", 1, PRIYA).code \
            is ResponseCode.ULN_NOT_FOUND_FOR_UPDATE

    def test_opting_out_is_wsrc0014(self, registered):
        ctx, _, uln = registered
        result = learners.update_learner(ctx, COLLEGE, uln, 1,
                                         dataclasses.replace(PRIYA, ability_to_share="2"))
        assert result.code is ResponseCode.INVALID_ABILITY_TO_SHARE_CHANGE
