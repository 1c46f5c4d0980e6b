"""Looking up an organisation registered with the LRS (R9 GetOrganisation).

An organisation's name, UKPRN, OrganisationRef and whether it is active are public facts
(UKPRNs are published by the UK Register of Learning Providers); its roles, users and
password are not, and are never returned.
"""

from __future__ import annotations

from dataclasses import dataclass

from lrs_soap.domain.codes import ResponseCode
from lrs_soap.domain.model import Organisation
from lrs_soap.service.accounts import Caller
from lrs_soap.service.context import ServiceContext
from lrs_soap.service.lookups import organisation_named

ACTIVE, INACTIVE = "Active", "Inactive"


@dataclass(frozen=True)
class OrganisationInfo:
    code: ResponseCode  # WSRC0004 found, WSRC0001 not found
    name: str | None = None
    ukprn: str | None = None
    reference: str | None = None
    status: str | None = None  # ACTIVE or INACTIVE (revoked)


def organisation_info(ctx: ServiceContext, caller: Caller, ukprn: str | None,
                      reference: str | None) -> OrganisationInfo:
    """The organisation with this UKPRN and/or OrganisationRef (both given: they must name
    the same one); neither given: the caller's own."""
    if not ukprn and not reference:
        return _info(caller.organisation)
    with ctx.uow_factory() as uow:
        found = organisation_named(uow, ukprn, reference)
    return _info(found) if found is not None else OrganisationInfo(ResponseCode.NO_MATCH)


def _info(organisation: Organisation) -> OrganisationInfo:
    return OrganisationInfo(ResponseCode.EXACT_MATCH, organisation.name, organisation.ukprn,
                            organisation.reference,
                            ACTIVE if organisation.active else INACTIVE)
