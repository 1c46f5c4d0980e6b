"""The awarding organisation's review of "the result of processing": every entry with its
status, its latest result and every rejection reason, filtered, paged, or as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

from lrs_soap.domain.entries import Entry
from lrs_soap.domain.errors import InsufficientAccess
from lrs_soap.domain.model import Role
from lrs_soap.service.accounts import Caller
from lrs_soap.service.context import ServiceContext
from lrs_soap.service.entry_ports import EntryFilter
from lrs_soap.service.plr import Page

CSV_COLUMNS = ("EntryID", "Status", "ULN", "HolderULN", "QualificationReference",
               "EntryDate", "ExpectedAwardDate", "MISIdentifier", "ResultStatus", "Grade",
               "AwardDate", "EventID", "Reasons", "Version", "SubmittedBy", "SubmittedAt")


@dataclass(frozen=True)
class EntryListing:
    entries: list[Entry]
    total: int
    page: Page


def review_entries(ctx: ServiceContext, caller: Caller, filters: EntryFilter,
                   page: Page) -> EntryListing:
    require_ao(caller)
    with ctx.uow_factory() as uow:
        entries, total = uow.entries.page(caller.organisation.id, filters,
                                          offset=page.offset, limit=page.size)
    return EntryListing(entries, total, page)


def get_entry(ctx: ServiceContext, caller: Caller, entry_id: int) -> Entry | None:
    """The entry with its results; None when there is none or it is another organisation's."""
    require_ao(caller)
    with ctx.uow_factory() as uow:
        return uow.entries.get(entry_id, caller.organisation.id)


def entries_csv(ctx: ServiceContext, caller: Caller, filters: EntryFilter,
                label: Callable[[str], str] = str) -> str:
    """Every matching entry, one row each (no paging): the review as a download; ``label``:
    how the face names a reason's field."""
    require_ao(caller)
    with ctx.uow_factory() as uow:
        entries, _ = uow.entries.page(caller.organisation.id, filters, offset=0, limit=None)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_row(entry, label) for entry in entries)
    return out.getvalue()


def reasons_text(entry: Entry, label: Callable[[str], str] = str) -> str:
    """The entry's rejection reasons and its latest result's, ``Field rule`` each (the
    field named by ``label``: an achievement's are attributes, each face words them)."""
    latest = entry.results[-1] if entry.results else None
    reasons = [*entry.reasons, *(latest.reasons if latest else ())]
    return "; ".join(f"{label(reason.field)} {reason.rule}" for reason in reasons)


def csv_row(entry: Entry, label: Callable[[str], str] = str) -> list[object]:
    latest = entry.results[-1] if entry.results else None
    return [entry.id, entry.status.value, entry.uln, entry.holder_uln or "",
            entry.qualification_reference, entry.entry_date.isoformat(),
            entry.expected_award_date.isoformat(), entry.mis_identifier or "",
            latest.status.value if latest else "", latest.grade or "" if latest else "",
            latest.award_date.isoformat() if latest and latest.award_date else "",
            latest.event_id or "" if latest else "", reasons_text(entry, label), entry.version,
            entry.submitted_by, entry.submitted_at.strftime("%Y-%m-%dT%H:%M:%SZ")]


def require_ao(caller: Caller) -> None:
    if not caller.organisation.has_role(Role.AWARDING_ORGANISATION):
        raise InsufficientAccess("entries and results are for awarding organisations")
