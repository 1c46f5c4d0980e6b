"""The ULN registry (every ULN issued), links between learners (merges and splits) and
recorded demographic searches."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Index,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from lrs_soap.store.tables.base import Base, UtcDateTime, org_fk


class UlnRegistryRow(Base):
    """Every ULN ever issued: minting claims a row, so no ULN is issued twice."""

    __tablename__ = "uln_registry"
    uln: Mapped[str] = mapped_column(String(10), primary_key=True)
    issued_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    retired_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class LearnerLinkRow(Base):
    """A merge of ``merged_uln`` into ``master_uln``; kept after an unmerge for history."""

    __tablename__ = "learner_links"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    merged_uln: Mapped[str] = mapped_column(String(10), index=True)
    master_uln: Mapped[str] = mapped_column(String(10), index=True)
    merged_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    unmerged_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    merged_by: Mapped[str] = mapped_column(String(100))


class DemographicSearchRow(Base):
    """Recent finds: a registration must follow a find for the same demographics."""

    __tablename__ = "demographic_searches"
    __table_args__ = (
        Index("ix_demographic_searches_org_key_at",
              "organisation_id", "demographics_key", "searched_at"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = org_fk()
    demographics_key: Mapped[str] = mapped_column(String(64))  # sha256 hex
    outcome_code: Mapped[str] = mapped_column(String(8))  # WSRC code
    searched_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
