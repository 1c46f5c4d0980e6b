"""SQL for entries and results (domain.entries); never commits."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from lrs_soap.domain.batches import RecordError
from lrs_soap.domain.entries import Entry, EntryResult, EntryStatus, ResultStatus
from lrs_soap.domain.sent_entry import SentEntry
from lrs_soap.service.entry_ports import EntryFilter
from lrs_soap.store.orm import EntryResultRow, EntryRow

_ENTRY_COLUMNS = ("uln", "holder_uln", "given_name", "family_name", "date_of_birth", "gender",
                  "qualification_reference", "entry_date", "expected_award_date",
                  "provider_ukprn", "mis_identifier")
_SENT_COLUMNS = tuple(name for name in _ENTRY_COLUMNS if name != "holder_uln")


def _reasons(stored: list | None) -> tuple[RecordError, ...]:
    return tuple(RecordError(**reason) for reason in stored or ())


def _stored(reasons: Sequence[RecordError]) -> list[dict] | None:
    return [reason.as_dict() for reason in reasons] or None


def _result(row: EntryResultRow) -> EntryResult:
    return EntryResult(id=row.id, entry_id=row.entry_id, action=row.action, grade=row.grade,
                       award_date=row.award_date, status=ResultStatus(row.status),
                       reasons=_reasons(row.reasons), event_id=row.event_id,
                       submitted_by=row.submitted_by, submitted_at=row.submitted_at,
                       mis_identifier=row.mis_identifier)


def _entry(row: EntryRow, results: Sequence[EntryResult]) -> Entry:
    return Entry(id=row.id, organisation_id=row.organisation_id,
                 **{name: getattr(row, name) for name in _ENTRY_COLUMNS},
                 status=EntryStatus(row.status), reasons=_reasons(row.reasons),
                 version=row.version, submitted_by=row.submitted_by,
                 submitted_at=row.submitted_at, updated_at=row.updated_at,
                 results=tuple(results))


class SqlEntryStore:
    """ports.EntryStore on the unit of work's Session."""

    def __init__(self, session: Session):
        self._session = session

    def add(self, *, organisation_id: int, entry: SentEntry, holder_uln: str | None,
            status: EntryStatus, reasons: Sequence[RecordError], user: str,
            now: dt.datetime) -> int:
        row = {name: getattr(entry, name) for name in _SENT_COLUMNS}
        return self._session.execute(insert(EntryRow).returning(EntryRow.id).values(
            organisation_id=organisation_id, **row, holder_uln=holder_uln, status=status.value,
            reasons=_stored(reasons), version=1, submitted_by=user, submitted_at=now,
            updated_at=now)).scalar_one()

    def get(self, entry_id: int, organisation_id: int) -> Entry | None:
        """The organisation's entry; another organisation's is as unknown as none."""
        row = self._session.get(EntryRow, entry_id, populate_existing=True)
        if row is None or row.organisation_id != organisation_id:
            return None
        return _entry(row, self._results([entry_id])[entry_id])

    def live_entry(self, organisation_id: int, holder_uln: str, reference: str) -> int | None:
        return self._session.scalar(select(EntryRow.id).where(
            EntryRow.organisation_id == organisation_id, EntryRow.holder_uln == holder_uln,
            EntryRow.qualification_reference == reference,
            EntryRow.status.in_([EntryStatus.ENTERED.value, EntryStatus.RESULTED.value])))

    def set_status(self, entry_id: int, *, expected_version: int, status: EntryStatus,
                   now: dt.datetime) -> bool:
        """Compare-and-set: False when the entry changed since ``expected_version``."""
        changed = self._session.execute(
            update(EntryRow).where(EntryRow.id == entry_id,
                                   EntryRow.version == expected_version)
            .values(status=status.value, version=expected_version + 1, updated_at=now))
        return changed.rowcount == 1

    def add_result(self, *, entry_id: int, action: str, grade: str | None,
                   award_date: dt.date | None, status: ResultStatus,
                   reasons: Sequence[RecordError], event_id: int | None,
                   mis_identifier: str | None, user: str, now: dt.datetime) -> int:
        return self._session.execute(insert(EntryResultRow).returning(EntryResultRow.id).values(
            entry_id=entry_id, action=action, grade=grade, award_date=award_date,
            status=status.value, reasons=_stored(reasons), event_id=event_id,
            mis_identifier=mis_identifier, submitted_by=user, submitted_at=now)).scalar_one()

    def set_result_status(self, result_id: int, status: ResultStatus) -> None:
        self._session.execute(update(EntryResultRow).where(EntryResultRow.id == result_id)
                              .values(status=status.value))

    def page(self, organisation_id: int, filters: EntryFilter, *, offset: int,
             limit: int | None) -> tuple[list[Entry], int]:
        """The organisation's entries matching ``filters``, oldest first, and their total."""
        query = select(EntryRow).where(EntryRow.organisation_id == organisation_id)
        if filters.status is not None:
            query = query.where(EntryRow.status == filters.status.value)
        if filters.qualification_reference:
            query = query.where(EntryRow.qualification_reference
                                == filters.qualification_reference.upper())
        if filters.uln:
            query = query.where((EntryRow.uln == filters.uln)
                                | (EntryRow.holder_uln == filters.uln))
        if filters.result_status is not None:
            query = query.where(EntryRow.id.in_(select(EntryResultRow.entry_id).where(
                EntryResultRow.status == filters.result_status.value)))
        total = self._session.scalar(select(func.count()).select_from(query.subquery()))
        rows = list(self._session.scalars(query.order_by(EntryRow.id).offset(offset)
                                          .limit(limit)))
        results = self._results([row.id for row in rows])
        return [_entry(row, results[row.id]) for row in rows], total or 0

    def _results(self, entry_ids: Sequence[int]) -> dict[int, list[EntryResult]]:
        found: dict[int, list[EntryResult]] = defaultdict(list)
        for start in range(0, len(entry_ids), 500):
            rows = self._session.scalars(
                select(EntryResultRow).where(EntryResultRow.entry_id.in_(
                    entry_ids[start:start + 500])).order_by(EntryResultRow.id))
            for row in rows:
                found[row.entry_id].append(_result(row))
        return found
