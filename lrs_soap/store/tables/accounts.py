"""Organisations, their users, portal sessions and the sign-in throttle's failures."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column

from lrs_soap.store.tables.base import (
    Base,
    UtcDateTime,
    org_fk,
    utcnow,
)


class OrganisationRow(Base):
    __tablename__ = "organisations"
    __table_args__ = (
        CheckConstraint("ukprn IS NOT NULL OR reference IS NOT NULL", name="ukprn_or_reference"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    ukprn: Mapped[str | None] = mapped_column(String(8), unique=True)
    reference: Mapped[str | None] = mapped_column(String(6), unique=True)  # OrganisationRef
    is_learner_registration_body: Mapped[bool] = mapped_column(Boolean, default=False)
    is_awarding_organisation: Mapped[bool] = mapped_column(Boolean, default=False)
    is_olass: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_hash: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class UserRow(Base):
    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("organisation_id", "user_name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = org_fk()
    user_name: Mapped[str] = mapped_column(String(35))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The Organisation Portal: the user's own Argon2id password and role (domain PortalRole)
    portal_password_hash: Mapped[str | None] = mapped_column(Text)
    portal_role: Mapped[str] = mapped_column(String(20), default="USER", server_default="USER")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class PortalSessionRow(Base):
    """A signed-in portal session, kept server side: signing out ends it here, so a copy of
    the cookie made before is refused afterwards (only the token's SHA-256 is stored)."""

    __tablename__ = "portal_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    started_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class SignInFailureRow(Base):
    """Failed sign-ins per organisation and user name as sent ('' = any user of it)."""

    __tablename__ = "sign_in_failures"
    organisation: Mapped[str] = mapped_column(String(110), primary_key=True)
    user_name: Mapped[str] = mapped_column(String(100), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    last_failure_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    blocked_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
