"""What the service layer needs from the outside world. The store implements these;
unit tests use in-memory fakes (tests/unit/fakes.py)."""

from __future__ import annotations

import datetime as dt
from typing import Protocol, Self

from lrs_soap.domain.model import Learner, LearnerDetails, Organisation, Role, User


class OrganisationRepository(Protocol):
    def by_ukprn(self, ukprn: str) -> Organisation | None: ...
    def by_reference(self, reference: str) -> Organisation | None: ...
    def by_id(self, organisation_id: int) -> Organisation | None: ...
    def list_all(self) -> list[Organisation]: ...
    def add(self, *, name: str, ukprn: str | None, reference: str | None,
            roles: frozenset[Role]) -> Organisation: ...
    def set_password_hash(self, organisation_id: int, password_hash: str) -> None: ...
    def set_active(self, organisation_id: int, active: bool) -> None: ...


class UserRepository(Protocol):
    def get(self, organisation_id: int, user_name: str) -> User | None: ...
    def list_for(self, organisation_id: int) -> list[User]: ...
    def add(self, organisation_id: int, user_name: str) -> User: ...
    def set_active(self, user_id: int, active: bool) -> None: ...


class DuplicateLearner(Exception):
    """An active learner with the same five demographics exists (raised by add/update)."""


class LearnerRepository(Protocol):
    def by_uln(self, uln: str) -> Learner | None: ...
    def by_birth_dates(self, dates: tuple[dt.date, ...]) -> list[Learner]: ...
    def add(self, uln: str, details: LearnerDetails, *, registered_by: int | None,
            now: dt.datetime) -> Learner: ...
    def update_details(self, uln: str, details: LearnerDetails, *, expected_version: int,
                       now: dt.datetime) -> int | None: ...
    def count(self) -> int: ...


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


class UnitOfWork(Protocol):
    organisations: OrganisationRepository
    users: UserRepository
    learners: LearnerRepository
    uln_registry: UlnRegistry
    audit: AuditLog
    searches: DemographicSearchLog

    def __enter__(self) -> Self: ...
    def __exit__(self, *exc: object) -> None: ...  # rolls back anything not committed
    def commit(self) -> None: ...
    def rollback(self) -> None: ...


class Clock(Protocol):
    def __call__(self) -> dt.datetime: ...  # timezone-aware UTC


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...
    def verify(self, password_hash: str, password: str) -> bool: ...
