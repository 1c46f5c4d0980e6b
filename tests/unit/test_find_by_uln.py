"""FindByULN outcomes through the service layer, against in-memory fakes."""

import dataclasses
import datetime as dt

import pytest

from lrs_soap.domain.codes import ErrorCode, ResponseCode
from lrs_soap.domain.errors import LrsError
from lrs_soap.domain.model import FindType, LearnerDetails, LearnerStatus, Organisation, Role
from lrs_soap.service.accounts import Caller
from lrs_soap.service.learners import FindByUlnQuery, find_learner_by_uln
from tests.unit.fakes import NOW, make_context

CALLER = Caller(Organisation(1, "College", "10000001", None,
                             frozenset({Role.LEARNER_REGISTRATION_BODY}), True, "x"), "alice")
SAM = LearnerDetails("Sam", "Example", dt.date(2000, 1, 31), "2", "AB12 3CD")


@pytest.fixture
def ctx_store():
    ctx, store = make_context()
    with ctx.uow_factory() as uow:
        uow.learners.add("1026893096", SAM, registered_by=None, now=NOW)
    return ctx, store


def find(ctx, uln="1026893096", given="Sam", family="Example", check=False):
    return find_learner_by_uln(ctx, CALLER, FindByUlnQuery(uln, given, family, check))


def test_exact_match_returns_the_learner(ctx_store):
    ctx, _ = ctx_store
    outcome = find(ctx)
    assert outcome.code is ResponseCode.EXACT_MATCH
    assert outcome.learner.uln == "1026893096"
    assert outcome.learner.details.date_of_birth == dt.date(2000, 1, 31)


@pytest.mark.parametrize(("given", "family"), [
    ("sam", "EXAMPLE"), ("  Sam ", "Example"), ("Sám", "Example"), ("Sam", "Ex-ample"),
])
def test_case_spacing_accents_and_hyphens_are_ignored(ctx_store, given, family):
    assert find(ctx_store[0], given=given, family=family).code is ResponseCode.EXACT_MATCH


@pytest.mark.parametrize(("given", "family"), [("Samuel", "Example"), ("Sam", "Sample"),
                                               ("Example", "Sam")])
def test_names_that_do_not_match_reveal_nothing(ctx_store, given, family):
    outcome = find(ctx_store[0], given=given, family=family)
    assert outcome.code is ResponseCode.NO_MATCH
    assert outcome.learner is None


def test_unissued_uln_is_no_match(ctx_store):
    assert find(ctx_store[0], uln="1748529632").code is ResponseCode.NO_MATCH


def test_bad_check_digit_is_an_invalid_uln_fault(ctx_store):
    with pytest.raises(LrsError) as raised:
        find(ctx_store[0], uln="1026893097")
    assert raised.value.code is ErrorCode.INVALID_ULN


def test_check_returns_the_outcome_without_personal_data(ctx_store):
    outcome = find(ctx_store[0], check=True)
    assert outcome.code is ResponseCode.EXACT_MATCH
    assert outcome.learner is None


def test_retired_uln_is_no_match(ctx_store):
    ctx, store = ctx_store
    store.learners["1026893096"] = dataclasses.replace(store.learners["1026893096"],
                                                       status=LearnerStatus.RETIRED)
    assert find(ctx).code is ResponseCode.NO_MATCH


def test_merged_uln_answers_with_the_master(ctx_store):
    ctx, store = ctx_store
    store.learners["1026893096"] = dataclasses.replace(
        store.learners["1026893096"], master_uln="6936002314", status=LearnerStatus.MERGED)
    with ctx.uow_factory() as uow:
        uow.learners.add("6936002314", SAM, registered_by=None, now=NOW)
    outcome = find(ctx)
    assert outcome.code is ResponseCode.LINKED_MASTER_SUBSTITUTED
    assert outcome.master_substituted
    assert outcome.learner.uln == "6936002314"
    assert outcome.learner.linked_ulns == ("1026893096",)


@pytest.mark.parametrize(("sent", "check_only"), [
    ("CHK", True), ("FUL", False), (None, False), ("", False), ("chk", False)])
def test_only_findtype_chk_asks_for_a_check(sent, check_only):
    # The faces have validated the value (the native and learner XSDs enumerate FUL and CHK,
    # R9 upper-cases it first): anything but CHK is a full search, as an absent FindType is.
    assert FindType.check_only(sent) is check_only
