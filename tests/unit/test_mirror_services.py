"""The two small use cases behind the R9 mirror: UpdateLearnerSubsetFields (through
UpdateLearner) and GetOrganisation (fakes)."""

from __future__ import annotations

import datetime as dt

import pytest

from lrs_soap.domain.codes import ResponseCode
from lrs_soap.domain.errors import InvalidUln
from lrs_soap.domain.model import LearnerDetails, Role
from lrs_soap.service import organisations
from lrs_soap.service.accounts import Caller
from lrs_soap.service.learner_subset import SubsetChanges, update_learner_subset
from tests.unit.fakes import make_context

ULN = "1026893096"
HELD = LearnerDetails("Sam", "Example", dt.date(2000, 1, 31), "2", "AB12 3DF",
                      email_address="sam@example.org", school_at_age_16="Old School")


@pytest.fixture
def env():
    ctx, store = make_context()
    with ctx.uow_factory() as uow:
        college = uow.organisations.add(name="College", ukprn="10000001", reference="COLLEG",
                                        roles=frozenset({Role.LEARNER_REGISTRATION_BODY}))
        uow.organisations.add(name="Awarding", ukprn=None, reference="AWARDS",
                              roles=frozenset({Role.AWARDING_ORGANISATION}))
        uow.learners.add(ULN, HELD, registered_by=None, now=ctx.clock())
    return ctx, store, Caller(college, "alice")


def test_subset_replaces_only_the_given_fields_and_empty_clears(env):
    ctx, store, caller = env
    result = update_learner_subset(ctx, caller, ULN, 1, SubsetChanges(
        email_address="", preferred_given_name="Sammy"))
    assert (result.code, result.version_number) == (ResponseCode.UPDATED, 2)
    held = store.learners[ULN].details
    assert (held.email_address, held.preferred_given_name, held.school_at_age_16) == (
        None, "Sammy", "Old School")
    assert store.audit[-1]["action"] == "learner.update"


@pytest.mark.parametrize(("version", "changes", "code"), [
    (2, SubsetChanges(preferred_given_name="Sammy"), ResponseCode.STALE_VERSION),
    (1, SubsetChanges(school_at_age_16="Old School"), ResponseCode.NO_CHANGES),
    (1, SubsetChanges(), ResponseCode.NO_CHANGES),
    (1, SubsetChanges(ability_to_share="0"), ResponseCode.INVALID_ABILITY_TO_SHARE_CHANGE),
])
def test_subset_answers_with_update_learners_codes(env, version, changes, code):
    ctx, _, caller = env
    assert update_learner_subset(ctx, caller, ULN, version, changes).code is code


def test_subset_of_an_unknown_or_invalid_uln(env):
    ctx, _, caller = env
    assert update_learner_subset(ctx, caller, "1748529632", 1, SubsetChanges()).code \
        is ResponseCode.ULN_NOT_FOUND_FOR_UPDATE
    with pytest.raises(InvalidUln):
        update_learner_subset(ctx, caller, "1026893097", 1, SubsetChanges())


def test_organisation_info(env):
    ctx, store, caller = env
    own = organisations.organisation_info(ctx, caller, None, None)
    assert (own.code, own.name, own.ukprn, own.reference, own.status) == (
        ResponseCode.EXACT_MATCH, "College", "10000001", "COLLEG", "Active")
    assert organisations.organisation_info(ctx, caller, None, "AWARDS").name == "Awarding"
    assert organisations.organisation_info(ctx, caller, "10000001", "COLLEG").name == "College"
    for ukprn, reference in (("10000001", "AWARDS"), ("99999999", None), (None, "NOSUCH")):
        assert organisations.organisation_info(ctx, caller, ukprn, reference).code \
            is ResponseCode.NO_MATCH
    with ctx.uow_factory() as uow:
        uow.organisations.set_active(2, False)
    assert organisations.organisation_info(ctx, caller, None, "AWARDS").status == "Inactive"
