"""Demo data: two organisations, their users, and a handful of learners with valid ULNs.

The demo passwords are fixed and printed so that a newcomer can make a first call at once;
they are for local use only (rotate with `lrs-soap org password`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from lrs_soap.domain.model import LearnerDetails, Role
from lrs_soap.domain.names import normalise_postcode
from lrs_soap.service import accounts, qualifications
from lrs_soap.service.context import ServiceContext


@dataclass(frozen=True)
class DemoOrganisation:
    name: str
    ukprn: str
    reference: str
    roles: frozenset[Role]
    user_name: str
    password: str


DEMO_ORGANISATIONS = (
    DemoOrganisation("Demo College", "10000001", "DEMLRB",
                     frozenset({Role.LEARNER_REGISTRATION_BODY}), "demo", "DemoCollege2026!"),
    DemoOrganisation("Demo Awarding Body", "10000002", "DEMOAO",
                     frozenset({Role.AWARDING_ORGANISATION}), "demo", "DemoAwarding2026"),
)

# Check-digit-valid ULNs (lrs-rules.md 1.3) with fictional people.
DEMO_LEARNERS = (
    ("1026893096", LearnerDetails("Sam", "Example", dt.date(2000, 1, 31), "2", "AB12 3DF",
                                  verification_type="1", title="Ms")),
    ("6936002314", LearnerDetails("Alex", "O'Brien-Smith", dt.date(2004, 6, 15), "1",
                                  "CV4 9EE", previous_family_name="Smith")),
    ("4444599390", LearnerDetails("Chloé", "Dupont", dt.date(2006, 11, 2), "2", "M1 1AE",
                                  email_address="chloe.dupont@example.org")),
    ("1964986809", LearnerDetails("Priya", "Shah", dt.date(2007, 3, 9), "2", "BFPO 123",
                                  place_of_birth="Leicester")),
    ("8383558804", LearnerDetails("Tom", "Jones", dt.date(1998, 12, 24), "1", "SW1A 1AA",
                                  middle_other_name="Woodward")),
)


def load(ctx: ServiceContext) -> tuple[list[DemoOrganisation], bool]:
    """Load the demo data if absent. Returns the demo organisations and whether it loaded now."""
    with ctx.uow_factory() as uow:
        if uow.organisations.by_ukprn(DEMO_ORGANISATIONS[0].ukprn) is not None:
            return list(DEMO_ORGANISATIONS), False
    for demo in DEMO_ORGANISATIONS:
        accounts.create_organisation(ctx, name=demo.name, ukprn=demo.ukprn,
                                     reference=demo.reference, roles=demo.roles)
        accounts.set_password(ctx, demo.ukprn, demo.password)
        accounts.create_user(ctx, demo.ukprn, demo.user_name)
    qualifications.load_demo_qualifications(ctx)
    now = ctx.clock()
    with ctx.uow_factory() as uow:
        for uln, details in DEMO_LEARNERS:
            details = _normalised(details)
            if uow.uln_registry.claim(uln, now):
                uow.learners.add(uln, details, registered_by=None, now=now)
        uow.commit()
    return list(DEMO_ORGANISATIONS), True


def _normalised(details: LearnerDetails) -> LearnerDetails:
    return replace(details, postcode=normalise_postcode(details.postcode))
