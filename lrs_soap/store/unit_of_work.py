"""The transaction boundary the service layer holds: nothing is kept unless it commits."""

from __future__ import annotations

from typing import Self

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from lrs_soap.store.achievements import SqlAchievementStore, SqlQualificationRegister
from lrs_soap.store.batch_exceptions import SqlBatchExceptions
from lrs_soap.store.entries import SqlEntryStore
from lrs_soap.store.health import SqlWorkerHealth
from lrs_soap.store.jobs import SqlJobStore
from lrs_soap.store.learner_admin import SqlLearnerAdmin
from lrs_soap.store.plans import SqlPlanStore
from lrs_soap.store.portal_sessions import SqlPortalSessions
from lrs_soap.store.prepared import Reads
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

# name -> repository; each is built from the unit of work's Session when first used. The
# hot ones (HOT) take the unit of work itself: their hot reads run as prepared statements on
# its connection (store/prepared.py), and they ask for the Session only to write.
_REPOSITORIES = {
    "organisations": SqlOrganisationRepository, "users": SqlUserRepository,
    "learners": SqlLearnerRepository, "uln_registry": SqlUlnRegistry, "audit": SqlAuditLog,
    "searches": SqlDemographicSearchLog, "jobs": SqlJobStore,
    "achievements": SqlAchievementStore, "qualifications": SqlQualificationRegister,
    "records": SqlLearningRecords, "challenges": SqlChallengeStore,
    "learner_admin": SqlLearnerAdmin, "access_log": SqlAccessLog,
    "sign_ins": SqlSignInFailures, "health": SqlWorkerHealth,
    "batch_exceptions": SqlBatchExceptions, "entries": SqlEntryStore, "plans": SqlPlanStore,
    "portal_sessions": SqlPortalSessions,
}
HOT = frozenset({"organisations", "users", "learners", "sign_ins", "achievements", "audit",
                 "searches"})


class SqlUnitOfWork:
    """ports.UnitOfWork on one database connection; one instance may be entered many times.

    Nothing is opened until used: the connection on the first query, the Session (bound to
    that connection, so one transaction) on the first use of the ORM. A call that only
    reads through the hot repositories never builds a Session: that bookkeeping cost more
    than its queries (docs/performance.md)."""

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

    def __init__(self, session_factory: sessionmaker[Session]):
        self._session_factory = session_factory
        self._engine: Engine = session_factory.kw["bind"]
        self._entered = False
        self._connection: Connection | None = None
        self._session: Session | None = None
        self.reads = Reads(self.connection)

    def _must_be_open(self) -> None:
        if not self._entered:
            raise RuntimeError("the unit of work is not open: use it in a with block")

    def connection(self) -> Connection:
        """This unit of work's connection (opened on first use)."""
        self._must_be_open()
        if self._connection is None:
            self._connection = self._engine.connect()
        return self._connection

    @property
    def session_open(self) -> bool:
        """Whether the Session was built (it may hold work a write must come after)."""
        return self._session is not None

    @property
    def session(self) -> Session:
        """The ORM Session on this unit of work's connection, for the repositories and for
        store-internal code (batch jobs) that needs more than the repositories."""
        if self._session is None:
            self._session = self._session_factory(bind=self.connection())
        return self._session

    def __getattr__(self, name: str):
        repository = _REPOSITORIES.get(name)
        if repository is None:
            raise AttributeError(name)
        self._must_be_open()
        built = repository(self if name in HOT else self.session)
        setattr(self, name, built)  # later uses find it without coming here
        return built

    def __enter__(self) -> Self:
        if self._entered:
            raise RuntimeError("the unit of work is already open")
        self._entered = True
        return self

    def __exit__(self, *exc: object) -> None:
        session, connection = self._session, self._connection
        self._session = self._connection = None
        self._entered = False
        for name in _REPOSITORIES.keys() & vars(self).keys():
            delattr(self, name)
        try:
            if session is not None:
                try:
                    session.rollback()  # a no-op after commit(); drops what was not committed
                finally:
                    session.close()
        finally:
            if connection is not None:
                connection.close()  # the pool rolls back whatever the hot reads began

    def commit(self) -> None:
        self._must_be_open()
        if self._session is not None:
            self._session.commit()
        # A Session built after a write on the connection joined that transaction and
        # leaves it to its owner (SQLAlchemy's join_transaction_mode): commit it here.
        if self._connection is not None and self._connection.in_transaction():
            self._connection.commit()

    def rollback(self) -> None:
        self._must_be_open()
        if self._session is not None:
            self._session.rollback()
        if self._connection is not None and self._connection.in_transaction():
            self._connection.rollback()
