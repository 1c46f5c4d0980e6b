"""The table definitions, gathered from lrs_soap.store.tables (one module per area): import
them from here, so that every table is on ``Base.metadata``. Migrations in
migrations/versions must agree (``db check``).

Column names of ``learners`` equal the field names of domain.model.LearnerDetails, so the
repository maps them one to one.
"""

from __future__ import annotations

from lrs_soap.store.tables.accounts import (
    OrganisationRow,
    PortalSessionRow,
    SignInFailureRow,
    UserRow,
)
from lrs_soap.store.tables.base import NAMING_CONVENTION, Base, UtcDateTime, utcnow
from lrs_soap.store.tables.batches import (
    BatchExceptionRow,
    BatchJobRow,
    BatchRecordRow,
    WorkerHeartbeatRow,
)
from lrs_soap.store.tables.challenges import AuditLogRow, DataChallengeRow
from lrs_soap.store.tables.control import (
    ControlCounterRow,
    ControlFaultRow,
    ControlSettingRow,
    RequestJournalRow,
)
from lrs_soap.store.tables.entries import EntryResultRow, EntryRow
from lrs_soap.store.tables.learners import MATCH_INDEX_COLUMNS, NAME_KEY_LENGTH, LearnerRow
from lrs_soap.store.tables.plans import LearnerPlanChangeRow, LearnerPlanRow, LearnerPlanShareRow
from lrs_soap.store.tables.records import LearningEventRow, QualificationRow
from lrs_soap.store.tables.ulns import DemographicSearchRow, LearnerLinkRow, UlnRegistryRow

__all__ = [
    "AuditLogRow",
    "Base",
    "BatchExceptionRow",
    "BatchJobRow",
    "BatchRecordRow",
    "ControlCounterRow",
    "ControlFaultRow",
    "ControlSettingRow",
    "DataChallengeRow",
    "DemographicSearchRow",
    "EntryResultRow",
    "EntryRow",
    "LearnerLinkRow",
    "LearnerPlanChangeRow",
    "LearnerPlanRow",
    "LearnerPlanShareRow",
    "LearnerRow",
    "LearningEventRow",
    "MATCH_INDEX_COLUMNS",
    "NAME_KEY_LENGTH",
    "NAMING_CONVENTION",
    "OrganisationRow",
    "PortalSessionRow",
    "QualificationRow",
    "RequestJournalRow",
    "SignInFailureRow",
    "UlnRegistryRow",
    "UserRow",
    "UtcDateTime",
    "WorkerHeartbeatRow",
    "utcnow",
]
