"""Learners, with the match keys the demographic search reads from one index."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
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

# NFKD can lengthen a 35-character name ("ß" -> "ss"); keys are cut to this length.
NAME_KEY_LENGTH = 105
MATCH_INDEX_COLUMNS = ("date_of_birth", "gender", "postcode_key", "family_name_key",
                       "given_name_key", "status", "given_name", "family_name",
                       "previous_family_name", "id")


class LearnerRow(Base):
    __tablename__ = "learners"
    __table_args__ = (
        # The demographic search reads its shortlist from this index alone: every column
        # it judges is here, so the ~140 learners born on a day cost a few index pages, not
        # ~140 table pages (store.repositories.demographic_candidates).
        Index("ix_learners_match", *MATCH_INDEX_COLUMNS),
        Index("ix_learners_postcode_key_dob", "postcode_key", "date_of_birth"),
        Index("ix_learners_family_given_key", "family_name_key", "given_name_key"),
        # One active learner per five demographics (lrs-rules 3.3): the database settles
        # racing registrations of the same person.
        Index("uq_learners_active_demographics", "demographics_key", unique=True,
              sqlite_where=text("status = '1'"), postgresql_where=text("status = '1'")),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uln: Mapped[str] = mapped_column(String(10), unique=True)
    given_name: Mapped[str] = mapped_column(String(35))
    family_name: Mapped[str] = mapped_column(String(35))
    date_of_birth: Mapped[dt.date] = mapped_column(Date)
    gender: Mapped[str] = mapped_column(String(1))
    postcode: Mapped[str] = mapped_column(String(9))
    verification_type: Mapped[str] = mapped_column(String(3))
    ability_to_share: Mapped[str] = mapped_column(String(1))
    title: Mapped[str | None] = mapped_column(String(35))
    middle_other_name: Mapped[str | None] = mapped_column(String(35))
    preferred_given_name: Mapped[str | None] = mapped_column(String(35))
    previous_family_name: Mapped[str | None] = mapped_column(String(35))
    family_name_at_16: Mapped[str | None] = mapped_column(String(35))
    school_at_age_16: Mapped[str | None] = mapped_column(String(254))
    address_line1: Mapped[str | None] = mapped_column(String(50))
    address_line2: Mapped[str | None] = mapped_column(String(50))
    address_town: Mapped[str | None] = mapped_column(String(50))
    address_county_or_city: Mapped[str | None] = mapped_column(String(50))
    date_of_address_capture: Mapped[dt.date | None] = mapped_column(Date)
    place_of_birth: Mapped[str | None] = mapped_column(String(35))
    email_address: Mapped[str | None] = mapped_column(String(254))
    nationality: Mapped[str | None] = mapped_column(String(3))
    scottish_candidate_number: Mapped[str | None] = mapped_column(String(9))
    other_verification_description: Mapped[str | None] = mapped_column(String(255))
    notes: Mapped[str | None] = mapped_column(String(4000))
    given_name_key: Mapped[str] = mapped_column(String(NAME_KEY_LENGTH))
    family_name_key: Mapped[str] = mapped_column(String(NAME_KEY_LENGTH))
    previous_family_name_key: Mapped[str | None] = mapped_column(String(NAME_KEY_LENGTH))
    postcode_key: Mapped[str] = mapped_column(String(9))
    demographics_key: Mapped[str] = mapped_column(String(64))  # domain.matching.demographics_key
    version_number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(1))  # domain.model.LearnerStatus
    tier_level: Mapped[str] = mapped_column(String(1), default="0", server_default="0")
    master_uln: Mapped[str | None] = mapped_column(String(10), index=True)
    registered_by_organisation_id: Mapped[int | None] = org_fk(nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
