"""Organisation Portal users: signing in with their own password, and a super user's account
management (charter "Identity Management" and "Account Management").

The portal's session holds a user id only; every request loads the user and organisation
again (``current_user``), so a revocation takes effect on the next page. Which user may do
what is decided by ``domain.access.may_use_portal``, nowhere else.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from lrs_soap.domain import passwords
from lrs_soap.domain.access import may_use_portal
from lrs_soap.domain.errors import InsufficientAccess
from lrs_soap.domain.model import Organisation, PortalRole, User
from lrs_soap.domain.sign_in_policy import organisation_key as throttle_key
from lrs_soap.service import sign_in_throttle
from lrs_soap.service.accounts import AdminError, Caller
from lrs_soap.service.context import ServiceContext
from lrs_soap.service.lookups import organisation_keys, organisation_named
from lrs_soap.service.ports import UnitOfWork


class SignInRefused(Exception):
    """Organisation, user name or password not recognised (never says which)."""


class AccessEnded(Exception):
    """The user or organisation was revoked (or removed) since the session began."""


class SessionEnded(Exception):
    """The session was signed out (or never started here): sign in again."""


class UserNotFound(LookupError):
    """No such user in the caller's organisation: another organisation's users look the same."""


@dataclass(frozen=True)
class PortalUser:
    organisation: Organisation
    user: User

    @property
    def caller(self) -> Caller:
        return Caller(self.organisation, self.user.user_name)

    @property
    def is_super_user(self) -> bool:
        return self.user.portal_role is PortalRole.SUPER_USER

    def may(self, capability: str) -> bool:
        return may_use_portal(self.organisation.roles, self.user.portal_role, capability)

    def require(self, capability: str) -> Caller:
        """The caller for a service function, if this user may use ``capability``."""
        if not self.may(capability):
            raise InsufficientAccess(f"your account may not use {capability}")
        return self.caller


def sign_in(ctx: ServiceContext, organisation_key: str, user_name: str,
            password: str) -> PortalUser:
    """The user, if the organisation (UKPRN or OrganisationRef), user name and password match
    an active account with a portal password. Every failure is the same SignInRefused.

    Failed sign-ins count exactly as failed SOAP calls do (service/sign_in_throttle.py, the
    one policy): growing delays, then a lockout (SignInLocked, WSEC0007) refused before any
    password is checked, shared with the SOAP faces for the same organisation and user name.
    """
    ukprn, reference = organisation_keys(None, organisation_key.strip())  # 8: UKPRN
    user_name = user_name.strip()
    attempt = sign_in_throttle.check(ctx, throttle_key(ukprn, reference), user_name)
    with ctx.uow_factory() as uow:
        organisation = organisation_named(uow, ukprn, reference)
        user = organisation and uow.users.get(organisation.id, user_name)
        stored = user.portal_password_hash if user else None
        # Always pay for one verification, so a missing user answers as slowly as a wrong
        # password and timing does not tell which user names exist.
        matches = ctx.passwords.verify(stored or _decoy_hash(ctx), password) and bool(stored)
        if not matches or not organisation.active or not user.active:
            sign_in_throttle.record_failure(ctx, attempt)
            raise SignInRefused()
        uow.audit.record(at=ctx.clock(), organisation_id=organisation.id,
                         user_name=user.user_name, action="portal.sign_in")
        uow.commit()
    sign_in_throttle.record_success(ctx, attempt)
    return PortalUser(organisation, user)


# Sessions are kept server side: the cookie carries a random token, the database its hash.
# A session row is forgotten this long after it began (the cookie is refused sooner anyway).
SESSION_ROWS_KEPT = dt.timedelta(days=2)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(ctx: ServiceContext, user: PortalUser) -> str:
    """A new server-side session for a user who has just signed in: its token (the cookie's)."""
    token = secrets.token_urlsafe(32)
    with ctx.uow_factory() as uow:
        now = ctx.clock()
        uow.portal_sessions.forget(started_before=now - SESSION_ROWS_KEPT)
        uow.portal_sessions.start(_token_hash(token), user.user.id, now)
        uow.commit()
    return token


def end_session(ctx: ServiceContext, token: str | None) -> None:
    """Sign-out: the session ends here, so the same cookie (or a copy of it) is refused."""
    if not token:
        return
    with ctx.uow_factory() as uow:
        uow.portal_sessions.end(_token_hash(token), ctx.clock())
        uow.commit()


def current_user(ctx: ServiceContext, user_id: int, token: str | None) -> PortalUser:
    """The session's user, if the session is live and the user and organisation active."""
    with ctx.uow_factory() as uow:
        if not token or not uow.portal_sessions.is_live(_token_hash(token), user_id):
            raise SessionEnded()
        user = uow.users.by_id(user_id)
        organisation = user and uow.organisations.by_id(user.organisation_id)
        if not organisation or not organisation.active or not user.active:
            raise AccessEnded()
        return PortalUser(organisation, user)


# ----- account management: a super user, within their own organisation -----

def list_users(ctx: ServiceContext, actor: PortalUser) -> list[User]:
    actor.require("manage_users")
    with ctx.uow_factory() as uow:
        return uow.users.list_for(actor.organisation.id)


def get_user(ctx: ServiceContext, actor: PortalUser, user_id: int) -> User:
    actor.require("manage_users")
    with ctx.uow_factory() as uow:
        return _own_user(uow, actor, user_id)


def register_user(ctx: ServiceContext, actor: PortalUser, user_name: str, role: PortalRole,
                  password: str) -> User:
    actor.require("manage_users")
    user_name = user_name.strip()
    if not 1 <= len(user_name) <= 35:
        raise AdminError("a user name is 1 to 35 characters and not blank")
    _check_password(password)
    with ctx.uow_factory() as uow:
        if uow.users.get(actor.organisation.id, user_name):
            raise AdminError(f"there is already a user called {user_name}")
        user = uow.users.add(actor.organisation.id, user_name, portal_role=role,
                             portal_password_hash=ctx.passwords.hash(password))
        _audit(ctx, uow, actor, "user.create", user_name, {"role": role.value})
        uow.commit()
        return user


def set_role(ctx: ServiceContext, actor: PortalUser, user_id: int, role: PortalRole) -> None:
    actor.require("manage_users")
    with ctx.uow_factory() as uow:
        user = _own_user(uow, actor, user_id)
        if user.id == actor.user.id and role is not PortalRole.SUPER_USER:
            raise AdminError("you cannot remove your own super user role")
        uow.users.set_portal_role(user.id, role)
        _audit(ctx, uow, actor, "user.role", user.user_name, {"role": role.value})
        uow.commit()


def reset_password(ctx: ServiceContext, actor: PortalUser, user_id: int, password: str) -> None:
    actor.require("manage_users")
    _check_password(password)
    with ctx.uow_factory() as uow:
        user = _own_user(uow, actor, user_id)
        uow.users.set_portal_password_hash(user.id, ctx.passwords.hash(password))
        _audit(ctx, uow, actor, "user.password", user.user_name)
        uow.commit()


def set_active(ctx: ServiceContext, actor: PortalUser, user_id: int, active: bool) -> None:
    """Revoke (SOAP calls and portal sign-ins under the name stop at once) or restore."""
    actor.require("manage_users")
    with ctx.uow_factory() as uow:
        user = _own_user(uow, actor, user_id)
        if user.id == actor.user.id and not active:
            raise AdminError("you cannot revoke your own account")
        uow.users.set_active(user.id, active)
        _audit(ctx, uow, actor, "user.reinstate" if active else "user.revoke", user.user_name)
        uow.commit()


def set_portal_account(ctx: ServiceContext, organisation_key: str, user_name: str,
                       password: str, role: PortalRole) -> None:
    """Administrators (CLI, demo): give an existing user a portal password and role, e.g. the
    organisation's first super user, who then manages the others in the portal."""
    _check_password(password)
    with ctx.uow_factory() as uow:
        organisation = organisation_named(uow, *organisation_keys(None, organisation_key))
        user = organisation and uow.users.get(organisation.id, user_name)
        if not user:
            raise AdminError(f"no user {user_name!r} in organisation {organisation_key!r}")
        uow.users.set_portal_password_hash(user.id, ctx.passwords.hash(password))
        uow.users.set_portal_role(user.id, role)
        uow.audit.record(at=ctx.clock(), organisation_id=organisation.id, user_name=None,
                         action="user.portal_account", detail={"user": user_name,
                                                                "role": role.value})
        uow.commit()


def _own_user(uow: UnitOfWork, actor: PortalUser, user_id: int) -> User:
    user = uow.users.by_id(user_id)
    if user is None or user.organisation_id != actor.organisation.id:
        raise UserNotFound(user_id)
    return user


def _check_password(password: str) -> None:
    problem = passwords.portal_password_problem(password)
    if problem:
        raise AdminError(problem)


def _audit(ctx: ServiceContext, uow: UnitOfWork, actor: PortalUser, action: str,
           user_name: str, detail: dict | None = None) -> None:
    uow.audit.record(at=ctx.clock(), organisation_id=actor.organisation.id,
                     user_name=actor.user.user_name, action=action,
                     detail={"user": user_name, **(detail or {})})


_decoys: dict[int, str] = {}


def _decoy_hash(ctx: ServiceContext) -> str:
    """A hash of a random password nobody knows, made once per hasher: verifying against it
    costs what a real verification costs and always fails."""
    key = id(ctx.passwords)
    if key not in _decoys:
        _decoys[key] = ctx.passwords.hash(secrets.token_urlsafe(24))
    return _decoys[key]
