"""Harness control timings: resets per backend and state, and the pytest plugin's start.

    python tests/perf/bench_control.py [--rounds 20] [--postgres-url postgresql+psycopg://...]

Prints the median and worst of ``--rounds`` resets to empty, demo and the test fixture
(after the first, which loads through the service layer and is reported apart), and the
time ``start_gateway`` takes: first in the process (migrates the template) and later ones.
PostgreSQL is measured when ``--postgres-url`` (or LRS_TEST_POSTGRES_URL) names a server on
which a scratch database may be created.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

FIXTURE = REPO / "tests" / "control" / "data" / "college.yaml"


def resets(url: str, rounds: int) -> None:
    from lrs_soap.bootstrap import build_runtime
    from lrs_soap.config import Settings
    from lrs_soap.store import migrate

    migrate.upgrade(url)
    runtime = build_runtime(Settings(database_url=url, control="on"))
    try:
        for state in ("empty", "demo", FIXTURE):
            first = runtime.control.reset(state)
            times = [runtime.control.reset(state).seconds for _ in range(rounds)]
            print(f"  {Path(str(state)).name:14} first {first.seconds * 1000:7.1f} ms   "
                  f"then median {statistics.median(times) * 1000:6.1f} ms, "
                  f"worst {max(times) * 1000:6.1f} ms ({first.rows} rows)")
    finally:
        runtime.close()


def plugin_starts(count: int) -> None:
    from lrs_soap.testing import start_gateway

    for n in range(count):
        started = time.perf_counter()
        with start_gateway("demo") as gateway:
            ready = time.perf_counter() - started
            assert gateway.url
        print(f"  start_gateway('demo') #{n + 1}: {ready * 1000:7.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--postgres-url", default=os.environ.get("LRS_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        print("SQLite reset:")
        resets(f"sqlite:///{directory}/bench.db", args.rounds)
    if args.postgres_url:
        import sqlalchemy as sa
        from sqlalchemy.engine import make_url

        name = f"lrs_bench_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(args.postgres_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        try:
            print("PostgreSQL reset:")
            resets(make_url(args.postgres_url).set(database=name)
                   .render_as_string(hide_password=False), args.rounds)
        finally:
            with admin.connect() as connection:
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    print("pytest plugin (in-process gateway):")
    plugin_starts(4)
    return 0


if __name__ == "__main__":
    sys.exit(main())
