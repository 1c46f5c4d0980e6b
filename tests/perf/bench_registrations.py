"""Registrations per second on SQLite and on PostgreSQL, and what the guarantees cost.

    python tests/perf/bench_registrations.py [--learners 50000] [--count 300] [--rounds 3]
        [--postgres-url postgresql+psycopg://user@host/db] [--json out.json]

For each database (a temporary SQLite file; and a temporary PostgreSQL database on the server
named by --postgres-url or LRS_TEST_POSTGRES_URL, when there is one) it migrates, loads the
demo data, seeds --learners learners, then registers new learners one transaction each, in
five ways, interleaved in --rounds slices so drift on a shared machine hits all alike:

1. bare: the learner row and its audit row inserted (SQLAlchemy Core) into a copy of the
   learners table that has its columns and ordinary indexes but no unique ones, with a
   random ULN as registration draws one: the same writes without any guarantee, the
   reference;
2. + unique indexes: the same rows into the learners table itself (a ULN is held once;
   one active learner per five demographics, uq_learners_active_demographics);
3. + ULN claimed: and the ULN first claimed in uln_registry (INSERT ... ON CONFLICT DO
   NOTHING: never issued twice, across processes);
4. + find first: and the find-before-register check (the latest full search by this
   organisation for these demographics);
5. service: lrs_soap.service.learners.register_learner, what RegisterLearner runs after
   authentication: rules, the check, a random ULN claimed, the insert through the
   repository, the audit row, commit.

It prints registrations per second, µs per registration (wall and this process's CPU) and
each way's cost over bare, per database, with the load average before and after. The
database's own work (PostgreSQL's server process) is in the wall time only.

Not a test module (pytest collects test_*.py only).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import itertools
import json
import os
import statistics
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _support  # (it also puts the repository root on sys.path)
import sqlalchemy as sa

from lrs_soap.bootstrap import build_runtime
from lrs_soap.config import Settings
from lrs_soap.domain import learner_rules
from lrs_soap.domain import uln as uln_rules
from lrs_soap.domain.matching import learner_demographics_key
from lrs_soap.domain.model import LearnerStatus
from lrs_soap.domain.synthetic import synthetic_learners
from lrs_soap.service import accounts, demo, learners
from lrs_soap.service.accounts import Credentials
from lrs_soap.store import migrate
from lrs_soap.store.orm import AuditLogRow, DemographicSearchRow, LearnerRow, UlnRegistryRow
from lrs_soap.store.repositories import learner_columns
from lrs_soap.store.seed import seed_learners

WAYS = ("bare", "+ unique indexes", "+ ULN claimed", "+ find first", "service")
_LEARNERS, _AUDIT = LearnerRow.__table__, AuditLogRow.__table__
_REGISTRY, _SEARCHES = UlnRegistryRow.__table__, DemographicSearchRow.__table__
_BARE = "learners_bare"


def bare_table(metadata: sa.MetaData) -> sa.Table:
    """learners' columns and ordinary indexes, with no unique constraint or index."""
    table = sa.Table(_BARE, metadata, *(
        sa.Column(column.name, column.type, primary_key=column.primary_key)
        for column in _LEARNERS.columns))
    for index in _LEARNERS.indexes:
        if not index.unique:
            sa.Index(index.name.replace("learners", _BARE), *(
                table.c[column.name] for column in index.columns))
    return table


def new_people(count: int, today: dt.date) -> Iterator:
    """Learners none of the seeded ones is (another seed), that registration accepts, each
    with five demographics of their own."""
    seen = set()
    for learner in synthetic_learners(count * 3, seed=987_654_321, today=today):
        details = learner_rules.normalise_details(learner.details)
        key = learner_demographics_key(details)
        if learner.master_uln or key in seen or learner_rules.registration_problems(
                details, today):
            continue
        seen.add(key)
        yield details


class Ways:
    """The five ways to register, each taking one learner's details."""

    def __init__(self, services, engine: sa.Engine, bare: sa.Table, caller):
        self.services, self.engine, self.bare, self.caller = services, engine, bare, caller
        self.org_id = caller.organisation.id
        upsert = (sa.dialects.sqlite.insert if engine.dialect.name == "sqlite"
                  else sa.dialects.postgresql.insert)
        self.claim = (upsert(_REGISTRY).on_conflict_do_nothing(
            index_elements=[_REGISTRY.c.uln]).execution_options(preserve_rowcount=True))
        self.latest = (sa.select(_SEARCHES.c.outcome_code)
                       .where(_SEARCHES.c.organisation_id == sa.bindparam("o"),
                              _SEARCHES.c.demographics_key == sa.bindparam("k"),
                              _SEARCHES.c.searched_at >= sa.bindparam("since"))
                       .order_by(_SEARCHES.c.searched_at.desc()).limit(1))

    def _uln(self) -> str:
        """A random check-digit-valid ULN, as registration draws one: ULNs in order would
        touch one index page after another, random ones touch pages anywhere."""
        return uln_rules.random_candidate()

    def _rows(self, details, uln: str, now: dt.datetime) -> tuple[dict, dict]:
        learner = {**learner_columns(details), "uln": uln, "version_number": 1,
                   "status": LearnerStatus.ACTIVE.value, "tier_level": "0",
                   "master_uln": None, "registered_by_organisation_id": self.org_id,
                   "created_at": now, "updated_at": now}
        audit = {"at": now, "organisation_id": self.org_id, "user_name": "demo",
                 "action": "learner.register", "uln": uln, "detail": None}
        return learner, audit

    def _insert(self, table: sa.Table, details, *, claim: bool, check: bool) -> None:
        now = dt.datetime.now(dt.UTC)
        uln = self._uln()
        with self.engine.begin() as connection:
            if check:
                key = learner_demographics_key(details)
                found = connection.execute(self.latest, {
                    "o": self.org_id, "k": key, "since": now - dt.timedelta(hours=1)}).first()
                assert found is not None and found[0] == "WSRC0001"
            if claim:
                assert connection.execute(self.claim, {"uln": uln, "issued_at": now}
                                          ).rowcount == 1
            learner, audit = self._rows(details, uln, now)
            connection.execute(table.insert(), learner)
            connection.execute(_AUDIT.insert(), audit)

    def way(self, name: str) -> Callable:
        if name == "bare":
            return lambda d: self._insert(self.bare, d, claim=False, check=False)
        if name == "+ unique indexes":
            return lambda d: self._insert(_LEARNERS, d, claim=False, check=False)
        if name == "+ ULN claimed":
            return lambda d: self._insert(_LEARNERS, d, claim=True, check=False)
        if name == "+ find first":
            return lambda d: self._insert(_LEARNERS, d, claim=True, check=True)
        return self._service

    def _service(self, details) -> None:
        result = learners.register_learner(self.services, self.caller, details)
        assert result.code.value == "WSRC0005", (result.code, result.reason)


def searched(engine: sa.Engine, organisation_id: int, people: list) -> None:
    """The full searches the find-before-register rule asks for, found nobody."""
    now = dt.datetime.now(dt.UTC)
    with engine.begin() as connection:
        connection.execute(_SEARCHES.insert(), [
            {"organisation_id": organisation_id, "demographics_key": learner_demographics_key(d),
             "outcome_code": "WSRC0001", "searched_at": now} for d in people])


def measure(url: str, args) -> dict:
    migrate.upgrade(url)
    with build_runtime(Settings(database_url=url)) as services:
        demo.load(services)
    runtime = build_runtime(Settings(database_url=url))
    try:
        engine = runtime.engine
        now = dt.datetime.now(dt.UTC)
        with runtime.services.uow_factory() as uow:
            have = uow.learners.count()
        if have < args.learners:
            seed_learners(engine, args.learners - have, seed=have, now=now)
        metadata = sa.MetaData()
        bare = bare_table(metadata)
        metadata.drop_all(engine)
        metadata.create_all(engine)
        caller = accounts.authenticate(runtime.services, Credentials(
            "demo", "DemoCollege2026!", ukprn="10000001"), "register_learner")
        ways = Ways(runtime.services, engine, bare, caller)
        people = list(itertools.islice(new_people(args.count * len(WAYS), now.date()),
                                       args.count * len(WAYS)))
        if len(people) < args.count * len(WAYS):
            raise SystemExit("not enough distinct new learners: lower --count")
        searched(engine, caller.organisation.id, people)
        queues = {name: people[i::len(WAYS)] for i, name in enumerate(WAYS)}
        timings: dict[str, list[tuple[float, float]]] = {name: [] for name in WAYS}
        for name in WAYS:  # warm-up: statement caches, the password check
            ways.way(name)(queues[name].pop())
        size = -(-args.count // args.rounds)
        for _ in range(args.rounds):
            for name in WAYS:
                register = ways.way(name)
                batch, queues[name] = queues[name][:size], queues[name][size:]
                watch = _support.Stopwatch()
                for details in batch:
                    register(details)
                if batch:
                    wall, cpu = watch.elapsed()
                    timings[name].append((wall / len(batch), cpu / len(batch)))
        metadata.drop_all(engine)
    finally:
        runtime.close()
    bare_wall = statistics.median(w for w, _ in timings["bare"])
    return {name: {"per_second": round(1 / statistics.median(w for w, _ in values), 1),
                   "wall_us": round(statistics.median(w for w, _ in values) * 1e6),
                   "cpu_us": round(statistics.median(c for _, c in values) * 1e6),
                   "over_bare": round(statistics.median(w for w, _ in values) / bare_wall, 2)}
            for name, values in timings.items()}


@contextlib.contextmanager
def databases(args) -> Iterator[list[tuple[str, str]]]:
    with tempfile.TemporaryDirectory() as directory:
        found = [("SQLite", f"sqlite:///{directory}/registrations.db")]
        postgres = args.postgres_url or os.environ.get("LRS_TEST_POSTGRES_URL")
        if not postgres:
            print("PostgreSQL skipped: no --postgres-url and no LRS_TEST_POSTGRES_URL")
            yield found
            return
        from tests.databases import temporary_postgres_database

        os.environ.setdefault("LRS_TEST_POSTGRES_URL", postgres)
        with temporary_postgres_database() as url:
            yield [*found, ("PostgreSQL", url)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, default=50_000,
                        help="learners held before registering (seeded)")
    parser.add_argument("--count", type=int, default=300, help="registrations per way")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres-url")
    parser.add_argument("--json")
    args = parser.parse_args()
    report = {"learners": args.learners, "count": args.count, "rounds": args.rounds,
              "loadavg_before": _support.load_average()}
    with databases(args) as found:
        for label, url in found:
            report[label] = measure(url, args)
    report["loadavg_after"] = _support.load_average()
    print(f"registrations, one transaction each, {args.learners} learners held, "
          f"{args.count} per way in {args.rounds} rounds; load "
          f"{report['loadavg_before'][0]:.1f} -> {report['loadavg_after'][0]:.1f}")
    for label, _ in found:
        print(f"\n{label}:\n  {'way':<18} {'reg/s':>8} {'wall µs':>8} {'CPU µs':>8} "
              f"{'x bare':>7}")
        for name, figures in report[label].items():
            print(f"  {name:<18} {figures['per_second']:>8,.0f} {figures['wall_us']:>8,} "
                  f"{figures['cpu_us']:>8,} {figures['over_bare']:>7.2f}")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
