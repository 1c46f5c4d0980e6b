"""SQL for merges, unmerges and retirements of ULNs, and the ULN report's queries.

A merged learner row has status '2' and ``master_uln``, and an open ``learner_links`` row
(``unmerged_at`` null); unmerging sets status '1', clears ``master_uln`` and closes the
link. The one-active-learner-per-demographics index covers status '1' rows only, so an
unmerge is where it can bite (DuplicateLearner). Nothing here decides whether an action
is allowed: see lrs_soap.domain.learner_admin.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lrs_soap.domain.learner_admin import DeletedEntry, LinkEntry
from lrs_soap.domain.model import LearnerStatus
from lrs_soap.service.ports import DuplicateLearner
from lrs_soap.store.orm import LearnerLinkRow, LearnerRow, UlnRegistryRow

MERGED_BY_LENGTH = 100


class SqlLearnerAdmin:
    """ports.LearnerAdmin on the unit of work's Session; never commits."""

    def __init__(self, session: Session):
        self._session = session

    def _set_status(self, uln: str, status: LearnerStatus, master_uln: str | None,
                    now: dt.datetime) -> None:
        self._session.execute(
            update(LearnerRow).where(LearnerRow.uln == uln)
            .values(status=status.value, master_uln=master_uln,
                    version_number=LearnerRow.version_number + 1, updated_at=now)
            .execution_options(synchronize_session=False))

    def _link(self, merged_uln: str, master_uln: str, by: str, now: dt.datetime) -> None:
        self._session.add(LearnerLinkRow(merged_uln=merged_uln, master_uln=master_uln,
                                         merged_at=now, merged_by=by[:MERGED_BY_LENGTH]))
        self._session.flush()

    def _close_links(self, merged_uln: str, now: dt.datetime) -> None:
        self._session.execute(
            update(LearnerLinkRow)
            .where(LearnerLinkRow.merged_uln == merged_uln, LearnerLinkRow.unmerged_at.is_(None))
            .values(unmerged_at=now).execution_options(synchronize_session=False))

    def merge(self, duplicate_uln: str, master_uln: str, *, by: str, now: dt.datetime) -> None:
        self._set_status(duplicate_uln, LearnerStatus.MERGED, master_uln, now)
        self._link(duplicate_uln, master_uln, by, now)

    def relink(self, from_master: str, to_master: str, *, by: str,
               now: dt.datetime) -> list[str]:
        merged = list(self._session.scalars(
            select(LearnerRow.uln).where(LearnerRow.master_uln == from_master,
                                         LearnerRow.status == LearnerStatus.MERGED.value)
            .order_by(LearnerRow.uln)))
        for uln in merged:
            self._close_links(uln, now)
            self._set_status(uln, LearnerStatus.MERGED, to_master, now)
            self._link(uln, to_master, by, now)
        return merged

    def unmerge(self, uln: str, *, now: dt.datetime) -> None:
        try:  # the transaction is spoilt after this error: the caller gives it up
            self._set_status(uln, LearnerStatus.ACTIVE, None, now)
        except IntegrityError as error:
            raise DuplicateLearner() from error
        self._close_links(uln, now)

    def retire(self, uln: str, *, now: dt.datetime) -> None:
        self._set_status(uln, LearnerStatus.RETIRED, None, now)
        registry = UlnRegistryRow.__table__
        result = self._session.execute(
            update(registry).where(registry.c.uln == uln).values(retired_at=now)
            .execution_options(preserve_rowcount=True))
        if result.rowcount == 0:  # learners loaded before the registry existed
            self._session.add(UlnRegistryRow(uln=uln, issued_at=now, retired_at=now))
            self._session.flush()

    def active_uln_like(self, uln: str) -> str | None:
        key = select(LearnerRow.demographics_key).where(LearnerRow.uln == uln).scalar_subquery()
        return self._session.scalar(
            select(LearnerRow.uln).where(LearnerRow.demographics_key == key,
                                         LearnerRow.status == LearnerStatus.ACTIVE.value,
                                         LearnerRow.uln != uln).limit(1))

    def links(self, since: dt.datetime, until: dt.datetime) -> list[LinkEntry]:
        rows = self._session.scalars(
            select(LearnerLinkRow)
            .where(or_(LearnerLinkRow.merged_at.between(since, until),
                       LearnerLinkRow.unmerged_at.between(since, until)))
            .order_by(LearnerLinkRow.id))
        return [LinkEntry(master_uln=row.master_uln, merged_uln=row.merged_uln,
                          merged_at=row.merged_at, unmerged_at=row.unmerged_at,
                          merged_by=row.merged_by) for row in rows]

    def retired(self, since: dt.datetime, until: dt.datetime) -> list[DeletedEntry]:
        rows = self._session.execute(
            select(UlnRegistryRow.uln, UlnRegistryRow.retired_at)
            .where(UlnRegistryRow.retired_at >= since, UlnRegistryRow.retired_at < until)
            .order_by(UlnRegistryRow.retired_at, UlnRegistryRow.uln))
        return [DeletedEntry(uln, retired_at) for uln, retired_at in rows]
