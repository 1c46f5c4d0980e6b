"""Entries & Results: entries and their results."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from lrs_soap.store.tables.base import (
    Base,
    UtcDateTime,
    org_fk,
)


class EntryRow(Base):
    """An awarding organisation's entry of a learner for a qualification (domain.entries)."""

    __tablename__ = "entries"
    __table_args__ = (
        Index("ix_entries_organisation_status", "organisation_id", "status"),
        # One live entry per organisation, learner and qualification.
        Index("uq_entries_live", "organisation_id", "holder_uln", "qualification_reference",
              unique=True, sqlite_where=text("status IN ('ENTERED', 'RESULTED')"),
              postgresql_where=text("status IN ('ENTERED', 'RESULTED')")),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = org_fk()
    uln: Mapped[str] = mapped_column(String(10))
    holder_uln: Mapped[str | None] = mapped_column(String(10), index=True)
    given_name: Mapped[str] = mapped_column(String(35))
    family_name: Mapped[str] = mapped_column(String(35))
    date_of_birth: Mapped[dt.date] = mapped_column(Date)
    gender: Mapped[str] = mapped_column(String(1))
    qualification_reference: Mapped[str] = mapped_column(String(30))
    entry_date: Mapped[dt.date] = mapped_column(Date)
    expected_award_date: Mapped[dt.date] = mapped_column(Date)
    provider_ukprn: Mapped[str | None] = mapped_column(String(8))
    mis_identifier: Mapped[str | None] = mapped_column(String(50))
    status: Mapped[str] = mapped_column(String(10))  # domain.entries.EntryStatus
    reasons: Mapped[list | None] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer)  # compare-and-set: racing results
    submitted_by: Mapped[str] = mapped_column(String(35))
    submitted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class EntryResultRow(Base):
    __tablename__ = "entry_results"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id"), index=True)
    action: Mapped[str] = mapped_column(String(10))  # RECORD, AMEND
    grade: Mapped[str | None] = mapped_column(String(50))
    award_date: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10))  # domain.entries.ResultStatus
    reasons: Mapped[list | None] = mapped_column(JSON)
    event_id: Mapped[int | None] = mapped_column(Integer)
    mis_identifier: Mapped[str | None] = mapped_column(String(50))
    submitted_by: Mapped[str] = mapped_column(String(35))
    submitted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
