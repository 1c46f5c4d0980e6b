"""Data challenges and the audit log."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from lrs_soap.store.tables.base import (
    Base,
    UtcDateTime,
    org_fk,
)


class DataChallengeRow(Base):
    __tablename__ = "data_challenges"
    __table_args__ = (
        # One open challenge per organisation per event (per ULN and type): the database
        # settles two racing raises, which both saw none open.
        Index("uq_data_challenges_open_event", "learning_event_id", "raised_by_organisation_id",
              unique=True, sqlite_where=text("kind = 'event' AND status = 'open'"),
              postgresql_where=text("kind = 'event' AND status = 'open'")),
        Index("uq_data_challenges_open_uln", "uln", "challenge_type",
              "raised_by_organisation_id", unique=True,
              sqlite_where=text("kind = 'uln' AND status = 'open'"),
              postgresql_where=text("kind = 'uln' AND status = 'open'")),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # event, uln
    learning_event_id: Mapped[int | None] = mapped_column(ForeignKey("learning_events.id"))
    uln: Mapped[str | None] = mapped_column(String(10))
    challenge_type: Mapped[str | None] = mapped_column(String(30))
    raised_by_organisation_id: Mapped[int] = org_fk()
    raised_by_user: Mapped[str] = mapped_column(String(35))
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))  # open, accepted, rejected, resolved
    resolution: Mapped[str | None] = mapped_column(Text)
    raised_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    resolved_by_organisation_id: Mapped[int | None] = org_fk(nullable=True)


class AuditLogRow(Base):
    """Who did what to which learner. No foreign keys: the log outlives what it names."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    organisation_id: Mapped[int | None] = mapped_column(Integer)
    user_name: Mapped[str | None] = mapped_column(String(35))
    action: Mapped[str] = mapped_column(String(50), index=True)
    uln: Mapped[str | None] = mapped_column(String(10), index=True)
    detail: Mapped[dict | None] = mapped_column(JSON)
