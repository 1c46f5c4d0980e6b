"""Learners whose ULN an administrator chooses (harness fixtures), with the usual rules.

A registration mints a random ULN; a test harness needs to know its learners' ULNs in
advance. The ULN must be check-digit valid and never issued before; the details pass the
same normalisation and registration rules as RegisterLearner.
"""

from __future__ import annotations

from lrs_soap.domain import learner_rules
from lrs_soap.domain import uln as uln_rules
from lrs_soap.domain.calendar import uk_date
from lrs_soap.domain.learner_problems import worded
from lrs_soap.domain.model import LearnerDetails
from lrs_soap.service.accounts import AdminError
from lrs_soap.service.context import ServiceContext
from lrs_soap.service.ports import DuplicateLearner


def add_learner(ctx: ServiceContext, uln: str, details: LearnerDetails, *, actor: str) -> None:
    validity = uln_rules.validity(uln)
    if validity is not uln_rules.UlnValidity.VALID or uln in uln_rules.NEVER_ISSUED:
        raise AdminError(f"ULN {uln!r} is not a valid ULN ({validity.value})"
                         if validity is not uln_rules.UlnValidity.VALID
                         else f"ULN {uln} is never issued")
    details = learner_rules.normalise_details(details)
    now = ctx.clock()
    problems = learner_rules.registration_problems(details, uk_date(now))
    if problems:
        raise AdminError(worded(problems, ctx.field_label))
    with ctx.uow_factory() as uow:
        if not uow.uln_registry.claim(uln, now):
            raise AdminError(f"ULN {uln} has been issued already")
        try:
            uow.learners.add(uln, details, registered_by=None, now=now)
        except DuplicateLearner:
            raise AdminError("a learner with the same five demographics exists") from None
        uow.audit.record(at=now, organisation_id=None, user_name=actor[:35],
                         action="learner.add", uln=uln)
        uow.commit()


def restore_password_hash(ctx: ServiceContext, ukprn_or_ref: str, password_hash: str) -> None:
    """Put back an exported Argon2 hash (the password itself is never exported)."""
    if not password_hash.startswith("$argon2"):
        raise AdminError("password_hash is not an Argon2 hash")
    with ctx.uow_factory() as uow:
        organisation = (uow.organisations.by_ukprn(ukprn_or_ref)
                        or uow.organisations.by_reference(ukprn_or_ref))
        if organisation is None:
            raise AdminError(f"no organisation {ukprn_or_ref}")
        uow.organisations.set_password_hash(organisation.id, password_hash)
        uow.commit()
