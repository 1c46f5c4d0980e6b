"""The demo OLASS organisation's learner plan (docs/learner-plans.md): Sam Example's plan,
one aim in learning and one planned. Loaded once."""

from __future__ import annotations

import datetime as dt

from lrs_soap.domain.plans import AimStatus, PlanContent, PlannedAim
from lrs_soap.domain.plr import RecordQuery
from lrs_soap.service import plans
from lrs_soap.service.accounts import Caller
from lrs_soap.service.context import ServiceContext

OLASS_UKPRN = "10000005"
SAM = RecordQuery("1026893096", "Sam", "Example")
DEMO_PLAN = PlanContent(
    goals="Functional Skills English before release; a workplace health and safety unit.",
    notes="Prefers morning sessions.",
    aims=(PlannedAim("500/9999/1", dt.date(2025, 9, 1), dt.date(2026, 3, 31),
                     AimStatus.IN_LEARNING),
          PlannedAim("Y/600/4321", dt.date(2026, 4, 1), dt.date(2026, 6, 30))))


def load_plans(ctx: ServiceContext) -> None:
    with ctx.uow_factory() as uow:
        olass = uow.organisations.by_ukprn(OLASS_UKPRN)
        if olass is None or uow.plans.page(olass.id, offset=0, limit=1)[1]:
            return
    plans.save_plan(ctx, Caller(olass, "trainer"), SAM, DEMO_PLAN)
