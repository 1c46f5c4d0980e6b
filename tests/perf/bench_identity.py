"""FindByULN, FindByDemographics and VerifyLearnerDetails in-process, with a million learners.

    python tests/perf/bench_identity.py [--learners 1000000] [--calls 2000] [--rounds 5]
        [--reference] [--database-url sqlite:///big.db] [--json out.json]

Each call goes through the whole WSGI app (parse, validate, authenticate, query, respond),
without HTTP, for learners drawn at random from the seeded population. Reports the median,
p95 and p99 per operation, the median CPU time, and the ratio of FindByDemographics to
FindByULN measured in the same run (operations interleaved in --rounds slices; the load
average before and after is in the JSON). Targets (issue "Learner identity"):
FindByDemographics and VerifyLearnerDetails medians under 5 ms; FindByDemographics at most
3 times FindByULN. A --database-url that already holds the learners is reused (seeding a
million takes a few minutes). --reference also times FindByDemographics with the reference
matcher's candidates (everyone born on the dates) in place of the fast path, in the same run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.perf._support import Stopwatch, load_average, wsgi_environ

NS = "urn:lrs-soap:native:v1"
ENVELOPE = ('<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" '
            f'xmlns:v="{NS}"><s:Body>{{}}</s:Body></s:Envelope>')
LRB = ("<v:Credentials><v:UKPRN>10000001</v:UKPRN><v:UserName>demo</v:UserName>"
       "<v:OrgPassword>DemoCollege2026!</v:OrgPassword></v:Credentials>")
AO = ("<v:Credentials><v:UKPRN>10000002</v:UKPRN><v:UserName>demo</v:UserName>"
      "<v:OrgPassword>DemoAwarding2026</v:OrgPassword></v:Credentials>")


def prepare(url: str, learners: int) -> None:
    from lrs_soap.bootstrap import build_runtime
    from lrs_soap.config import Settings
    from lrs_soap.service import demo
    from lrs_soap.store import migrate
    from lrs_soap.store.seed import seed_learners

    migrate.upgrade(url)
    with build_runtime(Settings(database_url=url)) as services:
        demo.load(services)
        with services.uow_factory() as uow:
            have = uow.learners.count()
    runtime = build_runtime(Settings(database_url=url))
    try:
        if have < learners:
            started = time.perf_counter()
            seed_learners(runtime.engine, learners - have, seed=have,
                          now=dt.datetime.now(dt.UTC))
            print(f"seeded {learners - have} learners in {time.perf_counter() - started:.0f} s")
    finally:
        runtime.close()


def sample(url: str, count: int, rng: random.Random) -> list[tuple]:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        top = connection.scalar(sa.text("SELECT max(id) FROM learners"))
        ids = rng.sample(range(1, top + 1), min(count * 2, top))
        rows = connection.execute(sa.text(
            "SELECT uln, given_name, family_name, date_of_birth, gender, postcode "
            "FROM learners WHERE status = '1' AND id IN :ids").bindparams(
                sa.bindparam("ids", expanding=True)), {"ids": ids})
        people = [tuple(row) for row in rows][:count]
    engine.dispose()
    return people


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;")


def requests_for(people: list[tuple]) -> dict[str, list[bytes]]:
    calls = {"FindByULN": [], "FindByDemographics": [], "VerifyLearnerDetails": []}
    for uln, given, family, born, gender, postcode in people:
        given, family = escape(given), escape(family)
        calls["FindByULN"].append(ENVELOPE.format(
            f"<v:FindByULN>{LRB}<v:FindType>FUL</v:FindType><v:ULN>{uln}</v:ULN>"
            f"<v:GivenName>{given}</v:GivenName><v:FamilyName>{family}</v:FamilyName>"
            "</v:FindByULN>").encode())
        calls["FindByDemographics"].append(ENVELOPE.format(
            f"<v:FindByDemographics>{LRB}<v:FindType>FUL</v:FindType><v:Demographics>"
            f"<v:GivenName>{given}</v:GivenName><v:FamilyName>{family}</v:FamilyName>"
            f"<v:DateOfBirth>{born}</v:DateOfBirth><v:Gender>{gender}</v:Gender>"
            f"<v:LastKnownPostCode>{postcode}</v:LastKnownPostCode></v:Demographics>"
            "</v:FindByDemographics>").encode())
        calls["VerifyLearnerDetails"].append(ENVELOPE.format(
            f"<v:VerifyLearnerDetails>{AO}<v:ULN>{uln}</v:ULN><v:GivenName>{given}"
            f"</v:GivenName><v:FamilyName>{family}</v:FamilyName><v:DateOfBirth>{born}"
            "</v:DateOfBirth></v:VerifyLearnerDetails>").encode())
    return calls


def status_into(statuses: list[str]):
    return lambda status, headers, exc_info=None: statuses.append(status)


def measure(app, bodies: list[bytes], expect: tuple[str, ...]) -> list[tuple[float, float]]:
    """(wall ms, CPU ms) of each call; CPU is this process's own time, the figure least
    moved by other work on a shared machine."""
    timings = []
    for body in bodies:
        status: list[str] = []
        watch = Stopwatch()
        answer = b"".join(app(wsgi_environ(body), status_into(status)))
        wall, cpu = watch.elapsed()
        timings.append((wall * 1000, cpu * 1000))
        code = answer.split(b"<tns:ResponseCode>")[1][:8].decode() if status[0][:3] == "200" \
            else "fault"
        assert code in expect, (code, answer[:400])
    return timings


REFERENCE = "FindByDemographics, reference matcher"


def measure_with_reference(app, bodies: list[bytes], expect: tuple[str, ...], name: str):
    """measure(); for REFERENCE, with the demographic search's fast path replaced by the
    reference matcher's candidates (everyone born on the dates), as before the fast path."""
    if name != REFERENCE:
        return measure(app, bodies, expect)
    from lrs_soap.domain.matching import candidate_birth_dates
    from lrs_soap.store.repositories import SqlLearnerRepository

    fast = SqlLearnerRepository.demographic_candidates
    SqlLearnerRepository.demographic_candidates = lambda self, query: self.match_candidates(
        candidate_birth_dates(query.date_of_birth))
    try:
        return measure(app, bodies, expect)
    finally:
        SqlLearnerRepository.demographic_candidates = fast


def summary(timings: list[tuple[float, float]]) -> dict:
    walls = [wall for wall, _ in timings]
    quantiles = statistics.quantiles(walls, n=100)
    return {"median_ms": round(statistics.median(walls), 3),
            "p95_ms": round(quantiles[94], 3), "p99_ms": round(quantiles[98], 3),
            "cpu_median_ms": round(statistics.median(cpu for _, cpu in timings), 3),
            "calls": len(timings)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, default=1_000_000)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--database-url")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json")
    parser.add_argument("--reference", action="store_true",
                        help="also FindByDemographics through the reference matcher")
    args = parser.parse_args()
    loadavg_before = load_average()
    from lrs_soap.config import Settings
    from lrs_soap.entrypoints.wsgi import create_app

    with tempfile.TemporaryDirectory() as directory:
        url = args.database_url or f"sqlite:///{directory}/identity.db"
        prepare(url, args.learners)
        rng = random.Random(2026)
        calls = requests_for(sample(url, args.calls, rng))
        if args.reference:
            calls[REFERENCE] = calls["FindByDemographics"]
        app = create_app(Settings(database_url=url))
        expected = {"FindByULN": ("WSRC0004", "WSRC0022"),
                    "FindByDemographics": ("WSRC0004", "WSRC0003", "WSRC0022"),
                    REFERENCE: ("WSRC0004", "WSRC0003", "WSRC0022"),
                    "VerifyLearnerDetails": ("WSVRC001", "WSVRC002")}
        measure = measure_with_reference
        for name, bodies in calls.items():  # warm up caches and the password check
            measure(app, bodies[:50], expected[name], name)
        # Interleaved in --rounds slices, so drift on a shared machine hits every operation.
        timings: dict[str, list] = {name: [] for name in calls}
        size = -(-args.calls // args.rounds)
        for start in range(0, args.calls, size):
            for name, bodies in calls.items():
                timings[name] += measure(app, bodies[start:start + size], expected[name], name)
        results = {name: summary(values) for name, values in timings.items()}
        app.close()
    loadavg_after = load_average()
    ratio = results["FindByDemographics"]["median_ms"] / results["FindByULN"]["median_ms"]
    cpu_ratio = (results["FindByDemographics"]["cpu_median_ms"]
                 / results["FindByULN"]["cpu_median_ms"])
    if args.reference:
        results[REFERENCE]["over_fast_path"] = round(
            results[REFERENCE]["median_ms"] / results["FindByDemographics"]["median_ms"], 2)
    report = {"learners": args.learners, "operations": results,
              "demographics_over_uln": round(ratio, 2),
              "demographics_over_uln_cpu": round(cpu_ratio, 2),
              "loadavg_before": loadavg_before, "loadavg_after": loadavg_after}
    print(json.dumps(report, indent=2))
    for name in ("FindByDemographics", "VerifyLearnerDetails"):
        median = results[name]["median_ms"]
        print(f"  {'ok  ' if median < 5 else 'MISS'} {name} median {median:.2f} ms (< 5)")
    print(f"  {'ok  ' if ratio <= 3 else 'MISS'} FindByDemographics / FindByULN {ratio:.2f} "
          f"(<= 3; CPU {cpu_ratio:.2f})")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
