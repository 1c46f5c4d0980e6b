"""Learner Plans, their changes and their shares."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from lrs_soap.store.tables.base import (
    Base,
    UtcDateTime,
    org_fk,
)


class LearnerPlanRow(Base):
    """An OLASS organisation's plan for one learner (domain.plans)."""

    __tablename__ = "learner_plans"
    __table_args__ = (UniqueConstraint("organisation_id", "uln"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = org_fk()
    uln: Mapped[str] = mapped_column(String(10), index=True)  # the holding (master) ULN
    goals: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    aims: Mapped[list] = mapped_column(JSON)  # PlannedAim values, in the trainer's order
    version: Mapped[int] = mapped_column(Integer)  # compare-and-set: two trainers saving
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    updated_by: Mapped[str] = mapped_column(String(35))


class LearnerPlanChangeRow(Base):
    """One save of a plan: who (organisation, user), when, what changed."""

    __tablename__ = "learner_plan_history"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("learner_plans.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    organisation_id: Mapped[int] = org_fk()
    user_name: Mapped[str] = mapped_column(String(35))
    changes: Mapped[list] = mapped_column(JSON)


class LearnerPlanShareRow(Base):
    """The owner shared the plan with another OLASS organisation, which may read it."""

    __tablename__ = "learner_plan_shares"
    __table_args__ = (UniqueConstraint("plan_id", "organisation_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("learner_plans.id"))
    organisation_id: Mapped[int] = org_fk()
    shared_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    shared_by: Mapped[str] = mapped_column(String(35))
