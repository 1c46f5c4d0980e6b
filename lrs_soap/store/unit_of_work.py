"""The transaction boundary the service layer holds: nothing is kept unless it commits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Self

from sqlalchemy.orm import Session

from lrs_soap.store.achievements import SqlAchievementStore, SqlQualificationRegister
from lrs_soap.store.batch_exceptions import SqlBatchExceptions
from lrs_soap.store.entries import SqlEntryStore
from lrs_soap.store.health import SqlWorkerHealth
from lrs_soap.store.jobs import SqlJobStore
from lrs_soap.store.learner_admin import SqlLearnerAdmin
from lrs_soap.store.plans import SqlPlanStore
from lrs_soap.store.portal_sessions import SqlPortalSessions
from lrs_soap.store.records import SqlAccessLog, SqlChallengeStore, SqlLearningRecords
from lrs_soap.store.repositories import (
    SqlAuditLog,
    SqlDemographicSearchLog,
    SqlLearnerRepository,
    SqlOrganisationRepository,
    SqlUlnRegistry,
    SqlUserRepository,
)
from lrs_soap.store.sign_ins import SqlSignInFailures


class SqlUnitOfWork:
    """ports.UnitOfWork on a SQLAlchemy Session; one instance may be entered many times."""

    organisations: SqlOrganisationRepository
    users: SqlUserRepository
    learners: SqlLearnerRepository
    uln_registry: SqlUlnRegistry
    audit: SqlAuditLog
    searches: SqlDemographicSearchLog
    jobs: SqlJobStore
    achievements: SqlAchievementStore
    qualifications: SqlQualificationRegister
    records: SqlLearningRecords
    challenges: SqlChallengeStore
    learner_admin: SqlLearnerAdmin
    access_log: SqlAccessLog
    sign_ins: SqlSignInFailures
    health: SqlWorkerHealth
    batch_exceptions: SqlBatchExceptions
    entries: SqlEntryStore
    plans: SqlPlanStore
    portal_sessions: SqlPortalSessions

    def __init__(self, session_factory: Callable[[], Session]):
        self._session_factory = session_factory
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        """For store-internal code (batch jobs) that needs more than the repositories."""
        if self._session is None:
            raise RuntimeError("the unit of work is not open: use it in a with block")
        return self._session

    def __enter__(self) -> Self:
        if self._session is not None:
            raise RuntimeError("the unit of work is already open")
        session = self._session = self._session_factory()
        self.organisations = SqlOrganisationRepository(session)
        self.users = SqlUserRepository(session)
        self.learners = SqlLearnerRepository(session)
        self.uln_registry = SqlUlnRegistry(session)
        self.audit = SqlAuditLog(session)
        self.searches = SqlDemographicSearchLog(session)
        self.jobs = SqlJobStore(session)
        self.achievements = SqlAchievementStore(session)
        self.qualifications = SqlQualificationRegister(session)
        self.records = SqlLearningRecords(session)
        self.challenges = SqlChallengeStore(session)
        self.learner_admin = SqlLearnerAdmin(session)
        self.access_log = SqlAccessLog(session)
        self.sign_ins = SqlSignInFailures(session)
        self.health = SqlWorkerHealth(session)
        self.batch_exceptions = SqlBatchExceptions(session)
        self.entries = SqlEntryStore(session)
        self.plans = SqlPlanStore(session)
        self.portal_sessions = SqlPortalSessions(session)
        return self

    def __exit__(self, *exc: object) -> None:
        session, self._session = self.session, None
        try:
            session.rollback()  # a no-op after commit(); drops whatever was not committed
        finally:
            session.close()

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()
