"""Reading the Personal Learning Record, and the audit of every read (lrs-rules 7).

Every GetLearnerRecord and GetLearnerRecordAudit that names a well-formed, check-digit-valid
ULN is written to the audit log, whatever its outcome (organisation, user, time, the ULN
asked for, the outcome code), in the same transaction that reads the record. A ULN that
fails its check digit is refused with WSEC0136 before anything is read and names no
learner, so it is not audited.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from lrs_soap.domain import find_by_uln, names, plr
from lrs_soap.domain.model import LearningEvent
from lrs_soap.domain.plr import GetType, RecordAccess, RecordQuery
from lrs_soap.service.accounts import Caller
from lrs_soap.service.context import ServiceContext
from lrs_soap.service.lookups import learner_and_master
from lrs_soap.service.ports import AccessEntry, UnitOfWork

READ_ACTION = "plr.read"
AUDIT_ACTION = "plr.audit"
# Audit actions shown by GetLearnerRecordAudit, and the operation each stands for.
ACCESS_ACTIONS = {READ_ACTION: "GetLearnerRecord", AUDIT_ACTION: "GetLearnerRecordAudit"}
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class LearnerRecord:
    code: str
    incoming_uln: str
    found_uln: str | None
    events: tuple[LearningEvent, ...] = ()
    get_type: GetType = GetType.FULL

    @property
    def fields(self) -> frozenset[str] | None:
        """The LearningEvent attributes to send (None: all)."""
        return plr.fields_for(self.get_type)


@dataclass(frozen=True)
class Page:
    """Which page of a list to return: 1-based index and size."""

    index: int = 1
    size: int = DEFAULT_PAGE_SIZE

    def __post_init__(self):
        object.__setattr__(self, "index", max(1, self.index or 1))
        object.__setattr__(self, "size", min(MAX_PAGE_SIZE, max(1, self.size
                                                                 or DEFAULT_PAGE_SIZE)))

    @property
    def offset(self) -> int:
        return (self.index - 1) * self.size

    def count(self, total: int) -> int:
        return math.ceil(total / self.size) if total else 0


@dataclass(frozen=True)
class AuditPage:
    code: str
    incoming_uln: str
    found_uln: str | None
    page: Page
    total: int = 0
    entries: tuple[AccessEntry, ...] = ()
    granted: bool = False  # the learner was identified and shares: the page is meaningful

    @property
    def page_count(self) -> int:
        return self.page.count(self.total)


def open_record(ctx: ServiceContext, uow: UnitOfWork, query: RecordQuery) -> RecordAccess:
    """Who the caller may read (domain.plr.access), from the store; names without a letter
    are refused (WSEC0001) as on every other operation."""
    names.check_query_names(query.given_name, query.family_name, ctx.field_label)
    return plr.access(query, *learner_and_master(uow, query.uln))


def record_events(uow: UnitOfWork, access: RecordAccess) -> list[LearningEvent]:
    """The events the record shows, in order (nothing unless access was granted)."""
    if not access.granted:
        return []
    return plr.shown_events(uow.achievements.events_for_learners(access.ulns))


def audit_access(uow: UnitOfWork, ctx: ServiceContext, caller: Caller, action: str,
                 query: RecordQuery, access: RecordAccess, **detail: object) -> None:
    uow.audit.record(at=ctx.clock(), organisation_id=caller.organisation.id,
                     user_name=caller.user_name, action=action, uln=query.uln,
                     detail={"outcome": access.code, "found_uln": access.found_uln, **detail})


def get_learner_record(ctx: ServiceContext, caller: Caller, query: RecordQuery,
                       get_type: GetType | str = GetType.FULL) -> LearnerRecord:
    find_by_uln.check_uln(query.uln)
    get_type = GetType(get_type)
    with ctx.uow_factory() as uow:
        access = open_record(ctx, uow, query)
        events = record_events(uow, access)
        audit_access(uow, ctx, caller, READ_ACTION, query, access,
                     get_type=get_type.value, events=len(events))
        uow.commit()
    return LearnerRecord(access.code, query.uln, access.found_uln, tuple(events), get_type)


def get_learner_record_audit(ctx: ServiceContext, caller: Caller, query: RecordQuery,
                             page: Page | None = None) -> AuditPage:
    """Who read the learner's record, newest first: every GetLearnerRecord and
    GetLearnerRecordAudit naming the learner's ULN or a ULN merged into it, whatever its
    outcome. The same identity and sharing checks as reading the record apply."""
    find_by_uln.check_uln(query.uln)
    page = page or Page()
    with ctx.uow_factory() as uow:
        access = open_record(ctx, uow, query)
        total, entries = 0, []
        if access.granted:
            total, entries = uow.access_log.page(ulns=access.ulns, actions=ACCESS_ACTIONS,
                                                 offset=page.offset, limit=page.size)
        audit_access(uow, ctx, caller, AUDIT_ACTION, query, access, page=page.index)
        uow.commit()
    return AuditPage(access.code, query.uln, access.found_uln, page, total, tuple(entries),
                     access.granted)
