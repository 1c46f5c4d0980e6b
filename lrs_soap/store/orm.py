"""The only table definitions. Migrations in migrations/versions must agree (``db check``).

Column names of ``learners`` equal the field names of domain.model.LearnerDetails, so the
repository maps them one to one.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy import false as sa_false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Deterministic constraint names, so migrations can refer to them on every dialect.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
# NFKD can lengthen a 35-character name ("ß" -> "ss"); keys are cut to this length.
NAME_KEY_LENGTH = 105
MATCH_INDEX_COLUMNS = ("date_of_birth", "gender", "postcode_key", "family_name_key",
                       "given_name_key", "status", "given_name", "family_name",
                       "previous_family_name", "id")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UtcDateTime(TypeDecorator[dt.datetime]):
    """Aware datetimes in, aware UTC datetimes out, on every dialect.

    SQLite keeps no offset, so values are stored as naive UTC there and marked UTC on the
    way back. Naive values are refused: their zone is a guess.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: timestamps must be timezone-aware")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _org_fk(nullable: bool = False) -> Mapped:
    return mapped_column(ForeignKey("organisations.id"), nullable=nullable)


class OrganisationRow(Base):
    __tablename__ = "organisations"
    __table_args__ = (
        CheckConstraint("ukprn IS NOT NULL OR reference IS NOT NULL", name="ukprn_or_reference"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    ukprn: Mapped[str | None] = mapped_column(String(8), unique=True)
    reference: Mapped[str | None] = mapped_column(String(6), unique=True)  # OrganisationRef
    is_learner_registration_body: Mapped[bool] = mapped_column(Boolean, default=False)
    is_awarding_organisation: Mapped[bool] = mapped_column(Boolean, default=False)
    is_olass: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_hash: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class UserRow(Base):
    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("organisation_id", "user_name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = _org_fk()
    user_name: Mapped[str] = mapped_column(String(35))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The Organisation Portal: the user's own Argon2id password and role (domain PortalRole)
    portal_password_hash: Mapped[str | None] = mapped_column(Text)
    portal_role: Mapped[str] = mapped_column(String(20), default="USER", server_default="USER")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class LearnerRow(Base):
    __tablename__ = "learners"
    __table_args__ = (
        # The demographic search reads its shortlist from this index alone: every column
        # it judges is here, so the ~140 learners born on a day cost a few index pages, not
        # ~140 table pages (store.repositories.demographic_candidates).
        Index("ix_learners_match", *MATCH_INDEX_COLUMNS),
        Index("ix_learners_postcode_key_dob", "postcode_key", "date_of_birth"),
        Index("ix_learners_family_given_key", "family_name_key", "given_name_key"),
        # One active learner per five demographics (lrs-rules 3.3): the database settles
        # racing registrations of the same person.
        Index("uq_learners_active_demographics", "demographics_key", unique=True,
              sqlite_where=text("status = '1'"), postgresql_where=text("status = '1'")),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uln: Mapped[str] = mapped_column(String(10), unique=True)
    given_name: Mapped[str] = mapped_column(String(35))
    family_name: Mapped[str] = mapped_column(String(35))
    date_of_birth: Mapped[dt.date] = mapped_column(Date)
    gender: Mapped[str] = mapped_column(String(1))
    postcode: Mapped[str] = mapped_column(String(9))
    verification_type: Mapped[str] = mapped_column(String(3))
    ability_to_share: Mapped[str] = mapped_column(String(1))
    title: Mapped[str | None] = mapped_column(String(35))
    middle_other_name: Mapped[str | None] = mapped_column(String(35))
    preferred_given_name: Mapped[str | None] = mapped_column(String(35))
    previous_family_name: Mapped[str | None] = mapped_column(String(35))
    family_name_at_16: Mapped[str | None] = mapped_column(String(35))
    school_at_age_16: Mapped[str | None] = mapped_column(String(254))
    address_line1: Mapped[str | None] = mapped_column(String(50))
    address_line2: Mapped[str | None] = mapped_column(String(50))
    address_town: Mapped[str | None] = mapped_column(String(50))
    address_county_or_city: Mapped[str | None] = mapped_column(String(50))
    date_of_address_capture: Mapped[dt.date | None] = mapped_column(Date)
    place_of_birth: Mapped[str | None] = mapped_column(String(35))
    email_address: Mapped[str | None] = mapped_column(String(254))
    nationality: Mapped[str | None] = mapped_column(String(3))
    scottish_candidate_number: Mapped[str | None] = mapped_column(String(9))
    other_verification_description: Mapped[str | None] = mapped_column(String(255))
    notes: Mapped[str | None] = mapped_column(String(4000))
    given_name_key: Mapped[str] = mapped_column(String(NAME_KEY_LENGTH))
    family_name_key: Mapped[str] = mapped_column(String(NAME_KEY_LENGTH))
    previous_family_name_key: Mapped[str | None] = mapped_column(String(NAME_KEY_LENGTH))
    postcode_key: Mapped[str] = mapped_column(String(9))
    demographics_key: Mapped[str] = mapped_column(String(64))  # domain.matching.demographics_key
    version_number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(1))  # domain.model.LearnerStatus
    tier_level: Mapped[str] = mapped_column(String(1), default="0", server_default="0")
    master_uln: Mapped[str | None] = mapped_column(String(10), index=True)
    registered_by_organisation_id: Mapped[int | None] = _org_fk(nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class UlnRegistryRow(Base):
    """Every ULN ever issued: minting claims a row, so no ULN is issued twice."""

    __tablename__ = "uln_registry"
    uln: Mapped[str] = mapped_column(String(10), primary_key=True)
    issued_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    retired_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class DemographicSearchRow(Base):
    """Recent finds: a registration must follow a find for the same demographics."""

    __tablename__ = "demographic_searches"
    __table_args__ = (
        Index("ix_demographic_searches_org_key_at",
              "organisation_id", "demographics_key", "searched_at"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = _org_fk()
    demographics_key: Mapped[str] = mapped_column(String(64))  # sha256 hex
    outcome_code: Mapped[str] = mapped_column(String(8))  # WSRC code
    searched_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class QualificationRow(Base):
    __tablename__ = "qualifications"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(30), unique=True)
    title: Mapped[str] = mapped_column(String(255))
    qualification_type: Mapped[str | None] = mapped_column(String(100))
    level: Mapped[str | None] = mapped_column(String(50))
    is_unit: Mapped[bool] = mapped_column(Boolean, default=False)
    owner_organisation_id: Mapped[int | None] = _org_fk(nullable=True)
    shared: Mapped[bool] = mapped_column(Boolean, default=True)
    credits: Mapped[int | None] = mapped_column(Integer)


class LearningEventRow(Base):
    """One achievement or participation on a learner's Personal Learning Record."""

    __tablename__ = "learning_events"
    __table_args__ = (
        # One achievement per learner, qualification and awarding organisation.
        Index("uq_learning_events_ao_achievement", "learner_uln", "qualification_reference",
              "awarding_organisation_id", unique=True, sqlite_where=text("source = 'AO'"),
              postgresql_where=text("source = 'AO'")),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_uln: Mapped[str] = mapped_column(String(10), index=True)
    source: Mapped[str] = mapped_column(String(10))  # ILR, NPD, QCFU, AO...
    qualification_reference: Mapped[str | None] = mapped_column(String(30))
    subject: Mapped[str | None] = mapped_column(String(255))
    qualification_type: Mapped[str | None] = mapped_column(String(100))
    level: Mapped[str | None] = mapped_column(String(50))
    credits: Mapped[int | None] = mapped_column(Integer)
    grade: Mapped[str | None] = mapped_column(String(50))
    award_date: Mapped[dt.date | None] = mapped_column(Date)
    achievement_provider_ukprn: Mapped[str | None] = mapped_column(String(8))
    achievement_provider_name: Mapped[str | None] = mapped_column(String(255))
    awarding_organisation_id: Mapped[int | None] = _org_fk(nullable=True)
    language_for_assessment: Mapped[str | None] = mapped_column(String(50))
    status: Mapped[str] = mapped_column(String(1))  # P provisional, F final
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)
    participation_start_date: Mapped[dt.date | None] = mapped_column(Date)
    participation_end_date: Mapped[dt.date | None] = mapped_column(Date)
    collection_type: Mapped[str | None] = mapped_column(String(5))
    return_number: Mapped[str | None] = mapped_column(String(5))
    restriction: Mapped[str | None] = mapped_column(String(5))
    date_loaded: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    created_by_job_id: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class BatchJobRow(Base):
    """A submitted batch; ``id`` is the JobID given to the caller."""

    __tablename__ = "batch_jobs"
    # Workers pick waiting jobs and jobs whose lease has expired.
    __table_args__ = (Index("ix_batch_jobs_status_lease", "status", "lease_expires_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = _org_fk()
    user_name: Mapped[str] = mapped_column(String(35))
    kind: Mapped[str] = mapped_column(String(20))  # learner_registration, verification, ...
    job_type: Mapped[str | None] = mapped_column(String(3))  # FUL / CHK
    submission_type: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))
    status: Mapped[str] = mapped_column(String(20))  # waiting, in_progress, successful, failed
    record_count: Mapped[int] = mapped_column(Integer)
    submitted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    started_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    lease_owner: Mapped[str | None] = mapped_column(String(100))
    lease_expires_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    failure_reason: Mapped[str | None] = mapped_column(Text)
    counters: Mapped[dict | None] = mapped_column(JSON)


class BatchRecordRow(Base):
    __tablename__ = "batch_records"
    __table_args__ = (UniqueConstraint("job_id", "sequence"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("batch_jobs.id", ondelete="CASCADE"))
    sequence: Mapped[int] = mapped_column(Integer)
    payload: Mapped[dict] = mapped_column(JSON)  # the record as submitted
    outcome_code: Mapped[str | None] = mapped_column(String(20))
    result: Mapped[dict | None] = mapped_column(JSON)
    processed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class LearnerLinkRow(Base):
    """A merge of ``merged_uln`` into ``master_uln``; kept after an unmerge for history."""

    __tablename__ = "learner_links"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    merged_uln: Mapped[str] = mapped_column(String(10), index=True)
    master_uln: Mapped[str] = mapped_column(String(10), index=True)
    merged_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    unmerged_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    merged_by: Mapped[str] = mapped_column(String(100))


class DataChallengeRow(Base):
    __tablename__ = "data_challenges"
    __table_args__ = (
        # One open challenge per organisation per event (per ULN and type): the database
        # settles two racing raises, which both saw none open.
        Index("uq_data_challenges_open_event", "learning_event_id", "raised_by_organisation_id",
              unique=True, sqlite_where=text("kind = 'event' AND status = 'open'"),
              postgresql_where=text("kind = 'event' AND status = 'open'")),
        Index("uq_data_challenges_open_uln", "uln", "challenge_type",
              "raised_by_organisation_id", unique=True,
              sqlite_where=text("kind = 'uln' AND status = 'open'"),
              postgresql_where=text("kind = 'uln' AND status = 'open'")),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # event, uln
    learning_event_id: Mapped[int | None] = mapped_column(ForeignKey("learning_events.id"))
    uln: Mapped[str | None] = mapped_column(String(10))
    challenge_type: Mapped[str | None] = mapped_column(String(30))
    raised_by_organisation_id: Mapped[int] = _org_fk()
    raised_by_user: Mapped[str] = mapped_column(String(35))
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))  # open, accepted, rejected, resolved
    resolution: Mapped[str | None] = mapped_column(Text)
    raised_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    resolved_by_organisation_id: Mapped[int | None] = _org_fk(nullable=True)


class AuditLogRow(Base):
    """Who did what to which learner. No foreign keys: the log outlives what it names."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    organisation_id: Mapped[int | None] = mapped_column(Integer)
    user_name: Mapped[str | None] = mapped_column(String(35))
    action: Mapped[str] = mapped_column(String(50), index=True)
    uln: Mapped[str | None] = mapped_column(String(10), index=True)
    detail: Mapped[dict | None] = mapped_column(JSON)


# ----- harness control (lrs_soap.control): shared by every web and batch worker process -----

class ControlSettingRow(Base):
    """One named piece of control state (the clock, batch timing, the minting seed)."""

    __tablename__ = "control_settings"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[dict] = mapped_column(JSON)


class ControlCounterRow(Base):
    """Counters of deterministic minting: the n-th ULN or JobID drawn from the seed."""

    __tablename__ = "control_counters"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


class ControlFaultRow(Base):
    """An injected fault: the next ``remaining`` matching SOAP calls get ``action``."""

    __tablename__ = "control_faults"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    operation: Mapped[str | None] = mapped_column(String(100))  # None: any operation
    organisation: Mapped[str | None] = mapped_column(String(20))  # UKPRN or ref; None: any
    action: Mapped[str] = mapped_column(String(10))  # fault, http, delay, drop
    code: Mapped[str | None] = mapped_column(String(20))  # WSEC0999 / 503
    delay_ms: Mapped[int | None] = mapped_column(Integer)
    remaining: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class SignInFailureRow(Base):
    """Failed sign-ins per organisation and user name as sent ('' = any user of it)."""

    __tablename__ = "sign_in_failures"
    organisation: Mapped[str] = mapped_column(String(110), primary_key=True)
    user_name: Mapped[str] = mapped_column(String(100), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    last_failure_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    blocked_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class WorkerHeartbeatRow(Base):
    """Batch workers alive: each refreshes its row while it runs (what /healthz reports)."""

    __tablename__ = "worker_heartbeats"
    worker: Mapped[str] = mapped_column(String(200), primary_key=True)
    started_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    seen_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class BatchExceptionRow(Base):
    """A learner batch record left for its organisation to resolve (exceptions process);
    its details stay in the batch record (``job_id``, ``record_number``)."""

    __tablename__ = "batch_exceptions"
    __table_args__ = (UniqueConstraint("job_id", "record_number"),
                      Index("ix_batch_exceptions_organisation_status",
                            "organisation_id", "status"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = _org_fk()
    job_id: Mapped[int] = mapped_column(ForeignKey("batch_jobs.id", ondelete="CASCADE"))
    record_number: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(8))  # WSRC0003, WSRC0002
    possible_ulns: Mapped[list] = mapped_column(JSON)
    raised_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(10))  # OPEN, LINKED, REGISTERED, DISCARDED
    resolved_uln: Mapped[str | None] = mapped_column(String(10))
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    resolved_by: Mapped[str | None] = mapped_column(String(35))
    reason: Mapped[str | None] = mapped_column(Text)


class RequestJournalRow(Base):
    """One SOAP call as received and answered (lrs_soap.service.journal); secrets redacted."""

    __tablename__ = "request_journal"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    request_id: Mapped[str] = mapped_column(String(64))
    face: Mapped[str] = mapped_column(String(10))  # native, mirror
    endpoint: Mapped[str] = mapped_column(String(40))
    operation: Mapped[str] = mapped_column(String(60), index=True)
    organisation: Mapped[str | None] = mapped_column(String(20))  # UKPRN or ref, as sent
    user_name: Mapped[str | None] = mapped_column(String(64))
    code: Mapped[str] = mapped_column(String(20))
    http_status: Mapped[int] = mapped_column(Integer)
    latency_ms: Mapped[float] = mapped_column(Float)
    request_envelope: Mapped[bytes | None] = mapped_column(LargeBinary)
    response_envelope: Mapped[bytes | None] = mapped_column(LargeBinary)


class EntryRow(Base):
    """An awarding organisation's entry of a learner for a qualification (domain.entries)."""

    __tablename__ = "entries"
    __table_args__ = (
        Index("ix_entries_organisation_status", "organisation_id", "status"),
        # One live entry per organisation, learner and qualification.
        Index("uq_entries_live", "organisation_id", "holder_uln", "qualification_reference",
              unique=True, sqlite_where=text("status IN ('ENTERED', 'RESULTED')"),
              postgresql_where=text("status IN ('ENTERED', 'RESULTED')")),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = _org_fk()
    uln: Mapped[str] = mapped_column(String(10))
    holder_uln: Mapped[str | None] = mapped_column(String(10), index=True)
    given_name: Mapped[str] = mapped_column(String(35))
    family_name: Mapped[str] = mapped_column(String(35))
    date_of_birth: Mapped[dt.date] = mapped_column(Date)
    gender: Mapped[str] = mapped_column(String(1))
    qualification_reference: Mapped[str] = mapped_column(String(30))
    entry_date: Mapped[dt.date] = mapped_column(Date)
    expected_award_date: Mapped[dt.date] = mapped_column(Date)
    provider_ukprn: Mapped[str | None] = mapped_column(String(8))
    mis_identifier: Mapped[str | None] = mapped_column(String(50))
    status: Mapped[str] = mapped_column(String(10))  # domain.entries.EntryStatus
    reasons: Mapped[list | None] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer)  # compare-and-set: racing results
    submitted_by: Mapped[str] = mapped_column(String(35))
    submitted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class EntryResultRow(Base):
    __tablename__ = "entry_results"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id"), index=True)
    action: Mapped[str] = mapped_column(String(10))  # RECORD, AMEND
    grade: Mapped[str | None] = mapped_column(String(50))
    award_date: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10))  # domain.entries.ResultStatus
    reasons: Mapped[list | None] = mapped_column(JSON)
    event_id: Mapped[int | None] = mapped_column(Integer)
    mis_identifier: Mapped[str | None] = mapped_column(String(50))
    submitted_by: Mapped[str] = mapped_column(String(35))
    submitted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class LearnerPlanRow(Base):
    """An OLASS organisation's plan for one learner (domain.plans)."""

    __tablename__ = "learner_plans"
    __table_args__ = (UniqueConstraint("organisation_id", "uln"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = _org_fk()
    uln: Mapped[str] = mapped_column(String(10), index=True)  # the holding (master) ULN
    goals: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    aims: Mapped[list] = mapped_column(JSON)  # PlannedAim values, in the trainer's order
    version: Mapped[int] = mapped_column(Integer)  # compare-and-set: two trainers saving
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    updated_by: Mapped[str] = mapped_column(String(35))


class LearnerPlanChangeRow(Base):
    """One save of a plan: who (organisation, user), when, what changed."""

    __tablename__ = "learner_plan_history"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("learner_plans.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    organisation_id: Mapped[int] = _org_fk()
    user_name: Mapped[str] = mapped_column(String(35))
    changes: Mapped[list] = mapped_column(JSON)


class LearnerPlanShareRow(Base):
    """The owner shared the plan with another OLASS organisation, which may read it."""

    __tablename__ = "learner_plan_shares"
    __table_args__ = (UniqueConstraint("plan_id", "organisation_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("learner_plans.id"))
    organisation_id: Mapped[int] = _org_fk()
    shared_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    shared_by: Mapped[str] = mapped_column(String(35))


class PortalSessionRow(Base):
    """A signed-in portal session, kept server side: signing out ends it here, so a copy of
    the cookie made before is refused afterwards (only the token's SHA-256 is stored)."""

    __tablename__ = "portal_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    started_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
