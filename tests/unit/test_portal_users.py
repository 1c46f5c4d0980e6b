"""Portal users: sign-in with their own password, revocation, a super user's account management."""

from __future__ import annotations

import pytest

from lrs_soap.domain.access import may_use_portal
from lrs_soap.domain.errors import InsufficientAccess
from lrs_soap.domain.model import PortalRole, Role
from lrs_soap.service import accounts, portal_users
from lrs_soap.service.accounts import AdminError
from lrs_soap.service.portal_users import AccessEnded, SignInRefused, UserNotFound
from tests.unit.fakes import make_context

LRB = frozenset({Role.LEARNER_REGISTRATION_BODY})


@pytest.fixture
def ctx():
    ctx, _ = make_context()
    for ukprn, name in (("10000001", "College"), ("10000009", "Other")):
        accounts.create_organisation(ctx, name=name, ukprn=ukprn, reference=None, roles=LRB)
        accounts.create_user(ctx, ukprn, "boss")
        portal_users.set_portal_account(ctx, ukprn, "boss", "BossPassword1",
                                        PortalRole.SUPER_USER)
    return ctx


def boss(ctx, ukprn="10000001"):
    return portal_users.sign_in(ctx, ukprn, "boss", "BossPassword1")


def test_sign_in_gives_the_user_and_organisation(ctx):
    user = boss(ctx)
    assert (user.organisation.name, user.user.user_name, user.is_super_user) == \
        ("College", "boss", True)
    assert user.caller.user_name == "boss"


@pytest.mark.parametrize("organisation, user_name, password", [
    ("10000001", "boss", "WrongPassword1"),
    ("10000001", "nobody", "BossPassword1"),
    ("99999999", "boss", "BossPassword1"),
])
def test_every_failed_sign_in_is_the_same_refusal(ctx, organisation, user_name, password):
    with pytest.raises(SignInRefused):
        portal_users.sign_in(ctx, organisation, user_name, password)


def test_a_user_without_a_portal_password_cannot_sign_in(ctx):
    accounts.create_user(ctx, "10000001", "soaponly")
    with pytest.raises(SignInRefused):
        portal_users.sign_in(ctx, "10000001", "soaponly", "")


def test_revocation_ends_a_session_and_refuses_sign_in(ctx):
    user = boss(ctx)
    token = portal_users.start_session(ctx, user)
    assert portal_users.current_user(ctx, user.user.id, token).user.user_name == "boss"
    accounts.set_organisation_active(ctx, "10000001", False)
    with pytest.raises(AccessEnded):
        portal_users.current_user(ctx, user.user.id, token)
    with pytest.raises(SignInRefused):
        boss(ctx)


def test_a_super_user_manages_the_users_of_their_own_organisation(ctx):
    me = boss(ctx)
    clerk = portal_users.register_user(ctx, me, "clerk", PortalRole.USER, "ClerkPassword1")
    assert [u.user_name for u in portal_users.list_users(ctx, me)] == ["boss", "clerk"]
    portal_users.set_role(ctx, me, clerk.id, PortalRole.SUPER_USER)
    portal_users.reset_password(ctx, me, clerk.id, "NewClerkPassword")
    assert portal_users.sign_in(ctx, "10000001", "clerk", "NewClerkPassword").is_super_user
    portal_users.set_active(ctx, me, clerk.id, False)
    with pytest.raises(SignInRefused):
        portal_users.sign_in(ctx, "10000001", "clerk", "NewClerkPassword")
    portal_users.set_active(ctx, me, clerk.id, True)
    assert portal_users.sign_in(ctx, "10000001", "clerk", "NewClerkPassword")


def test_another_organisations_user_is_not_found(ctx):
    theirs = boss(ctx, "10000009").user.id
    me = boss(ctx)
    for attempt in (lambda: portal_users.get_user(ctx, me, theirs),
                    lambda: portal_users.reset_password(ctx, me, theirs, "TakenOver1234"),
                    lambda: portal_users.set_active(ctx, me, theirs, False),
                    lambda: portal_users.get_user(ctx, me, 987654)):
        with pytest.raises(UserNotFound):
            attempt()


def test_an_ordinary_user_cannot_manage_users(ctx):
    me = boss(ctx)
    portal_users.register_user(ctx, me, "clerk", PortalRole.USER, "ClerkPassword1")
    clerk = portal_users.sign_in(ctx, "10000001", "clerk", "ClerkPassword1")
    with pytest.raises(InsufficientAccess):
        portal_users.list_users(ctx, clerk)


def test_a_super_user_cannot_lock_themself_out(ctx):
    me = boss(ctx)
    with pytest.raises(AdminError, match="your own account"):
        portal_users.set_active(ctx, me, me.user.id, False)
    with pytest.raises(AdminError, match="own super user role"):
        portal_users.set_role(ctx, me, me.user.id, PortalRole.USER)


@pytest.mark.parametrize("password", ["short", " " * 12, "x" * 129])
def test_portal_passwords_are_12_to_128_characters(ctx, password):
    with pytest.raises(AdminError):
        portal_users.register_user(ctx, boss(ctx), "clerk", PortalRole.USER, password)


def test_portal_pages_follow_the_soap_roles_and_users_need_the_super_user_role():
    assert may_use_portal(LRB, PortalRole.USER, "register_learner")
    assert not may_use_portal(LRB, PortalRole.SUPER_USER, "achievement_batch")
    assert may_use_portal(LRB, PortalRole.USER, "portal_home")
    assert not may_use_portal(LRB, PortalRole.USER, "manage_users")
    assert may_use_portal(LRB, PortalRole.SUPER_USER, "manage_users")


def test_failed_portal_sign_ins_lock_the_user_out_of_soap_too(ctx):
    from lrs_soap.service.accounts import Credentials, authenticate
    from lrs_soap.service.sign_in_throttle import SignInLocked

    accounts.set_password(ctx, "10000001", "OrgPassword12345")
    for _ in range(4):  # three free failures, then a growing delay
        with pytest.raises(SignInRefused):
            portal_users.sign_in(ctx, "10000001", "boss", "WrongPassword1")
    with pytest.raises(SignInLocked, match="try again in"):
        boss(ctx)  # the right password, refused before it is checked
    with pytest.raises(SignInLocked):  # the same policy and counts on the SOAP faces
        authenticate(ctx, Credentials("boss", "OrgPassword12345", ukprn="10000001"),
                     "find_learner")
