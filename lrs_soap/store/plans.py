"""SQL for learner plans (domain.plans); never commits."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from lrs_soap.domain.plans import AimStatus, Plan, PlanChange, PlanContent, PlannedAim
from lrs_soap.store.orm import LearnerPlanChangeRow, LearnerPlanRow, LearnerPlanShareRow


def _aims_out(aims: tuple[PlannedAim, ...]) -> list[dict]:
    return [{**dataclasses.asdict(aim), "planned_start": aim.planned_start.isoformat(),
             "planned_end": aim.planned_end.isoformat()} for aim in aims]


def _aims_in(stored: list[dict]) -> tuple[PlannedAim, ...]:
    return tuple(PlannedAim(**{**aim, "planned_start": dt.date.fromisoformat(aim["planned_start"]),
                               "planned_end": dt.date.fromisoformat(aim["planned_end"]),
                               "status": AimStatus(aim["status"])}) for aim in stored)


class SqlPlanStore:
    """ports PlanStore (service/plan_ports.py) on the unit of work's Session."""

    def __init__(self, session: Session):
        self._session = session

    def by_owner(self, organisation_id: int, uln: str) -> Plan | None:
        plan_id = self._session.scalar(select(LearnerPlanRow.id).where(
            LearnerPlanRow.organisation_id == organisation_id, LearnerPlanRow.uln == uln))
        return None if plan_id is None else self.get(plan_id)

    def visible_for_learner(self, organisation_id: int, uln: str) -> list[Plan]:
        """The learner's plans the organisation owns or that were shared with it."""
        shared = select(LearnerPlanShareRow.plan_id).where(
            LearnerPlanShareRow.organisation_id == organisation_id)
        ids = self._session.scalars(select(LearnerPlanRow.id).where(
            LearnerPlanRow.uln == uln, (LearnerPlanRow.organisation_id == organisation_id)
            | LearnerPlanRow.id.in_(shared)).order_by(LearnerPlanRow.id))
        return [plan for plan_id in ids if (plan := self.get(plan_id)) is not None]

    def get(self, plan_id: int) -> Plan | None:
        row = self._session.get(LearnerPlanRow, plan_id, populate_existing=True)
        if row is None:
            return None
        history = tuple(PlanChange(r.version, r.at, r.organisation_id, r.user_name,
                                   tuple(r.changes)) for r in self._session.scalars(
            select(LearnerPlanChangeRow).where(LearnerPlanChangeRow.plan_id == plan_id)
            .order_by(LearnerPlanChangeRow.version)))
        shared = tuple(self._session.scalars(
            select(LearnerPlanShareRow.organisation_id)
            .where(LearnerPlanShareRow.plan_id == plan_id)
            .order_by(LearnerPlanShareRow.organisation_id)))
        content = PlanContent(row.goals, row.notes, _aims_in(row.aims))
        return Plan(row.id, row.uln, row.organisation_id, content, row.version, row.created_at,
                    row.updated_at, row.updated_by, history, shared)

    def add(self, *, organisation_id: int, uln: str, content: PlanContent, user: str,
            now: dt.datetime) -> int:
        return self._session.execute(insert(LearnerPlanRow).returning(LearnerPlanRow.id).values(
            organisation_id=organisation_id, uln=uln, goals=content.goals, notes=content.notes,
            aims=_aims_out(content.aims), version=1, created_at=now, updated_at=now,
            updated_by=user)).scalar_one()

    def replace(self, plan_id: int, *, expected_version: int, content: PlanContent, user: str,
                now: dt.datetime) -> bool:
        """Compare-and-set: False when another save came first."""
        changed = self._session.execute(update(LearnerPlanRow).where(
            LearnerPlanRow.id == plan_id, LearnerPlanRow.version == expected_version).values(
            goals=content.goals, notes=content.notes, aims=_aims_out(content.aims),
            version=expected_version + 1, updated_at=now, updated_by=user))
        return changed.rowcount == 1

    def record_change(self, plan_id: int, change: PlanChange) -> None:
        self._session.execute(insert(LearnerPlanChangeRow).values(
            plan_id=plan_id, version=change.version, at=change.at,
            organisation_id=change.organisation_id, user_name=change.user_name,
            changes=list(change.changes)))

    def share(self, plan_id: int, organisation_id: int, *, user: str, now: dt.datetime) -> bool:
        """False when it was shared with that organisation already."""
        exists = self._session.scalar(select(func.count()).where(
            LearnerPlanShareRow.plan_id == plan_id,
            LearnerPlanShareRow.organisation_id == organisation_id))
        if exists:
            return False
        self._session.execute(insert(LearnerPlanShareRow).values(
            plan_id=plan_id, organisation_id=organisation_id, shared_at=now, shared_by=user))
        return True

    def page(self, organisation_id: int, *, offset: int, limit: int) -> tuple[list[Plan], int]:
        """Plans the organisation owns or that were shared with it, newest change first."""
        shared = select(LearnerPlanShareRow.plan_id).where(
            LearnerPlanShareRow.organisation_id == organisation_id)
        visible = select(LearnerPlanRow.id).where(
            (LearnerPlanRow.organisation_id == organisation_id)
            | LearnerPlanRow.id.in_(shared))
        total = self._session.scalar(select(func.count()).select_from(visible.subquery()))
        ids = self._session.scalars(visible.order_by(LearnerPlanRow.updated_at.desc(),
                                                     LearnerPlanRow.id.desc())
                                    .offset(offset).limit(limit))
        return [plan for plan_id in ids if (plan := self.get(plan_id)) is not None], total or 0
