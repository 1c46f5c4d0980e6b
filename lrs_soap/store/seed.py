"""Bulk-load synthetic learners (lrs_soap.domain.synthetic): ``lrs-soap seed learners``.

SQLAlchemy Core executemany, one transaction per chunk. Each ULN is claimed in
``uln_registry`` with INSERT ... ON CONFLICT DO NOTHING RETURNING, so a re-run with the same
seed, or a ULN issued elsewhere, skips that learner instead of failing. Learners that arrive
merged get status 2, their ``master_uln`` and a ``learner_links`` row. An active learner whose
five demographics clash with an active learner already held is skipped too (ON CONFLICT on
the unique index); its ULN stays claimed, like an abandoned registration.
"""

from __future__ import annotations

import datetime as dt
import itertools
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from lrs_soap.domain.model import LearnerStatus
from lrs_soap.domain.synthetic import SyntheticLearner, synthetic_learners
from lrs_soap.store.orm import LearnerLinkRow, LearnerRow, UlnRegistryRow
from lrs_soap.store.repositories import learner_columns

MERGED_BY = "seed"
_LEARNERS = LearnerRow.__table__
_REGISTRY = UlnRegistryRow.__table__
_LINKS = LearnerLinkRow.__table__


@dataclass(frozen=True)
class SeedReport:
    inserted: int
    skipped: int  # ULN already claimed (an earlier run, or issued elsewhere)
    merged: int  # inserted learners that are merged into a master
    seconds: float

    @property
    def rows_per_second(self) -> float:
        return (self.inserted + self.skipped) / self.seconds if self.seconds else 0.0


def seed_learners(engine: Engine, count: int, *, seed: int = 0, batch_size: int = 5000,
                  now: dt.datetime, progress: Callable[[int], None] | None = None
                  ) -> SeedReport:
    """Insert ``count`` synthetic learners; ``progress`` gets the number processed so far."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    started = time.perf_counter()
    learners = synthetic_learners(count, seed=seed, today=now.astimezone(dt.UTC).date())
    inserted = skipped = merged = done = 0
    with engine.connect() as connection, _fast_sqlite_writes(connection):
        for chunk in _chunks(learners, batch_size):
            with connection.begin():
                added, links = _seed_chunk(connection, chunk, now)
            inserted, merged = inserted + added, merged + links
            skipped += len(chunk) - added
            done += len(chunk)
            if progress is not None:
                progress(done)
    return SeedReport(inserted, skipped, merged, time.perf_counter() - started)


def _seed_chunk(connection: Connection, chunk: list[SyntheticLearner],
                now: dt.datetime) -> tuple[int, int]:
    """Claims the chunk's ULNs, then inserts the learners whose claim won. Returns the counts
    of learners and of merge links inserted."""
    upsert = _dialect_insert(connection)
    claim = (upsert(_REGISTRY).on_conflict_do_nothing(index_elements=[_REGISTRY.c.uln])
             .returning(_REGISTRY.c.uln))
    claimed = set(connection.scalars(claim, [{"uln": learner.uln, "issued_at": now}
                                             for learner in chunk]))
    fresh = [learner for learner in chunk if learner.uln in claimed]
    originals = [learner for learner in fresh if learner.master_uln is None]
    added, present = _insert_active(connection, upsert, originals, now)
    # A master must be held (this chunk, an earlier one, an earlier run); else stay active.
    duplicates = [learner for learner in fresh if learner.master_uln is not None]
    wanted = {learner.master_uln for learner in duplicates} - present
    if wanted:
        present |= set(connection.scalars(
            select(_LEARNERS.c.uln).where(_LEARNERS.c.uln.in_(wanted))))
    merged = [learner for learner in duplicates if learner.master_uln in present]
    if merged:
        connection.execute(insert(_LEARNERS), [_row(learner, now, learner.master_uln)
                                               for learner in merged])
        connection.execute(insert(_LINKS), [
            {"merged_uln": learner.uln, "master_uln": learner.master_uln, "merged_at": now,
             "unmerged_at": None, "merged_by": MERGED_BY} for learner in merged])
    orphans = [learner for learner in duplicates if learner.master_uln not in present]
    return added + len(merged) + _insert_active(connection, upsert, orphans, now)[0], len(merged)


def _insert_active(connection: Connection, upsert, learners: list[SyntheticLearner],
                   now: dt.datetime) -> tuple[int, set[str]]:
    """Inserts active learners, skipping demographic clashes. Returns how many were inserted
    and the ULNs now held."""
    if not learners:
        return 0, set()
    ulns = {learner.uln for learner in learners}
    statement = upsert(_LEARNERS).on_conflict_do_nothing().execution_options(
        preserve_rowcount=True)  # executemany: the driver sums the rows inserted
    added = connection.execute(statement, [_row(learner, now) for learner in learners]).rowcount
    if added != len(learners):  # rare: look up which ones went in
        ulns = set(connection.scalars(select(_LEARNERS.c.uln).where(_LEARNERS.c.uln.in_(ulns))))
    return added, ulns


def _row(learner: SyntheticLearner, now: dt.datetime, master_uln: str | None = None) -> dict:
    """The ``learners`` row: detail columns and match keys from the repository's own helper,
    so a seeded learner is found exactly like a registered one."""
    row = learner_columns(learner.details)
    row.update(
        uln=learner.uln,
        version_number=1,
        status=(LearnerStatus.ACTIVE if master_uln is None else LearnerStatus.MERGED).value,
        tier_level="0",
        master_uln=master_uln,
        registered_by_organisation_id=None,
        created_at=now,
        updated_at=now,
    )
    return row


def _dialect_insert(connection: Connection):
    name = connection.dialect.name
    if name == "sqlite":
        return sqlite.insert
    if name == "postgresql":
        return postgresql.insert
    raise NotImplementedError(f"seeding is not implemented for {name}")


def _chunks(items: Iterable[SyntheticLearner], size: int) -> Iterator[list[SyntheticLearner]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


@contextmanager
def _fast_sqlite_writes(connection: Connection) -> Iterator[None]:
    """On SQLite, this connection only: no fsync per commit (``synchronous=OFF``; a crash may
    lose the last chunks, never corrupt the WAL database) and a larger page cache. Restored
    before the connection goes back to the pool."""
    if connection.dialect.name != "sqlite":
        yield
        return
    driver = connection.connection.driver_connection
    saved = [(pragma, driver.execute(f"PRAGMA {pragma}").fetchone()[0])
             for pragma in ("synchronous", "cache_size")]
    driver.execute("PRAGMA synchronous=OFF")
    driver.execute("PRAGMA cache_size=-262144")  # 256 MiB
    try:
        yield
    finally:
        for pragma, value in saved:
            driver.execute(f"PRAGMA {pragma}={int(value)}")
