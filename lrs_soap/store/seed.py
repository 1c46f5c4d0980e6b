"""Bulk-load synthetic learners (lrs_soap.domain.synthetic): ``lrs-soap seed learners``.

SQLAlchemy Core executemany, one transaction per chunk. Each ULN is claimed in
``uln_registry`` with INSERT ... ON CONFLICT DO NOTHING RETURNING, so a re-run with the same
seed, or a ULN issued elsewhere, skips that learner instead of failing. Learners that arrive
merged get status 2, their ``master_uln`` and a ``learner_links`` row. An active learner whose
five demographics clash with an active learner already held is skipped too (ON CONFLICT on
the unique index); its ULN stays claimed, like an abandoned registration.

For large loads a second process generates the learners and their rows while this one
writes (the generator is sequential, so the learners are the same either way).
"""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import multiprocessing
import queue
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from lrs_soap.domain.model import LearnerStatus
from lrs_soap.domain.synthetic import SyntheticLearner, synthetic_learners
from lrs_soap.store.orm import LearnerLinkRow, LearnerRow, UlnRegistryRow
from lrs_soap.store.repositories import learner_columns

MERGED_BY = "seed"
PARALLEL_FROM = 50_000  # learners; below this, starting a producer process costs more
_LEARNERS = LearnerRow.__table__
_REGISTRY = UlnRegistryRow.__table__
_LINKS = LearnerLinkRow.__table__
_NULL_BY_DEFAULT = frozenset(column.name for column in _LEARNERS.columns if column.nullable
                             and column.default is None and column.server_default is None)

# One learner on its way in: its ``learners`` row (as if active) and the ULN of the learner
# it was merged into, if any.
Pending = tuple[dict, str | None]


@dataclass(frozen=True)
class SeedReport:
    inserted: int
    skipped: int  # ULN already claimed (an earlier run, or issued elsewhere)
    merged: int  # inserted learners that are merged into a master
    seconds: float

    @property
    def rows_per_second(self) -> float:
        return (self.inserted + self.skipped) / self.seconds if self.seconds else 0.0


def seed_learners(engine: Engine, count: int, *, seed: int = 0, batch_size: int = 20_000,
                  now: dt.datetime, progress: Callable[[int], None] | None = None
                  ) -> SeedReport:
    """Insert ``count`` synthetic learners; ``progress`` gets the number processed so far.

    ``batch_size`` learners go in per transaction. On SQLite each commit rewrites every index
    page the chunk touched, so small chunks cost dearly on a large table: for 1,000,000
    learners 20,000 is about 1.5 times as fast as 5,000 (50,000 gains nothing more).
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    started = time.perf_counter()
    source = _produced_chunks if count >= PARALLEL_FROM else _chunks
    chunks = source(count, seed, now.astimezone(dt.UTC).date(), batch_size, now)
    inserted = skipped = merged = done = 0
    with (_no_cyclic_gc(), closing(chunks), engine.connect() as connection,
          _fast_sqlite_writes(connection)):
        for chunk in chunks:
            with connection.begin():
                added, links = _seed_chunk(connection, chunk, now)
            inserted, merged = inserted + added, merged + links
            skipped += len(chunk) - added
            done += len(chunk)
            if progress is not None:
                progress(done)
    return SeedReport(inserted, skipped, merged, time.perf_counter() - started)


def _seed_chunk(connection: Connection, chunk: list[Pending], now: dt.datetime
                ) -> tuple[int, int]:
    """Claims the chunk's ULNs, then inserts the learners whose claim won. Returns the counts
    of learners and of merge links inserted."""
    upsert = _dialect_insert(connection)
    claim = (upsert(_REGISTRY).on_conflict_do_nothing(index_elements=[_REGISTRY.c.uln])
             .returning(_REGISTRY.c.uln))
    claimed = set(connection.scalars(claim, [{"uln": row["uln"], "issued_at": now}
                                             for row, _ in chunk]))
    fresh = [(row, master) for row, master in chunk if row["uln"] in claimed]
    added, present = _insert_active(connection, upsert, [r for r, m in fresh if m is None])
    # A master must be held (this chunk, an earlier one, an earlier run); else stay active.
    duplicates = [(row, master) for row, master in fresh if master is not None]
    present |= _held(connection, {master for _, master in duplicates} - present)
    merged = [row | {"status": LearnerStatus.MERGED.value, "master_uln": master}
              for row, master in duplicates if master in present]
    if merged:
        connection.execute(insert(_LEARNERS), merged)
        connection.execute(insert(_LINKS), [
            {"merged_uln": row["uln"], "master_uln": row["master_uln"], "merged_at": now,
             "unmerged_at": None, "merged_by": MERGED_BY} for row in merged])
    orphans = [row for row, master in duplicates if master not in present]
    return added + len(merged) + _insert_active(connection, upsert, orphans)[0], len(merged)


def _insert_active(connection: Connection, upsert, rows: list[dict]) -> tuple[int, set[str]]:
    """Inserts active learners, skipping demographic clashes. Returns how many were inserted
    and the ULNs now held."""
    if not rows:
        return 0, set()
    statement = upsert(_LEARNERS).on_conflict_do_nothing().execution_options(
        preserve_rowcount=True)  # executemany: the driver sums the rows inserted
    added = connection.execute(statement, rows).rowcount
    ulns = {row["uln"] for row in rows}
    return added, ulns if added == len(rows) else _held(connection, ulns)  # rare: look up


def _held(connection: Connection, ulns: set[str]) -> set[str]:
    """Those of ``ulns`` that a learner holds, asked in slices (SQLite binds 32,766 at most)."""
    ordered, held = sorted(ulns), set()
    for start in range(0, len(ordered), 10_000):
        held.update(connection.scalars(select(_LEARNERS.c.uln).where(
            _LEARNERS.c.uln.in_(ordered[start:start + 10_000]))))
    return held


def _row(learner: SyntheticLearner, now: dt.datetime) -> dict:
    """The ``learners`` row of an active learner: detail columns and match keys from the
    repository's own helper, so a seeded learner is found exactly like a registered one."""
    row = learner_columns(learner.details)
    row.update(uln=learner.uln, version_number=1, status=LearnerStatus.ACTIVE.value,
               tier_level="0", master_uln=None, registered_by_organisation_id=None,
               created_at=now, updated_at=now)
    return row


def _bindable(rows: list[dict]) -> list[dict]:
    """Leaves out the columns that are None in every row and have no default: the database
    stores NULL all the same, and binding fewer parameters saves a third of SQLAlchemy's
    per-row work. (Merged rows put ``master_uln`` back.)"""
    empty = [key for key in rows[0] if key in _NULL_BY_DEFAULT
             and all(row[key] is None for row in rows)]
    for row in rows:
        for key in empty:
            del row[key]
    return rows


def _dialect_insert(connection: Connection):
    name = connection.dialect.name
    if name == "sqlite":
        return sqlite.insert
    if name == "postgresql":
        return postgresql.insert
    raise NotImplementedError(f"seeding is not implemented for {name}")


def _chunks(count: int, seed: int, today: dt.date, size: int, now: dt.datetime
            ) -> Iterator[list[Pending]]:
    learners = synthetic_learners(count, seed=seed, today=today)
    while chunk := list(itertools.islice(learners, size)):
        rows = _bindable([_row(learner, now) for learner in chunk])
        yield [(row, learner.master_uln) for row, learner in zip(rows, chunk, strict=True)]


def _produce(out: multiprocessing.Queue, *args) -> None:
    """The producer process: every chunk of ``_chunks(*args)``, then None (or the error)."""
    gc.disable()  # see _no_cyclic_gc
    try:
        for chunk in _chunks(*args):
            out.put(chunk)
        out.put(None)
    except Exception as error:  # handed to the writer, which raises it
        out.put(error)


def _produced_chunks(*args) -> Iterator[list[Pending]]:
    """``_chunks(*args)``, generated in a second process (spawned: safe beside threads)."""
    context = multiprocessing.get_context("spawn")
    chunks = context.Queue(maxsize=2)
    producer = context.Process(target=_produce, args=(chunks, *args), daemon=True)
    producer.start()
    try:
        while True:
            try:
                chunk = chunks.get(timeout=1)
            except queue.Empty:
                if not producer.is_alive():
                    raise RuntimeError("the learner generator process died") from None
                continue
            if chunk is None:
                return
            if isinstance(chunk, Exception):
                raise chunk
            yield chunk
    finally:
        if producer.is_alive():
            producer.terminate()  # the writer stopped early: the producer may be blocked
        producer.join()
        chunks.close()


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """The cyclic garbage collector off while seeding (a tenth of the writer's time): the
    rows are acyclic and freed by reference counting; the collector's earlier state returns."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def _fast_sqlite_writes(connection: Connection) -> Iterator[None]:
    """On SQLite, for this connection only: no fsync at commit (``synchronous=OFF``: a crash
    of this process loses nothing, but an OS crash or power cut during the load may corrupt
    the file) and a 256 MiB page cache for the indexes. Both restored before the connection
    goes back to the pool."""
    if connection.dialect.name != "sqlite":
        yield
        return
    driver = connection.connection.driver_connection
    saved = [(pragma, driver.execute(f"PRAGMA {pragma}").fetchone()[0])
             for pragma in ("synchronous", "cache_size")]
    driver.execute("PRAGMA synchronous=OFF")
    driver.execute("PRAGMA cache_size=-262144")
    try:
        yield
    finally:
        for pragma, value in saved:
            driver.execute(f"PRAGMA {pragma}={int(value)}")
