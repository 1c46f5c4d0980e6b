"""The records the rules work on. Plain frozen dataclasses: the store maps rows to these."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class FindType(StrEnum):
    """What a search answers (FindByULN, FindByDemographics, a learner batch's JobType)."""

    FULL = "FUL"  # the learners; a batch job registers and updates them
    CHECK = "CHK"  # only the outcome, without personal data; a batch job changes nobody

    @classmethod
    def check_only(cls, sent: str | None) -> bool:
        """Whether the FindType or JobType sent asks for a check only (absent: a full one)."""
        return sent == cls.CHECK


class Role(StrEnum):
    LEARNER_REGISTRATION_BODY = "LRB"
    AWARDING_ORGANISATION = "AO"
    OLASS = "OLASS"  # a learner registration body in offender learning: keeps learner plans


@dataclass(frozen=True)
class Organisation:
    id: int
    name: str
    ukprn: str | None
    reference: str | None
    roles: frozenset[Role]
    active: bool
    password_hash: str | None  # None until an administrator sets one: every call is refused

    def has_role(self, role: Role) -> bool:
        return role in self.roles


class PortalRole(StrEnum):
    """What a user may do in the Organisation Portal beyond the organisation's roles."""

    USER = "USER"  # the organisation's services (its LRB/AO roles decide which)
    SUPER_USER = "SUPER_USER"  # also manages the organisation's users (charter: Account Management)


@dataclass(frozen=True)
class User:
    id: int
    organisation_id: int
    user_name: str
    active: bool
    portal_role: PortalRole = PortalRole.USER
    portal_password_hash: str | None = None  # None: may call SOAP, may not sign in to the portal


@dataclass(frozen=True)
class LearnerDetails:
    """Every LearnerToRegister field (lrs-wire.md 3.7), as the LRS holds them."""

    given_name: str
    family_name: str
    date_of_birth: dt.date
    gender: str  # 0 not known, 1 male, 2 female, 9 not specified
    postcode: str  # stored normalised: upper case, one space before the inward code
    verification_type: str = "0"
    ability_to_share: str = "1"
    title: str | None = None
    middle_other_name: str | None = None
    preferred_given_name: str | None = None
    previous_family_name: str | None = None
    family_name_at_16: str | None = None
    school_at_age_16: str | None = None
    address_line1: str | None = None
    address_line2: str | None = None
    address_town: str | None = None
    address_county_or_city: str | None = None
    date_of_address_capture: dt.date | None = None
    place_of_birth: str | None = None
    email_address: str | None = None
    nationality: str | None = None
    scottish_candidate_number: str | None = None
    other_verification_description: str | None = None
    notes: str | None = None


class LearnerStatus(StrEnum):
    # lrs-rules 2.5: meanings not published; our choice, documented in docs/decisions.md
    RETIRED = "0"
    ACTIVE = "1"
    MERGED = "2"


@dataclass(frozen=True)
class Learner:
    id: int
    uln: str
    details: LearnerDetails
    version_number: int
    status: LearnerStatus
    tier_level: str
    created_at: dt.datetime
    updated_at: dt.datetime
    master_uln: str | None = None  # set when this ULN was merged into a master
    linked_ulns: tuple[str, ...] = field(default=())  # ULNs merged into this one


@dataclass(frozen=True)
class LearningEvent:
    """One event on a learner's Personal Learning Record, as stored (lrs-wire 4.3).

    Field -> LearningEvent element: id ID, source Source, date_loaded DateLoaded,
    qualification_reference SubjectCode, subject Subject, award_date AchievementAwardDate,
    awarding_organisation_ukprn/_name AwardingOrganisationUkprn/Name (from the awarding
    organisation, None when there is none), under_data_challenge UnderDataChallenge (an open
    learning event data challenge), the others their namesakes. ``withdrawn`` events are
    kept but hidden from the PLR; ``status`` is "P" provisional or "F" final.
    """

    id: int
    learner_uln: str
    source: str  # ILR, NPD, QCFU, AO (awarding organisation achievements)
    status: str
    date_loaded: dt.datetime
    qualification_reference: str | None = None
    subject: str | None = None
    qualification_type: str | None = None
    level: str | None = None
    credits: int | None = None
    grade: str | None = None
    award_date: dt.date | None = None
    achievement_provider_ukprn: str | None = None
    achievement_provider_name: str | None = None
    awarding_organisation_id: int | None = None
    awarding_organisation_ukprn: str | None = None
    awarding_organisation_name: str | None = None
    language_for_assessment: str | None = None
    participation_start_date: dt.date | None = None
    participation_end_date: dt.date | None = None
    collection_type: str | None = None
    return_number: str | None = None
    restriction: str | None = None
    withdrawn: bool = False
    under_data_challenge: bool = False
    created_by_job_id: int | None = None
    updated_at: dt.datetime | None = None
