"""Qualifications and the learning events (achievements) of learners' records."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
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


class QualificationRow(Base):
    __tablename__ = "qualifications"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(30), unique=True)
    title: Mapped[str] = mapped_column(String(255))
    qualification_type: Mapped[str | None] = mapped_column(String(100))
    level: Mapped[str | None] = mapped_column(String(50))
    is_unit: Mapped[bool] = mapped_column(Boolean, default=False)
    owner_organisation_id: Mapped[int | None] = org_fk(nullable=True)
    shared: Mapped[bool] = mapped_column(Boolean, default=True)
    credits: Mapped[int | None] = mapped_column(Integer)


class LearningEventRow(Base):
    """One achievement or participation on a learner's Personal Learning Record."""

    __tablename__ = "learning_events"
    __table_args__ = (
        # One achievement per learner, qualification and awarding organisation.
        Index("uq_learning_events_ao_achievement", "learner_uln", "qualification_reference",
              "awarding_organisation_id", unique=True, sqlite_where=text("source = 'AO'"),
              postgresql_where=text("source = 'AO'")),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_uln: Mapped[str] = mapped_column(String(10), index=True)
    source: Mapped[str] = mapped_column(String(10))  # ILR, NPD, QCFU, AO...
    qualification_reference: Mapped[str | None] = mapped_column(String(30))
    subject: Mapped[str | None] = mapped_column(String(255))
    qualification_type: Mapped[str | None] = mapped_column(String(100))
    level: Mapped[str | None] = mapped_column(String(50))
    credits: Mapped[int | None] = mapped_column(Integer)
    grade: Mapped[str | None] = mapped_column(String(50))
    award_date: Mapped[dt.date | None] = mapped_column(Date)
    achievement_provider_ukprn: Mapped[str | None] = mapped_column(String(8))
    achievement_provider_name: Mapped[str | None] = mapped_column(String(255))
    awarding_organisation_id: Mapped[int | None] = org_fk(nullable=True)
    language_for_assessment: Mapped[str | None] = mapped_column(String(50))
    status: Mapped[str] = mapped_column(String(1))  # P provisional, F final
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)
    participation_start_date: Mapped[dt.date | None] = mapped_column(Date)
    participation_end_date: Mapped[dt.date | None] = mapped_column(Date)
    collection_type: Mapped[str | None] = mapped_column(String(5))
    return_number: Mapped[str | None] = mapped_column(String(5))
    restriction: Mapped[str | None] = mapped_column(String(5))
    date_loaded: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    created_by_job_id: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
