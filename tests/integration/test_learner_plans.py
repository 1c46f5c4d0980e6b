"""ULN Learner Plans on a real database (SQLite, and PostgreSQL when available): only OLASS
organisations keep plans, a plan is seen only by its maker and those it shared it with, every
save is in the history, and two trainers saving the same plan get a version conflict, never a
lost update."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading

import pytest

from lrs_soap.bootstrap import build_runtime
from lrs_soap.config import Settings
from lrs_soap.domain.errors import InsufficientAccess, LrsError
from lrs_soap.domain.model import Role
from lrs_soap.domain.plans import AimStatus, PlanContent, PlannedAim
from lrs_soap.domain.plr import RecordQuery
from lrs_soap.service import accounts, demo, plans
from lrs_soap.service.accounts import AdminError, Credentials
from lrs_soap.service.plr import Page

TRAINER = Credentials("trainer", "DemoTrainer2026!", ukprn="10000005")
OTHER = Credentials("tutor", "OtherPrison2026!", ukprn="10000006")
TOM = RecordQuery("8383558804", "Tom", "Jones")
PRIYA_DUPLICATE = RecordQuery("2468013572", "Priya", "Shah")
PLAN = PlanContent(goals="Level 2 maths", aims=(
    PlannedAim("600/1234/5", dt.date(2025, 9, 1), dt.date(2026, 7, 31)),))


@pytest.fixture
def services(migrated_url):
    with build_runtime(Settings(database_url=migrated_url)) as services:
        demo.load(services)
        accounts.create_organisation(services, name="Other Prison", ukprn=OTHER.ukprn,
                                     reference=None, roles=frozenset(
                                         {Role.LEARNER_REGISTRATION_BODY, Role.OLASS}))
        accounts.set_password(services, OTHER.ukprn, OTHER.password)
        accounts.create_user(services, OTHER.ukprn, OTHER.user_name)
        yield services


def caller(services, credentials=TRAINER):
    return accounts.authenticate(services, credentials, "learner_plans")


def test_a_plan_is_created_changed_with_history_and_seen_only_by_its_maker(services):
    trainer = caller(services)
    created = plans.save_plan(services, trainer, TOM, PLAN)
    assert (created.code, created.uln) == ("WSRC0006", "8383558804")
    [plan] = created.plans
    assert (plan.version, plan.content.aims[0].title) == (
        1, "Demo Level 3 Diploma in Digital Skills")
    changed = dataclasses.replace(PLAN, notes="moved to the education wing", aims=(
        dataclasses.replace(PLAN.aims[0], status=AimStatus.IN_LEARNING),
        PlannedAim("Y/600/4321", dt.date(2026, 1, 5), dt.date(2026, 2, 5))))
    saved = plans.save_plan(services, trainer, TOM, changed, expected_version=1)
    [plan] = saved.plans
    assert plan.version == 2
    assert [(c.version, c.user_name, c.changes) for c in plan.history] == [
        (1, "trainer", ("plan created with 1 aim",)),
        (2, "trainer", ("aim 600/1234/5 status PLANNED -> IN_LEARNING",
                        "aim Y/600/4321 added (PLANNED)", "notes changed"))]
    assert plans.save_plan(services, trainer, TOM, changed, expected_version=2).code == (
        "WSRC0020")
    assert plans.save_plan(services, trainer, TOM, PLAN).code == "WSRC0021"

    other = caller(services, OTHER)
    assert plans.get_plans(services, other, TOM).code == "WSRC0001"  # not shared: invisible
    assert plans.list_plans(services, other, Page())[1] == 0
    assert plans.share_plan(services, other, plan.id, TRAINER.ukprn).code == "WSRC0001"
    assert plans.share_plan(services, trainer, plan.id, "10000002").code == "WSRC0021"  # AO
    assert plans.share_plan(services, trainer, plan.id, OTHER.ukprn).code == "WSRC0006"
    seen = plans.get_plans(services, other, TOM)
    assert (seen.code, [p.id for p in seen.plans]) == ("WSRC0004", [plan.id])
    # Shared to read: the other organisation's own save makes its own plan, never this one.
    own = plans.save_plan(services, other, TOM, PLAN)
    assert own.code == "WSRC0006" and own.plans[0].id != plan.id
    assert plans.get_plans(services, trainer, TOM).plans[0].version == 2


def test_identity_role_and_bad_aims(services):
    trainer = caller(services)
    assert plans.get_plans(services, trainer, RecordQuery("8383558804", "Tim", "Jones")
                           ).code == "WSEC0208"
    merged = plans.save_plan(services, trainer, PRIYA_DUPLICATE, PLAN)
    assert (merged.code, merged.uln) == ("WSRC0006", "1964986809")  # held under the master
    bad = PlanContent(aims=(
        PlannedAim("999/9999/9", dt.date(2025, 1, 1), dt.date(2025, 2, 1)),
        PlannedAim("600/1234/5", dt.date(2025, 3, 1), dt.date(2025, 2, 1),
                   AimStatus.PLANNED, outcome="Passed")))
    with pytest.raises(LrsError) as refused:
        plans.save_plan(services, trainer, TOM, bad)
    assert refused.value.code.value == "WSEC0001"
    assert refused.value.further_details == (
        "Aim[1].Reference is not in the qualification register; "
        "Aim[2].PlannedEndDate is before the PlannedStartDate; "
        "Aim[2].Outcome is only recorded for a COMPLETED or WITHDRAWN aim")
    assert plans.get_plans(services, trainer, TOM).code == "WSRC0001"  # nothing stored
    with services.uow_factory() as uow:
        lrb_only = uow.organisations.by_ukprn("10000001")
    with pytest.raises(InsufficientAccess):
        plans.get_plans(services, accounts.Caller(lrb_only, "demo"), TOM)
    with pytest.raises(AdminError, match="OLASS role is for learner registration bodies"):
        accounts.create_organisation(services, name="x", ukprn="10000099", reference=None,
                                     roles=frozenset({Role.OLASS}))


def test_two_trainers_saving_the_same_plan_one_saves_the_other_is_told(migrated_url):
    with build_runtime(Settings(database_url=migrated_url)) as services:
        demo.load(services)
        [plan] = plans.save_plan(services, caller(services), TOM, PLAN).plans
    start, answers = threading.Barrier(2), []

    def save(goals):
        with build_runtime(Settings(database_url=migrated_url)) as services:
            trainer = caller(services)
            start.wait(timeout=30)
            answers.append(plans.save_plan(services, trainer, TOM,
                                           dataclasses.replace(PLAN, goals=goals),
                                           expected_version=plan.version))

    threads = [threading.Thread(target=save, args=(goals,)) for goals in ("A", "B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(answer.code for answer in answers) == ["WSRC0006", "WSRC0013"]
    winner = next(a for a in answers if a.code == "WSRC0006").plans[0]
    loser = next(a for a in answers if a.code == "WSRC0013")
    assert loser.plans[0].content.goals == winner.content.goals  # told what is there now
    with build_runtime(Settings(database_url=migrated_url)) as services:
        [stored] = plans.get_plans(services, caller(services), TOM).plans
    assert (stored.version, stored.content.goals) == (2, winner.content.goals)
    assert [c.version for c in stored.history] == [1, 2]


def test_the_demo_has_an_olass_organisation_with_a_plan(services):
    [plan] = plans.get_plans(services, caller(services),
                             RecordQuery("1026893096", "Sam", "Example")).plans
    assert [(a.reference, a.status) for a in plan.content.aims] == [
        ("500/9999/1", AimStatus.IN_LEARNING), ("Y/600/4321", AimStatus.PLANNED)]
