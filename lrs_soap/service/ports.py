"""What the service layer needs from the outside world. The store implements these;
unit tests use in-memory fakes (tests/unit/fakes.py)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Protocol, Self

from lrs_soap.domain.achievements import EventChange, NewEvent, Qualification
from lrs_soap.domain.batch_exceptions import BatchException, ExceptionStatus
from lrs_soap.domain.batches import JobKind, JobStatus, Payload, RecordOutcome
from lrs_soap.domain.challenges import ChallengeKind, ChallengeStatus, DataChallenge
from lrs_soap.domain.learner_admin import DeletedEntry, LinkEntry
from lrs_soap.domain.matching import DemographicQuery
from lrs_soap.domain.model import (
    Learner,
    LearnerDetails,
    LearningEvent,
    Organisation,
    PortalRole,
    Role,
    User,
)
from lrs_soap.domain.participation import Participation, ParticipationKey
from lrs_soap.service.entry_ports import EntryStore
from lrs_soap.service.plan_ports import PlanStore


class OrganisationRepository(Protocol):
    def by_ukprn(self, ukprn: str) -> Organisation | None: ...
    def by_reference(self, reference: str) -> Organisation | None: ...
    def by_id(self, organisation_id: int) -> Organisation | None: ...
    def with_user(self, column: str, key: str,
                  user_name: str) -> tuple[Organisation, User | None] | None:
        """By ``column`` "ukprn" or "reference", with its user of that name (or None)."""
        ...
    def list_all(self) -> list[Organisation]: ...
    def add(self, *, name: str, ukprn: str | None, reference: str | None,
            roles: frozenset[Role]) -> Organisation: ...
    def set_password_hash(self, organisation_id: int, password_hash: str) -> None: ...
    def set_active(self, organisation_id: int, active: bool) -> None: ...


class UserRepository(Protocol):
    def get(self, organisation_id: int, user_name: str) -> User | None: ...
    def list_for(self, organisation_id: int) -> list[User]: ...
    def by_id(self, user_id: int) -> User | None: ...
    def add(self, organisation_id: int, user_name: str, *,
            portal_role: PortalRole = PortalRole.USER,
            portal_password_hash: str | None = None) -> User: ...
    def set_active(self, user_id: int, active: bool) -> None: ...
    def set_portal_password_hash(self, user_id: int, password_hash: str) -> None: ...
    def set_portal_role(self, user_id: int, role: PortalRole) -> None: ...


class DuplicateChallenge(Exception):
    """The organisation already has this challenge open (raised by ChallengeStore.add)."""


class DuplicateLearner(Exception):
    """An active learner with the same five demographics exists (raised by add/update)."""


class LearnerRepository(Protocol):
    def by_uln(self, uln: str) -> Learner | None: ...
    def match_candidates(self, dates: tuple[dt.date, ...]) -> list[Learner]:
        """Learners born on one of ``dates``, with only the fields matching compares."""
        ...
    def demographic_candidates(self, query: DemographicQuery) -> list[Learner]:
        """match_candidates for the query's birth dates less learners that can be neither
        an exact nor a possible match: matching.classify gives the same answer on both.
        Each is read whole, as by_uln reads it (linked ULNs included)."""
        ...
    def add(self, uln: str, details: LearnerDetails, *, registered_by: int | None,
            now: dt.datetime) -> Learner: ...
    def update_details(self, uln: str, details: LearnerDetails, *, expected_version: int,
                       now: dt.datetime) -> int | None: ...
    def count(self) -> int: ...
    def active_uln_with_key(self, demographics_key: str) -> str | None:
        """The active learner with these five demographics (matching's key), if any."""
        ...


class UlnRegistry(Protocol):
    def claim(self, uln: str, now: dt.datetime) -> bool:
        """Record ``uln`` as issued; False if it was ever issued before (by any process)."""
        ...


class AuditLog(Protocol):
    def record(self, *, at: dt.datetime, organisation_id: int | None, user_name: str | None,
               action: str, uln: str | None = None, detail: dict | None = None) -> None: ...


class DemographicSearchLog(Protocol):
    """Full demographic searches, kept to prove that a find came before a registration."""

    def record(self, *, organisation_id: int, demographics_key: str, outcome: str,
               at: dt.datetime) -> None: ...
    def latest(self, *, organisation_id: int, demographics_key: str,
               since: dt.datetime) -> tuple[str, dt.datetime] | None: ...


@dataclass(frozen=True)
class JobView:
    """A batch job as its submitter may see it."""

    id: int
    organisation_id: int
    kind: JobKind
    status: JobStatus
    job_type: str | None
    submission_type: str | None
    record_count: int
    processed: int
    submitted_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    failure_reason: str | None
    counters: dict[str, int]


@dataclass(frozen=True)
class ClaimedJob:
    id: int
    kind: JobKind
    organisation_id: int
    job_type: str | None
    submission_type: str | None
    user_name: str | None = None  # who submitted it (audited as the author of its updates)


class JobStore(Protocol):
    """Batch jobs and their records (lrs_soap/store/jobs.py documents the locking)."""

    def create(self, *, job_id: int, kind: JobKind, organisation_id: int, user_name: str,
               job_type: str | None, submission_type: str | None, email: str | None,
               payloads: Sequence[Payload], now: dt.datetime) -> int: ...
    def view(self, job_id: int) -> JobView | None: ...
    def recent(self, organisation_id: int, limit: int) -> list[JobView]: ...
    def page(self, *, organisation_id: int, kind: JobKind | None, status: JobStatus | None,
             offset: int, limit: int) -> tuple[int, list[JobView]]: ...
    def outcomes(self, job_id: int) -> list[tuple[int, Payload, str | None, dict | None]]: ...
    def claim(self, worker: str, now: dt.datetime, lease: dt.timedelta, *,
              job_id: int | None = None,
              submitted_before: dt.datetime | None = None) -> ClaimedJob | None: ...
    def renew(self, job_id: int, worker: str, now: dt.datetime,
              lease: dt.timedelta) -> bool: ...
    def pending(self, job_id: int, limit: int) -> list[tuple[int, Payload]]: ...
    def record(self, job_id: int, outcomes: list[tuple[int, RecordOutcome]],
               now: dt.datetime) -> None: ...
    def outcome_counts(self, job_id: int) -> Counter[str]: ...
    def finish(self, job_id: int, worker: str, status: JobStatus, now: dt.datetime, *,
               counters: dict[str, int], failure_reason: str | None = None) -> bool: ...


@dataclass(frozen=True)
class AchievementJob:
    """What applying achievement records needs to know about their job (job_id None for a
    single achievement, which belongs to no job)."""

    job_id: int | None
    organisation: Organisation
    submission_type: str | None


# A learning event's key for an awarding organisation: (learner ULN, qualification reference,
# awarding organisation id). Each organisation holds at most one event per key.
EventKey = tuple[str, str, int]


@dataclass(frozen=True)
class ImportReport:
    """What a qualification register import did (upsert by reference)."""

    created: int
    updated: int


class QualificationRegister(Protocol):
    def by_reference(self, reference: str) -> Qualification | None: ...
    def by_references(self, references: Collection[str]) -> dict[str, Qualification]: ...
    def usable_by(self, organisation_id: int, containing: str | None,
                  limit: int) -> list[Qualification]:
        """The organisation's own and the shared ones, by reference, whose reference or
        title contains ``containing`` (any case; None: all), at most ``limit``."""
        ...
    def import_rows(self, rows: Sequence[Qualification]) -> ImportReport:
        """Insert the rows whose reference is new, replace the others; one transaction."""
        ...


class AchievementStore(Protocol):
    """Qualifications and learning events, for applying achievement batches.

    Bulk lookups and bulk writes only: the rules are in lrs_soap.domain.achievements and the
    orchestration in lrs_soap.service.achievements.
    """

    def learners_by_ulns(self, ulns: Collection[str]) -> dict[str, Learner]:
        """The learners holding these ULNs, any status, keyed by ULN (linked_ulns empty)."""
        ...

    def qualifications_by_references(self, references: Collection[str]
                                     ) -> dict[str, Qualification]: ...

    def events_by_keys(self, keys: Collection[EventKey]) -> dict[EventKey, LearningEvent]:
        """The awarding organisations' own (source AO) events for these keys, withdrawn ones
        included; the newest when a key has several."""
        ...

    def events_for_learners(self, ulns: Collection[str]) -> list[LearningEvent]:
        """Every event held under these ULNs, withdrawn ones included, by id."""
        ...

    def add_events(self, events: Sequence[NewEvent], *, job_id: int | None,
                   now: dt.datetime) -> list[int]:
        """Insert the events (source AO, date_loaded ``now``); their ids, in order."""
        ...

    def update_events(self, changes: Sequence[EventChange], *, now: dt.datetime) -> None:
        """Apply each change's fields to its event, and set updated_at to ``now``."""
        ...

    def lock_learner(self, uln: str) -> None:
        """Hold the learner's row until the transaction ends: single changes to one
        learner's achievements are applied one after another, each seeing the last."""
        ...


# ----- the Personal Learning Record, data challenges and ULN administration -----

@dataclass(frozen=True)
class AccessEntry:
    """One audited access to a learner's record (audit_log), with who made it."""

    at: dt.datetime
    action: str
    uln: str | None
    outcome: str | None
    user_name: str | None
    organisation_id: int | None
    organisation_name: str | None = None
    ukprn: str | None = None
    reference: str | None = None


class AccessLog(Protocol):
    def page(self, *, ulns: Collection[str], actions: Collection[str], offset: int,
             limit: int) -> tuple[int, list[AccessEntry]]:
        """The total number of audit entries for these ULNs and actions, and one page of
        them, newest first."""
        ...


class LearningRecords(Protocol):
    """Learning events beyond achievement batches: by id, moves, participation imports."""

    def events_by_ids(self, event_ids: Collection[int]) -> dict[int, LearningEvent]: ...
    def move_events(self, event_ids: Collection[int], to_uln: str, *,
                    now: dt.datetime) -> None: ...
    def participation_ids(self, keys: Collection[ParticipationKey]
                          ) -> dict[ParticipationKey, int]:
        """The ids of the ILR/NPD events already held for these keys."""
        ...
    def add_participation(self, rows: Sequence[tuple[str, Participation]], *,
                          now: dt.datetime) -> None:
        """Insert each (holder ULN, row) as an event."""
        ...
    def update_participation(self, rows: Sequence[tuple[int, Participation]], *,
                             now: dt.datetime) -> None:
        """Replace the values of each (event id, row)."""
        ...


class ChallengeStore(Protocol):
    def add(self, *, kind: ChallengeKind, organisation_id: int, user_name: str, reason: str,
            now: dt.datetime, learning_event_id: int | None = None, uln: str | None = None,
            challenge_type: str | None = None) -> DataChallenge: ...
    def get(self, challenge_id: int) -> DataChallenge | None: ...
    def open_event_challenge(self, event_id: int,
                             organisation_id: int) -> DataChallenge | None: ...
    def open_uln_challenge(self, uln: str, challenge_type: str,
                           organisation_id: int) -> DataChallenge | None: ...
    def page(self, *, kind: ChallengeKind, offset: int, limit: int,
             raised_by: int | None = None, event_owner: int | None = None,
             status: ChallengeStatus | None = None) -> tuple[int, list[DataChallenge]]:
        """Challenges of ``kind`` (raised by / on events owned by an organisation, in a
        status, when given), oldest first, and how many there are in all."""
        ...
    def resolve(self, challenge_id: int, *, status: ChallengeStatus, resolution: str,
                organisation_id: int | None, now: dt.datetime) -> bool:
        """Close an open challenge; False when it was no longer open (compare-and-set)."""
        ...


class LearnerAdmin(Protocol):
    """Merges, unmerges and retirements: the state changes only; rules are in
    domain.learner_admin."""

    def merge(self, duplicate_uln: str, master_uln: str, *, by: str,
              now: dt.datetime) -> None: ...
    def relink(self, from_master: str, to_master: str, *, by: str,
               now: dt.datetime) -> list[str]:
        """Move every ULN merged into ``from_master`` to ``to_master``; the ULNs moved."""
        ...
    def unmerge(self, uln: str, *, now: dt.datetime) -> None:
        """Raises DuplicateLearner when an active learner has the same demographics."""
        ...
    def retire(self, uln: str, *, now: dt.datetime) -> None: ...
    def active_uln_like(self, uln: str) -> str | None:
        """The ULN of another active learner with the same five demographics as ``uln``."""
        ...
    def links(self, since: dt.datetime, until: dt.datetime) -> list[LinkEntry]:
        """Merges made, or undone, in [since, until)."""
        ...
    def retired(self, since: dt.datetime, until: dt.datetime) -> list[DeletedEntry]: ...


@dataclass(frozen=True)
class FailureCount:
    """Failed sign-ins of one organisation (and user name, or all of them), as sent."""

    failures: int
    last_failure_at: dt.datetime
    blocked_until: dt.datetime | None


class SignInFailures(Protocol):
    def counts(self, organisation: str, user_names: Collection[str]
               ) -> dict[str, FailureCount]: ...
    def counts_with_caller(self, organisation: str, user_names: tuple[str, str], column: str,
                           key: str, user_name: str
                           ) -> tuple[dict[str, FailureCount],
                                      tuple[Organisation, User | None] | None]:
        """``counts(organisation, user_names)`` and ``organisations.with_user(column, key,
        user_name)`` read together (one statement: every SOAP call needs both)."""
        ...
    def add_failure(self, organisation: str, user_name: str, now: dt.datetime,
                    forget_before: dt.datetime) -> int:
        """Count one failure atomically (from one again if the last was before
        ``forget_before``); returns the new count."""
        ...
    def block(self, organisation: str, user_name: str, until: dt.datetime | None) -> None: ...
    def clear(self, organisation: str, user_name: str | None = None) -> int: ...
    def all(self) -> list[tuple[str, str, FailureCount]]: ...


class WorkerHealth(Protocol):
    def beat(self, worker: str, started_at: dt.datetime, now: dt.datetime) -> None: ...
    def forget(self, worker: str | None = None,
               seen_before: dt.datetime | None = None) -> None: ...
    def workers(self) -> list[tuple[str, dt.datetime, dt.datetime]]: ...
    def oldest_waiting_job(self) -> dt.datetime | None: ...


class PortalSessions(Protocol):
    """The portal's signed-in sessions, kept server side (by the SHA-256 of their token)."""

    def start(self, token_hash: str, user_id: int, now: dt.datetime) -> None: ...
    def is_live(self, token_hash: str, user_id: int) -> bool: ...
    def end(self, token_hash: str, now: dt.datetime) -> None: ...
    def forget(self, started_before: dt.datetime) -> int: ...


class BatchExceptionStore(Protocol):
    """Learner batch exceptions (lrs_soap/store/batch_exceptions.py)."""

    def add(self, *, organisation_id: int, job_id: int, record_number: int, code: str,
            possible_ulns: list[str], now: dt.datetime) -> None: ...
    def get(self, exception_id: int) -> BatchException | None: ...
    def page(self, *, organisation_id: int, status: ExceptionStatus | None,
             job_id: int | None, offset: int, limit: int
             ) -> tuple[int, list[BatchException]]: ...
    def resolve(self, exception_id: int, *, status: ExceptionStatus, uln: str | None,
                by: str, reason: str | None, now: dt.datetime) -> bool:
        """False when the exception was no longer open (resolved meanwhile)."""
        ...
    def set_uln(self, exception_id: int, uln: str) -> None: ...


class UnitOfWork(Protocol):
    organisations: OrganisationRepository
    users: UserRepository
    learners: LearnerRepository
    uln_registry: UlnRegistry
    audit: AuditLog
    searches: DemographicSearchLog
    achievements: AchievementStore
    qualifications: QualificationRegister
    jobs: JobStore
    entries: EntryStore  # service/entry_ports.py
    plans: PlanStore  # service/plan_ports.py
    records: LearningRecords
    challenges: ChallengeStore
    learner_admin: LearnerAdmin
    access_log: AccessLog
    sign_ins: SignInFailures
    health: WorkerHealth
    batch_exceptions: BatchExceptionStore
    portal_sessions: PortalSessions

    def __enter__(self) -> Self: ...
    def __exit__(self, *exc: object) -> None: ...  # rolls back anything not committed
    def commit(self) -> None: ...
    def rollback(self) -> None: ...


class Clock(Protocol):
    def __call__(self) -> dt.datetime: ...  # timezone-aware UTC


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...
    def verify(self, password_hash: str, password: str) -> bool: ...
    def verify_nothing(self, password: str) -> None:
        """Spend what a failed ``verify`` costs: an unknown organisation must fail as slowly
        as a known one, or organisations can be enumerated by timing."""
        ...
