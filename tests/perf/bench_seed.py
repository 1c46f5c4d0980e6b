"""Seeding benchmark: how fast ``lrs_soap.store.seed.seed_learners`` loads synthetic learners.

    python tests/perf/bench_seed.py [--count 1000000] [--database-url URL]
                                    [--batch-size N] [--seed S] [--keep]

Migrates the database (a temporary SQLite file unless --database-url), seeds --count
learners, and prints the rate (rows/s), the CPU time of this process per row and the
database size. The machine may be shared: figures move from run to run. Target: more than
20,000 rows/s, and 1,000,000 learners into SQLite well under 5 minutes.

Not a test module (pytest collects test_*.py only).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _support  # noqa: F401  (puts the repository root on sys.path)
import sqlalchemy as sa

from lrs_soap.store import create_engine, migrate
from lrs_soap.store.seed import seed_learners

TARGET_ROWS_PER_SECOND = 20_000


def _size(engine: sa.Engine) -> tuple[int, str]:
    """Bytes on disk and how they split: the SQLite file and its WAL, or PostgreSQL's
    pg_database_size (the whole database)."""
    if engine.dialect.name == "sqlite":
        path = engine.url.database
        main, wal = (os.path.getsize(p) if os.path.exists(p) else 0
                     for p in (path, f"{path}-wal"))
        return main + wal, f"file {main / 2**20:,.1f} MiB + WAL {wal / 2**20:,.1f} MiB"
    with engine.connect() as connection:
        size = connection.scalar(sa.text("SELECT pg_database_size(current_database())"))
    return size, "pg_database_size"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--database-url", help="default: a new temporary SQLite file")
    parser.add_argument("--batch-size", type=int, help="default: seed_learners' own")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", action="store_true", help="keep the temporary database")
    args = parser.parse_args(argv)

    temporary = None
    url = args.database_url
    if url is None:
        temporary = tempfile.mkdtemp(prefix="lrs-seed-bench-")
        url = f"sqlite:///{Path(temporary) / 'lrs.db'}"
    migrate.upgrade(url)
    engine = create_engine(url)
    options = {} if args.batch_size is None else {"batch_size": args.batch_size}
    started, cpu = time.perf_counter(), time.process_time()
    printed = [0]

    def progress(done: int) -> None:  # about ten lines, whatever the batch size
        if done - printed[0] >= args.count / 10 or done == args.count:
            printed[0] = done
            rate = done / (time.perf_counter() - started)
            print(f"  {done:>10,} learners  {rate:>9,.0f} rows/s", flush=True)

    try:
        report = seed_learners(engine, args.count, seed=args.seed,
                               now=dt.datetime.now(dt.UTC), progress=progress, **options)
        cpu_per_row = (time.process_time() - cpu) / max(args.count, 1) * 1e6
        engine.dispose()  # SQLite: the last connection to close checkpoints the WAL
        size, split = _size(engine)
    finally:
        engine.dispose()
    print(f"database   {engine.url.render_as_string(hide_password=True)}")
    print(f"inserted   {report.inserted:,}  skipped {report.skipped:,}  "
          f"merged {report.merged:,}")
    print(f"time       {report.seconds:.1f} s  ({report.rows_per_second:,.0f} rows/s; "
          f"writer CPU {cpu_per_row:.1f} us/row; target > {TARGET_ROWS_PER_SECOND:,})")
    per_learner = f" ({size / report.inserted:,.0f} bytes per learner)" if report.inserted else ""
    print(f"size       {size / 2**20:,.1f} MiB: {split}{per_learner}")
    peaks = [resource.getrusage(who).ru_maxrss / 1024 for who in
             (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    print(f"memory     peak RSS {peaks[0]:,.0f} MiB (writer), "
          f"{peaks[1]:,.0f} MiB (generator process)")
    if temporary is not None:
        if args.keep:
            print(f"kept       {temporary}")
        else:
            shutil.rmtree(temporary)
    return 0


if __name__ == "__main__":  # the seeder spawns a process that imports this module again
    sys.exit(main())
