"""Seeding synthetic learners into a migrated database (SQLite, and PostgreSQL when set)."""

from __future__ import annotations

import datetime as dt
import multiprocessing

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from lrs_soap.domain.model import LearnerStatus
from lrs_soap.domain.synthetic import synthetic_learners
from lrs_soap.store import seed as seeding
from lrs_soap.store.orm import LearnerLinkRow, LearnerRow, UlnRegistryRow
from lrs_soap.store.repositories import SqlLearnerRepository
from lrs_soap.store.seed import seed_learners

NOW = dt.datetime(2026, 5, 1, 9, 30, tzinfo=dt.UTC)
COUNT = 3000


def _generated(count=COUNT, seed=0):
    return list(synthetic_learners(count, seed=seed, today=NOW.date()))


def _count(engine, table, *where) -> int:
    with engine.connect() as connection:
        return connection.scalar(sa.select(sa.func.count()).select_from(table).where(*where))


def test_seeding_loads_learners_registry_and_merges_and_a_rerun_skips_them(engine):
    generated = _generated()
    merged = [learner for learner in generated if learner.master_uln]
    progress: list[int] = []

    report = seed_learners(engine, COUNT, batch_size=1000, now=NOW, progress=progress.append)

    assert (report.inserted, report.skipped, report.merged) == (COUNT, 0, len(merged))
    assert merged and report.seconds > 0 and progress == [1000, 2000, 3000]
    assert _count(engine, LearnerRow.__table__) == COUNT
    assert _count(engine, LearnerRow.__table__, LearnerRow.status == "2") == len(merged)
    assert _count(engine, LearnerLinkRow.__table__, LearnerLinkRow.merged_by == "seed") == len(
        merged)
    with engine.connect() as connection:
        registry = set(connection.scalars(sa.select(UlnRegistryRow.uln)))
    assert registry >= {learner.uln for learner in generated}

    with Session(engine) as session:
        learners = SqlLearnerRepository(session)
        rich = next(learner for learner in generated if learner.details.email_address
                    and learner.details.middle_other_name and not learner.master_uln)
        found = learners.by_uln(rich.uln)
        assert found.details == rich.details
        assert found.status is LearnerStatus.ACTIVE and found.version_number == 1
        assert found.created_at == NOW and found.master_uln is None

        duplicate = merged[0]
        held = learners.by_uln(duplicate.uln)
        assert held.status is LearnerStatus.MERGED and held.master_uln == duplicate.master_uln
        assert held.details == duplicate.details
        master = learners.by_uln(duplicate.master_uln)
        assert duplicate.uln in master.linked_ulns and master.status is LearnerStatus.ACTIVE

    again = seed_learners(engine, COUNT, batch_size=1000, now=NOW)
    assert (again.inserted, again.skipped, again.merged) == (0, COUNT, 0)
    assert _count(engine, LearnerRow.__table__) == COUNT
    assert _count(engine, LearnerLinkRow.__table__) == len(merged)


def test_a_longer_run_with_the_same_seed_adds_only_the_new_learners(engine):
    seed_learners(engine, 1000, now=NOW)
    report = seed_learners(engine, 1500, batch_size=400, now=NOW)
    assert (report.inserted, report.skipped) == (500, 1000)
    assert _count(engine, LearnerRow.__table__) == 1500


def test_a_learner_already_held_with_the_same_demographics_is_skipped(engine):
    first = _generated(1)[0]
    with Session(engine) as session:
        SqlLearnerRepository(session).add("1748529632", first.details, registered_by=None,
                                          now=NOW)
        session.commit()

    report = seed_learners(engine, 200, now=NOW)

    assert (report.inserted, report.skipped) == (199, 1)
    assert _count(engine, LearnerRow.__table__, LearnerRow.uln == first.uln) == 0
    # Claimed all the same, like an abandoned registration: never issued to anyone else.
    assert _count(engine, UlnRegistryRow.__table__, UlnRegistryRow.uln == first.uln) == 1


def test_the_producer_process_gives_the_same_rows(engine, monkeypatch):
    monkeypatch.setattr(seeding, "PARALLEL_FROM", 0)
    report = seed_learners(engine, 1200, seed=4, batch_size=500, now=NOW)
    generated = _generated(1200, seed=4)
    assert (report.inserted, report.merged) == (1200, sum(1 for g in generated if g.master_uln))
    with Session(engine) as session:
        learners = SqlLearnerRepository(session)
        for learner in generated[::97]:
            assert learners.by_uln(learner.uln).details == learner.details


def test_a_failure_while_writing_stops_the_producer_process(engine, monkeypatch):
    monkeypatch.setattr(seeding, "PARALLEL_FROM", 0)

    def stop(done: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        seed_learners(engine, 5000, batch_size=500, now=NOW, progress=stop)
    assert multiprocessing.active_children() == []
    assert _count(engine, LearnerRow.__table__) == 500  # the chunk committed before the stop


def test_naive_now_is_refused(engine):
    with pytest.raises(ValueError):
        seed_learners(engine, 10, now=NOW.replace(tzinfo=None))


def test_sqlite_settings_are_restored_after_seeding(engine):
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas only")
    with engine.connect() as connection:
        before = [connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                  for name in ("synchronous", "cache_size")]
    seed_learners(engine, 50, now=NOW)
    with engine.connect() as connection:
        after = [connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                 for name in ("synchronous", "cache_size")]
    assert after == before
