"""Harness control (lrs_soap.control), shared by every web and batch worker process,
and the request journal."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Float,
    Integer,
    LargeBinary,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from lrs_soap.store.tables.base import (
    Base,
    UtcDateTime,
)


class ControlSettingRow(Base):
    """One named piece of control state (the clock, batch timing, the minting seed)."""

    __tablename__ = "control_settings"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[dict] = mapped_column(JSON)


class ControlCounterRow(Base):
    """Counters of deterministic minting: the n-th ULN or JobID drawn from the seed."""

    __tablename__ = "control_counters"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


class ControlFaultRow(Base):
    """An injected fault: the next ``remaining`` matching SOAP calls get ``action``."""

    __tablename__ = "control_faults"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    operation: Mapped[str | None] = mapped_column(String(100))  # None: any operation
    organisation: Mapped[str | None] = mapped_column(String(20))  # UKPRN or ref; None: any
    action: Mapped[str] = mapped_column(String(10))  # fault, http, delay, drop
    code: Mapped[str | None] = mapped_column(String(20))  # WSEC0999 / 503
    delay_ms: Mapped[int | None] = mapped_column(Integer)
    remaining: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class RequestJournalRow(Base):
    """One SOAP call as received and answered (lrs_soap.service.journal); secrets redacted."""

    __tablename__ = "request_journal"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    request_id: Mapped[str] = mapped_column(String(64))
    face: Mapped[str] = mapped_column(String(10))  # native, mirror
    endpoint: Mapped[str] = mapped_column(String(40))
    operation: Mapped[str] = mapped_column(String(60), index=True)
    organisation: Mapped[str | None] = mapped_column(String(20))  # UKPRN or ref, as sent
    user_name: Mapped[str | None] = mapped_column(String(64))
    code: Mapped[str] = mapped_column(String(20))
    http_status: Mapped[int] = mapped_column(Integer)
    latency_ms: Mapped[float] = mapped_column(Float)
    request_envelope: Mapped[bytes | None] = mapped_column(LargeBinary)
    response_envelope: Mapped[bytes | None] = mapped_column(LargeBinary)
