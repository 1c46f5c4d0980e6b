"""Bulk-load synthetic learners (lrs_soap.domain.synthetic): ``lrs-soap seed learners``.

SQLAlchemy Core executemany, one transaction per chunk. Each ULN is claimed in
``uln_registry`` with INSERT ... ON CONFLICT DO NOTHING RETURNING, so a re-run with the same
seed, or a ULN issued elsewhere, skips that learner instead of failing. Learners that arrive
merged get status 2, their ``master_uln`` and a ``learner_links`` row.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from lrs_soap.domain.model import LearnerStatus
from lrs_soap.domain.names import postcode_key
from lrs_soap.domain.synthetic import SyntheticLearner, synthetic_learners
from lrs_soap.store.orm import LearnerLinkRow, LearnerRow, UlnRegistryRow

# The repository's own name-key helper (private, imported on purpose) so that seeded rows are
# found exactly like registered ones. Names repeat, so the keys are cached.
from lrs_soap.store.repositories import _key

MERGED_BY = "seed"
_name_key = functools.lru_cache(maxsize=1 << 16)(_key)
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
    claim = (_dialect_insert(connection)(_REGISTRY)
             .on_conflict_do_nothing(index_elements=[_REGISTRY.c.uln])
             .returning(_REGISTRY.c.uln))
    claimed = set(connection.scalars(claim, [{"uln": learner.uln, "issued_at": now}
                                             for learner in chunk]))
    fresh = [learner for learner in chunk if learner.uln in claimed]
    # A master from an earlier chunk or run must exist; otherwise the duplicate stays active.
    elsewhere = {learner.master_uln for learner in fresh
                 if learner.master_uln and learner.master_uln not in claimed}
    masters = claimed | (set(connection.scalars(
        select(_LEARNERS.c.uln).where(_LEARNERS.c.uln.in_(elsewhere)))) if elsewhere else set())
    rows, links = [], []
    for learner in fresh:
        master = learner.master_uln if learner.master_uln in masters else None
        rows.append(_row(learner, master, now))
        if master is not None:
            links.append({"merged_uln": learner.uln, "master_uln": master, "merged_at": now,
                          "unmerged_at": None, "merged_by": MERGED_BY})
    if rows:
        connection.execute(insert(_LEARNERS), rows)
    if links:
        connection.execute(insert(_LINKS), links)
    return len(rows), len(links)


def _row(learner: SyntheticLearner, master_uln: str | None, now: dt.datetime) -> dict:
    """The ``learners`` row, keys as SqlLearnerRepository.add computes them."""
    details = learner.details
    row = dict(vars(details))  # LearnerDetails' fields are the column names (orm.py)
    row.update(
        uln=learner.uln,
        given_name_key=_name_key(details.given_name),
        family_name_key=_name_key(details.family_name),
        previous_family_name_key=_name_key(details.previous_family_name) or None,
        postcode_key=postcode_key(details.postcode),
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
