"""Lookups more than one use case makes, written once."""

from __future__ import annotations

from lrs_soap.domain.model import Learner, Organisation
from lrs_soap.service.ports import UnitOfWork


def learner_and_master(uow: UnitOfWork, uln: str) -> tuple[Learner | None, Learner | None]:
    """The learner holding ``uln`` and, if it was merged, the master it was merged into."""
    found = uow.learners.by_uln(uln)
    master = uow.learners.by_uln(found.master_uln) if found and found.master_uln else None
    return found, master


def held_for_verification(uow: UnitOfWork, uln: str) -> tuple[Learner | None, bool]:
    """Whom a ULN is verified against: its learner, or the master of a merged one (then
    ``linked`` is True and the outcome is a linked match, WSVRC002/004)."""
    found, master = learner_and_master(uow, uln)
    if found is not None and found.master_uln:
        return master, True
    return found, False


UKPRN_LENGTH = 8  # an OrganisationRef has 6 characters (accounts.create_organisation)


def organisation_keys(ukprn: str | None, reference: str | None) -> tuple[str | None, str | None]:
    """The (UKPRN, OrganisationRef) a caller's two fields name. An OrganisationRef holding a
    UKPRN is read as that UKPRN: live clients set OrganisationRef = Ukprn on every call
    (docs/decisions.md). Beside a different Ukprn it stays a reference that names no one,
    so two fields naming two organisations are still refused."""
    if reference and len(reference) == UKPRN_LENGTH and ukprn in (None, reference):
        return reference, None
    return ukprn, reference


def organisation_named(uow: UnitOfWork, ukprn: str | None,
                       reference: str | None) -> Organisation | None:
    """The organisation with this UKPRN and/or OrganisationRef (:func:`organisation_keys`);
    None when unknown, or when both are given and name different organisations."""
    ukprn, reference = organisation_keys(ukprn or None, reference or None)
    by_ukprn = uow.organisations.by_ukprn(ukprn) if ukprn else None
    by_reference = uow.organisations.by_reference(reference) if reference else None
    if ukprn and reference and (by_ukprn is None or by_reference is None
                                or by_ukprn.id != by_reference.id):
        return None
    return by_ukprn or by_reference
