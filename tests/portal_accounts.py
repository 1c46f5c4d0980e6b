"""Another organisation with a portal account, for the portal's tests (through Flask's test
client, tests/portal, and in the browser, tests/browser): the "organisation B" whose
requests for organisation A's ids must be "not found"."""

from __future__ import annotations

from lrs_soap.domain.model import PortalRole, Role
from lrs_soap.service import accounts, portal_users
from lrs_soap.service.context import ServiceContext


def organisation_with_portal_user(
        services: ServiceContext, *, name: str, ukprn: str, roles: set[Role],
        password: str, reference: str | None = None, user_name: str = "boss",
        portal_role: PortalRole = PortalRole.SUPER_USER,
        soap_password: str | None = None) -> tuple[str, str, str]:
    """Register the organisation (with ``soap_password`` as its SOAP password, if given) and
    one user who signs in to the portal with ``password``; returns the portal sign-in
    (organisation, user name, password)."""
    accounts.create_organisation(services, name=name, ukprn=ukprn, reference=reference,
                                 roles=frozenset(roles), password=soap_password)
    accounts.create_user(services, ukprn, user_name)
    portal_users.set_portal_account(services, ukprn, user_name, password, portal_role)
    return ukprn, user_name, password
