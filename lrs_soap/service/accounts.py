"""Organisations, users and the authentication every call goes through."""

from __future__ import annotations

from dataclasses import dataclass

from lrs_soap.domain import passwords
from lrs_soap.domain.access import may_use, roles_problem
from lrs_soap.domain.errors import (
    IncorrectPassword,
    InsufficientAccess,
    InvalidRequest,
    LrsError,
    UnknownOrganisation,
)
from lrs_soap.domain.model import Organisation, Role, User
from lrs_soap.domain.sign_in_policy import organisation_key
from lrs_soap.service import sign_in_throttle, tracing
from lrs_soap.service.context import ServiceContext
from lrs_soap.service.lookups import organisation_keys, organisation_named
from lrs_soap.service.ports import FailureCount, UnitOfWork


@dataclass(frozen=True)
class Credentials:
    user_name: str
    password: str
    ukprn: str | None = None
    organisation_ref: str | None = None


@dataclass(frozen=True)
class Caller:
    """An authenticated organisation and the individual user acting for it."""

    organisation: Organisation
    user_name: str


MAX_ORGANISATION_NAME = 200  # the organisations.name column


class AdminError(ValueError):
    """An administrator's request that cannot be carried out; the message says why."""


@tracing.traced("authenticate")
def authenticate(ctx: ServiceContext, credentials: Credentials, capability: str) -> Caller:
    """Check the organisation, its password, the user and the role, on every call.

    Unknown or revoked organisation: WSEC0003. Wrong or unset password: WSEC0005.
    A role that may not use the capability, or a user name that is not an active user of
    the organisation: WSEC0006. Too many failed sign-ins: WSEC0007, before any password is
    checked (service/sign_in_throttle.py). An unknown organisation fails as slowly as a
    wrong password, so timing does not tell which organisations exist.
    """
    ukprn, reference = organisation_keys(credentials.ukprn or None,
                                         credentials.organisation_ref or None)
    if not ukprn and not reference:
        raise InvalidRequest("UKPRN or OrganisationRef is required")
    key = organisation_key(ukprn, reference)
    if ukprn and reference:  # both: they must name the same organisation
        attempt = sign_in_throttle.check(ctx, key, credentials.user_name)
        with ctx.uow_factory() as uow:
            organisation = organisation_named(uow, ukprn, reference)
            user = organisation and uow.users.get(organisation.id, credentials.user_name)
    else:
        caller = None  # the caller, read with the counts (one statement), unless refused first

        def read(counted_key: str, names: tuple[str, str]) -> dict[str, FailureCount]:
            nonlocal caller
            with ctx.uow_factory() as uow:
                counts, caller = uow.sign_ins.counts_with_caller(
                    counted_key, names, "ukprn" if ukprn else "reference",
                    ukprn or reference, credentials.user_name)
            return counts

        attempt = sign_in_throttle.check_reading(ctx, key, credentials.user_name, read)
        organisation, user = caller or (None, None)
    refusal = _password_refusal(ctx, organisation, credentials.password)
    if refusal is not None:
        sign_in_throttle.record_failure(ctx, attempt)
        raise refusal
    sign_in_throttle.record_success(ctx, attempt)
    if user is None or not user.active:
        raise InsufficientAccess("the user name is not an active user of this organisation")
    if not may_use(organisation.roles, capability):
        raise InsufficientAccess("the organisation's roles do not include this service")
    return Caller(organisation, credentials.user_name)


def _password_refusal(ctx: ServiceContext, organisation: Organisation | None,
                      password: str) -> LrsError | None:
    """Why these credentials fail, after the same Argon2 work whatever the reason."""
    if organisation is None or not organisation.active or not organisation.password_hash:
        ctx.passwords.verify_nothing(password)
        if organisation is None or not organisation.active:
            return UnknownOrganisation()
        return IncorrectPassword()
    if not ctx.passwords.verify(organisation.password_hash, password):
        return IncorrectPassword()
    return None


# ----- administration (lrs-soap org / user commands) -----

def create_organisation(ctx: ServiceContext, *, name: str, ukprn: str | None,
                        reference: str | None, roles: frozenset[Role],
                        password: str | None = None) -> Organisation:
    """Register an organisation (with its password, when one is given) in one transaction;
    every value is checked first, so a refusal leaves nothing behind."""
    if not name.strip() or len(name) > MAX_ORGANISATION_NAME:
        raise AdminError(f"a name is 1 to {MAX_ORGANISATION_NAME} characters and not blank")
    if not ukprn and not reference:
        raise AdminError("an organisation needs a UKPRN or an OrganisationRef")
    if ukprn and not (len(ukprn) == 8 and ukprn.isalnum()):
        raise AdminError("a UKPRN is exactly 8 letters or digits")
    if reference and not (len(reference) == 6 and reference.isalnum()):
        raise AdminError("an OrganisationRef is exactly 6 letters or digits")
    if not roles:
        raise AdminError("an organisation needs at least one role (LRB, AO)")
    if problem := roles_problem(roles):
        raise AdminError(problem)
    problem = password is not None and passwords.format_problem(password)
    if problem:
        raise AdminError(problem)
    with ctx.uow_factory() as uow:
        if ukprn and uow.organisations.by_ukprn(ukprn):
            raise AdminError(f"UKPRN {ukprn} is already registered")
        if reference and uow.organisations.by_reference(reference):
            raise AdminError(f"OrganisationRef {reference} is already registered")
        organisation = uow.organisations.add(name=name, ukprn=ukprn, reference=reference,
                                             roles=roles)
        uow.audit.record(at=ctx.clock(), organisation_id=organisation.id, user_name=None,
                         action="organisation.create", detail={"name": name})
        if password is not None:
            uow.organisations.set_password_hash(organisation.id, ctx.passwords.hash(password))
            uow.audit.record(at=ctx.clock(), organisation_id=organisation.id, user_name=None,
                             action="organisation.password")
        uow.commit()
    return organisation


def set_password(ctx: ServiceContext, organisation_key: str, password: str | None = None) -> str:
    """Set (or rotate to a generated) organisation password; returns it so it can be shown once."""
    password = password or passwords.generate()
    problem = passwords.format_problem(password)
    if problem:
        raise AdminError(problem)
    with ctx.uow_factory() as uow:
        organisation = _require_organisation(uow, organisation_key)
        uow.organisations.set_password_hash(organisation.id, ctx.passwords.hash(password))
        uow.audit.record(at=ctx.clock(), organisation_id=organisation.id, user_name=None,
                         action="organisation.password")
        uow.commit()
    return password


def set_organisation_active(ctx: ServiceContext, organisation_key: str, active: bool) -> None:
    with ctx.uow_factory() as uow:
        organisation = _require_organisation(uow, organisation_key)
        uow.organisations.set_active(organisation.id, active)
        uow.audit.record(at=ctx.clock(), organisation_id=organisation.id, user_name=None,
                         action="organisation.reinstate" if active else "organisation.revoke")
        uow.commit()


def create_user(ctx: ServiceContext, organisation_key: str, user_name: str) -> User:
    if not (1 <= len(user_name) <= 35) or not user_name.strip():
        raise AdminError("a user name is 1 to 35 characters and not blank")
    with ctx.uow_factory() as uow:
        organisation = _require_organisation(uow, organisation_key)
        if uow.users.get(organisation.id, user_name):
            raise AdminError(f"user {user_name!r} already exists in {organisation.name}")
        user = uow.users.add(organisation.id, user_name)
        uow.audit.record(at=ctx.clock(), organisation_id=organisation.id, user_name=user_name,
                         action="user.create")
        uow.commit()
    return user


def set_user_active(ctx: ServiceContext, organisation_key: str, user_name: str,
                    active: bool) -> None:
    with ctx.uow_factory() as uow:
        organisation = _require_organisation(uow, organisation_key)
        user = uow.users.get(organisation.id, user_name)
        if user is None:
            raise AdminError(f"no user {user_name!r} in {organisation.name}")
        uow.users.set_active(user.id, active)
        uow.audit.record(at=ctx.clock(), organisation_id=organisation.id, user_name=user_name,
                         action="user.reinstate" if active else "user.revoke")
        uow.commit()


def list_organisations(ctx: ServiceContext) -> list[tuple[Organisation, list[User]]]:
    with ctx.uow_factory() as uow:
        return [(org, uow.users.list_for(org.id)) for org in uow.organisations.list_all()]


def _require_organisation(uow: UnitOfWork, key: str) -> Organisation:
    """An organisation named by its UKPRN (8 characters) or OrganisationRef (6)."""
    organisation = uow.organisations.by_ukprn(key) or uow.organisations.by_reference(key)
    if organisation is None:
        raise AdminError(f"no organisation with UKPRN or OrganisationRef {key!r}")
    return organisation
