"""Authentication on every call, and the administration rules, against in-memory fakes."""

import pytest

from lrs_soap.domain.codes import ErrorCode
from lrs_soap.domain.errors import LrsError
from lrs_soap.domain.model import Role
from lrs_soap.service import accounts
from lrs_soap.service.accounts import AdminError, Credentials
from tests.unit.fakes import make_context

LRB = frozenset({Role.LEARNER_REGISTRATION_BODY})
AO = frozenset({Role.AWARDING_ORGANISATION})
PASSWORD = "Correct-Horse-16"


@pytest.fixture
def ctx():
    ctx, _ = make_context()
    accounts.create_organisation(ctx, name="College", ukprn="10000001", reference="COLL01",
                                 roles=LRB)
    accounts.set_password(ctx, "10000001", PASSWORD)
    accounts.create_user(ctx, "10000001", "alice")
    accounts.create_organisation(ctx, name="Board", ukprn="10000002", reference=None, roles=AO)
    accounts.set_password(ctx, "10000002", PASSWORD)
    accounts.create_user(ctx, "10000002", "bob")
    return ctx


def code_of(call) -> ErrorCode:
    with pytest.raises(LrsError) as raised:
        call()
    return raised.value.code


def test_a_known_user_with_the_right_password_is_let_in(ctx):
    caller = accounts.authenticate(ctx, Credentials("alice", PASSWORD, ukprn="10000001"),
                                   "find_learner")
    assert caller.organisation.name == "College"
    assert caller.user_name == "alice"


def test_organisation_ref_identifies_the_organisation_too(ctx):
    caller = accounts.authenticate(ctx, Credentials("alice", PASSWORD, organisation_ref="COLL01"),
                                   "find_learner")
    assert caller.organisation.ukprn == "10000001"


def test_unknown_organisation_is_wsec0003(ctx):
    assert code_of(lambda: accounts.authenticate(
        ctx, Credentials("alice", PASSWORD, ukprn="99999999"), "find_learner")
    ) is ErrorCode.UNKNOWN_ORGANISATION


def test_ukprn_and_reference_of_different_organisations_is_wsec0003(ctx):
    accounts.create_organisation(ctx, name="Other", ukprn="10000003", reference="OTHER1",
                                 roles=LRB)
    assert code_of(lambda: accounts.authenticate(
        ctx, Credentials("alice", PASSWORD, ukprn="10000001", organisation_ref="OTHER1"),
        "find_learner")) is ErrorCode.UNKNOWN_ORGANISATION


def test_revoked_organisation_is_wsec0003_even_with_the_right_password(ctx):
    accounts.set_organisation_active(ctx, "10000001", False)
    assert code_of(lambda: accounts.authenticate(
        ctx, Credentials("alice", PASSWORD, ukprn="10000001"), "find_learner")
    ) is ErrorCode.UNKNOWN_ORGANISATION


def test_wrong_password_is_wsec0005(ctx):
    assert code_of(lambda: accounts.authenticate(
        ctx, Credentials("alice", "Wrong-Horse-1616", ukprn="10000001"), "find_learner")
    ) is ErrorCode.INCORRECT_PASSWORD


def test_organisation_without_a_password_is_refused(ctx):
    accounts.create_organisation(ctx, name="New", ukprn="10000009", reference=None, roles=LRB)
    accounts.create_user(ctx, "10000009", "carol")
    assert code_of(lambda: accounts.authenticate(
        ctx, Credentials("carol", "", ukprn="10000009"), "find_learner")
    ) is ErrorCode.INCORRECT_PASSWORD


def test_awarding_organisation_may_not_find_learners_wsec0006(ctx):
    assert code_of(lambda: accounts.authenticate(
        ctx, Credentials("bob", PASSWORD, ukprn="10000002"), "find_learner")
    ) is ErrorCode.INSUFFICIENT_ACCESS


def test_awarding_organisation_may_verify(ctx):
    assert accounts.authenticate(ctx, Credentials("bob", PASSWORD, ukprn="10000002"),
                                 "verify_learner").user_name == "bob"


def test_unknown_and_revoked_users_are_wsec0006(ctx):
    assert code_of(lambda: accounts.authenticate(
        ctx, Credentials("mallory", PASSWORD, ukprn="10000001"), "find_learner")
    ) is ErrorCode.INSUFFICIENT_ACCESS
    accounts.set_user_active(ctx, "10000001", "alice", False)
    assert code_of(lambda: accounts.authenticate(
        ctx, Credentials("alice", PASSWORD, ukprn="10000001"), "find_learner")
    ) is ErrorCode.INSUFFICIENT_ACCESS


def test_rotated_password_replaces_the_old_one(ctx):
    new = accounts.set_password(ctx, "10000001")
    assert len(new) == 16 and new != PASSWORD
    assert accounts.authenticate(ctx, Credentials("alice", new, ukprn="10000001"), "find_learner")
    assert code_of(lambda: accounts.authenticate(
        ctx, Credentials("alice", PASSWORD, ukprn="10000001"), "find_learner")
    ) is ErrorCode.INCORRECT_PASSWORD


def test_passwords_are_stored_only_as_hashes(ctx):
    _, store = make_context()
    ctx2, store = make_context(store)
    accounts.create_organisation(ctx2, name="X", ukprn="20000001", reference=None, roles=LRB)
    accounts.set_password(ctx2, "20000001", PASSWORD)
    stored = store.organisations[1].password_hash
    assert stored != PASSWORD


@pytest.mark.parametrize(("kwargs", "message"), [
    (dict(ukprn=None, reference=None), "UKPRN or an OrganisationRef"),
    (dict(ukprn="1234", reference=None), "exactly 8"),
    (dict(ukprn=None, reference="ABC"), "exactly 6"),
    (dict(ukprn="10000001", reference=None), "already registered"),
])
def test_bad_organisations_are_refused_with_a_reason(ctx, kwargs, message):
    with pytest.raises(AdminError, match=message):
        accounts.create_organisation(ctx, name="Bad", roles=LRB, **kwargs)


def test_passwords_must_be_16_characters(ctx):
    with pytest.raises(AdminError, match="exactly 16"):
        accounts.set_password(ctx, "10000001", "short")


@pytest.mark.parametrize(("ukprn", "reference", "user"), [
    ("10000001", "10000001", "alice"),  # OrganisationRef = Ukprn (the T Levels PLR client)
    ("10000001", "COLL01", "alice"),  # the organisation's own reference
    (None, "10000002", "bob"),  # a UKPRN where only an OrganisationRef fits (ExternalService)
])
def test_an_organisation_ref_naming_the_same_organisation_is_accepted(ctx, ukprn, reference,
                                                                      user):
    caller = accounts.authenticate(
        ctx, Credentials(user, PASSWORD, ukprn=ukprn, organisation_ref=reference), "verify_learner")
    assert caller.organisation.ukprn == (ukprn or reference)


@pytest.mark.parametrize(("ukprn", "reference"), [
    ("10000001", "10000002"),  # another organisation's UKPRN
    ("10000002", "COLL01"),  # another organisation's reference
    ("10000001", "10000009"),  # a UKPRN no one has
])
def test_two_fields_naming_two_organisations_are_refused(ctx, ukprn, reference):
    credentials = Credentials("alice", PASSWORD, ukprn=ukprn, organisation_ref=reference)
    assert code_of(lambda: accounts.authenticate(ctx, credentials, "verify_learner")
                   ) is ErrorCode.UNKNOWN_ORGANISATION
