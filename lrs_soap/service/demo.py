"""Demo data: two organisations, their users, and a handful of learners with valid ULNs.

Priya Shah also shows the Personal Learning Record: a duplicate ULN (DEMO_DUPLICATE_ULN)
merged into hers, participation events (one held under the duplicate, shown through the
merge) and an achievement of the demo awarding organisation that can be challenged.

The demo passwords are fixed and printed so that a newcomer can make a first call at once;
they are for local use only (rotate with `lrs-soap org password`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from lrs_soap.domain import participation as participation_rules
from lrs_soap.domain.achievements import EventChange, NewEvent
from lrs_soap.domain.calendar import uk_date
from lrs_soap.domain.model import LearnerDetails, PortalRole, Role
from lrs_soap.domain.names import normalise_postcode
from lrs_soap.service import (
    accounts,
    demo_entries,
    demo_plans,
    learner_admin,
    participation,
    portal_users,
    qualifications,
)
from lrs_soap.service.context import ServiceContext


@dataclass(frozen=True)
class DemoOrganisation:
    name: str
    ukprn: str
    reference: str
    roles: frozenset[Role]
    user_name: str
    password: str
    # the demo user's own Organisation Portal password (the user is the super user)
    portal_password: str


DEMO_ORGANISATIONS = (
    DemoOrganisation("Demo College", "10000001", "DEMLRB",
                     frozenset({Role.LEARNER_REGISTRATION_BODY}), "demo", "DemoCollege2026!",
                     "DemoPortalCollege1"),
    DemoOrganisation("Demo Awarding Body", "10000002", "DEMOAO",
                     frozenset({Role.AWARDING_ORGANISATION}), "demo", "DemoAwarding2026",
                     "DemoPortalAwarding1"),
    # Offender learning (OLASS): keeps learner plans (docs/learner-plans.md)
    DemoOrganisation("Demo Prison Education", "10000005", "DEMOLS",
                     frozenset({Role.LEARNER_REGISTRATION_BODY, Role.OLASS}), "trainer",
                     "DemoTrainer2026!", "DemoPortalTrainer1"),
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


# A second ULN issued to Priya Shah by mistake, merged into her ULN (DEMO_MASTER_ULN):
# `lrs-client find-by-uln 2468013572 Priya Shah` answers WSRC0022 with the master.
DEMO_MASTER_ULN = "1964986809"
DEMO_DUPLICATE_ULN = "2468013572"
DEMO_DUPLICATE = LearnerDetails("Priya", "Shah", dt.date(2007, 3, 9), "2", "LE1 5WW")
# Her achievement, awarded by the Demo Awarding Body (its id is filled in when loading).
DEMO_ACHIEVEMENT = NewEvent(
    learner_uln=DEMO_MASTER_ULN, qualification_reference="100/2510/8",
    subject="Demo Level 2 Certificate in Horticulture", qualification_type="Certificate",
    level="Level 2", credits=13, grade="Merit", award_date=dt.date(2025, 7, 15),
    achievement_provider_ukprn="10000001", awarding_organisation_id=0,
    language_for_assessment="English", status="F")
_PROVIDER = {"provider_ukprn": "10000001", "provider_name": "Demo College"}
DEMO_PARTICIPATION = (
    {"uln": DEMO_MASTER_ULN, "source": "NPD", "subject_code": "50079116",
     "subject": "GCSE in Mathematics", "qualification_type": "GCSE", "level": "Level 2",
     "start_date": "2021-09-01", "end_date": "2023-06-30", "award_date": "2023-08-24",
     "grade": "7", "collection_type": "A", **_PROVIDER},
    {"uln": DEMO_MASTER_ULN, "source": "ILR", "subject_code": "60312345",
     "subject": "Level 3 Diploma in Digital Skills", "qualification_type": "Diploma",
     "level": "Level 3", "start_date": "2023-09-04", "end_date": "2025-06-30",
     "collection_type": "W", "return_number": "02", **_PROVIDER},
    {"uln": DEMO_DUPLICATE_ULN, "source": "ILR", "subject_code": "ZFS00001",
     "subject": "Functional Skills English Level 2", "qualification_type": "Functional Skills",
     "level": "Level 2", "start_date": "2023-09-04", "end_date": "2024-06-28",
     "grade": "Pass", "award_date": "2024-07-19", "collection_type": "W",
     "return_number": "12", **_PROVIDER},
)


def load(ctx: ServiceContext) -> tuple[list[DemoOrganisation], bool]:
    """Load the demo data, or put it back as documented when it is already there (a changed
    password, a revoked organisation or user, edited learner details, an unmerged duplicate
    or a corrected grade is restored; data that is not the demo's is left alone).
    Returns the demo organisations and whether they were created now."""
    with ctx.uow_factory() as uow:
        loaded_now = uow.organisations.by_ukprn(DEMO_ORGANISATIONS[0].ukprn) is None
    _organisations(ctx)
    qualifications.load_demo_qualifications(ctx)  # an upsert: edits are replaced
    _learners(ctx)
    _record(ctx)
    demo_entries.load_entries(ctx)
    demo_plans.load_plans(ctx)
    return list(DEMO_ORGANISATIONS), loaded_now


def _organisations(ctx: ServiceContext) -> None:
    for demo in DEMO_ORGANISATIONS:
        with ctx.uow_factory() as uow:
            held = uow.organisations.by_ukprn(demo.ukprn)
        if held is None:
            accounts.create_organisation(ctx, name=demo.name, ukprn=demo.ukprn,
                                         reference=demo.reference, roles=demo.roles,
                                         password=demo.password)
            accounts.create_user(ctx, demo.ukprn, demo.user_name)
            portal_users.set_portal_account(ctx, demo.ukprn, demo.user_name,
                                            demo.portal_password, PortalRole.SUPER_USER)
            continue
        if not (held.password_hash and ctx.passwords.verify(held.password_hash, demo.password)):
            accounts.set_password(ctx, demo.ukprn, demo.password)
        if not held.active:
            accounts.set_organisation_active(ctx, demo.ukprn, True)
        with ctx.uow_factory() as uow:
            user = uow.users.get(held.id, demo.user_name)
        if user is None:
            accounts.create_user(ctx, demo.ukprn, demo.user_name)
        elif not user.active:
            accounts.set_user_active(ctx, demo.ukprn, demo.user_name, True)
        portal_users.set_portal_account(ctx, demo.ukprn, demo.user_name,
                                        demo.portal_password, PortalRole.SUPER_USER)


def _learners(ctx: ServiceContext) -> None:
    now = ctx.clock()
    with ctx.uow_factory() as uow:
        for uln, details in (*DEMO_LEARNERS, (DEMO_DUPLICATE_ULN, DEMO_DUPLICATE)):
            details = _normalised(details)
            held = uow.learners.by_uln(uln)
            if held is None:
                if uow.uln_registry.claim(uln, now):
                    uow.learners.add(uln, details, registered_by=None, now=now)
            elif held.details != details:
                uow.learners.update_details(uln, details, expected_version=held.version_number,
                                            now=now)
        uow.commit()


def _record(ctx: ServiceContext) -> None:
    """Priya Shah's duplicate ULN merged into hers, her achievement and participation events."""
    now = ctx.clock()
    with ctx.uow_factory() as uow:
        awarding = uow.organisations.by_ukprn(DEMO_ORGANISATIONS[1].ukprn)
        event = replace(DEMO_ACHIEVEMENT, awarding_organisation_id=awarding.id)
        key = (event.learner_uln, event.qualification_reference, awarding.id)
        held = uow.achievements.events_by_keys([key]).get(key)
        if held is None:
            uow.achievements.add_events([event], job_id=None, now=now)
        else:
            documented = vars(event)
            changed = {name: value for name, value in documented.items()
                       if getattr(held, name) != value}
            if changed:
                uow.achievements.update_events([EventChange(held.id, changed)], now=now)
        uow.commit()
    participation.import_events(ctx, [dict(row) for row in DEMO_PARTICIPATION
                                      if row["uln"] != DEMO_DUPLICATE_ULN], actor="demo")
    _duplicates_events(ctx)
    with ctx.uow_factory() as uow:
        merged = uow.learners.by_uln(DEMO_DUPLICATE_ULN).master_uln == DEMO_MASTER_ULN
    if not merged:  # last, as an administrator would: the duplicate's events move over
        learner_admin.merge(ctx, DEMO_DUPLICATE_ULN, DEMO_MASTER_ULN, actor="demo")


def _duplicates_events(ctx: ServiceContext) -> None:
    """The events recorded under the duplicate ULN stay under it, merged or not (an import
    would file them under the master once the ULN is merged)."""
    now = ctx.clock()
    with ctx.uow_factory() as uow:
        for row in DEMO_PARTICIPATION:
            if row["uln"] != DEMO_DUPLICATE_ULN:
                continue
            record, _ = participation_rules.row_errors(row, uk_date(now))
            key = record.key(DEMO_DUPLICATE_ULN)
            held = uow.records.participation_ids([key])
            if key in held:
                uow.records.update_participation([(held[key], record)], now=now)
            else:
                uow.records.add_participation([(DEMO_DUPLICATE_ULN, record)], now=now)
        uow.commit()


def _normalised(details: LearnerDetails) -> LearnerDetails:
    return replace(details, postcode=normalise_postcode(details.postcode))
