"""What entries and results need from the store (lrs_soap.store.entries implements it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from lrs_soap.domain.batches import RecordError
from lrs_soap.domain.entries import Entry, EntryStatus, ResultStatus
from lrs_soap.domain.sent_entry import SentEntry


@dataclass(frozen=True)
class EntryFilter:
    """Which of an organisation's entries to review; None or empty: any."""

    status: EntryStatus | None = None
    result_status: ResultStatus | None = None
    qualification_reference: str | None = None
    uln: str | None = None  # as entered, or the ULN holding the achievement


class EntryStore(Protocol):
    def add(self, *, organisation_id: int, entry: SentEntry, holder_uln: str | None,
            status: EntryStatus, reasons: Sequence[RecordError], user: str,
            now: dt.datetime) -> int: ...
    def get(self, entry_id: int, organisation_id: int) -> Entry | None: ...
    def live_entry(self, organisation_id: int, holder_uln: str,
                   reference: str) -> int | None: ...
    def set_status(self, entry_id: int, *, expected_version: int, status: EntryStatus,
                   now: dt.datetime) -> bool:
        """Compare-and-set on the entry's version: False when it changed meanwhile."""
        ...
    def add_result(self, *, entry_id: int, action: str, grade: str | None,
                   award_date: dt.date | None, status: ResultStatus,
                   reasons: Sequence[RecordError], event_id: int | None,
                   mis_identifier: str | None, user: str, now: dt.datetime) -> int: ...
    def set_result_status(self, result_id: int, status: ResultStatus) -> None: ...
    def page(self, organisation_id: int, filters: EntryFilter, *, offset: int,
             limit: int | None) -> tuple[list[Entry], int]: ...
