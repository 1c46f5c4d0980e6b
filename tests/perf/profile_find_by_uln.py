"""Where does a FindByULN call spend its time? In-process, no HTTP.

    python tests/perf/profile_find_by_uln.py [--calls 2000] [--top 25] [--json out.json]

Builds a temporary SQLite database with the demo data, then calls two WSGI apps with the same
FindByULN envelope:

- the gateway: ``GatewayApp`` from ``lrs_soap.entrypoints.wsgi.create_app``;
- the ceiling: ``tests/perf/ceiling_app.py`` (bare lxml, same work, same answer).

For each it prints:

1. the mean wall-clock microseconds per call, measured with nothing attached (median of
   ``--repeats`` runs of ``--calls`` calls);
2. for the gateway, a stage breakdown: each stage's inclusive wall-clock time per call, from
   thin timing wrappers installed on lrs_soap's functions in this process only
   (about 0.3 µs each; the percentages are of the wrapped run's total);
3. the top ``--top`` cProfile entries by cumulative time (cProfile inflates pure-Python code
   relative to C, so read its percentages as a ranking, and the stage table for shares).

Warm-up calls run first, so the password check is a cache hit, as in steady service.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import statistics
import sys
import tempfile
import time
import warnings
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _support


def timed_calls(app, body: bytes, calls: int) -> tuple[float, float]:
    """Mean (wall, CPU) µs per call over ``calls`` calls (each with a fresh environ).

    CPU time (this process only) is the steadier figure on a shared machine: time the
    scheduler gives to other processes does not count."""
    environ = _support.wsgi_environ
    sink = []

    def start_response(status, headers, exc_info=None):
        sink.append(status)

    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(calls):
        b"".join(app(environ(body), start_response))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if sink[-1] != "200 OK":
        raise SystemExit(f"the last call answered {sink[-1]}")
    return wall / calls * 1e6, cpu / calls * 1e6


def clean_timings(apps: dict, body: bytes, calls: int, repeats: int) -> dict[str, dict]:
    runs: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for _ in range(repeats):  # interleaved, so drift on a noisy machine hits both alike
        for name, app in apps.items():
            runs[name].append(timed_calls(app, body, calls))
    return {name: {"wall_us": statistics.median(w for w, _ in values),
                   "cpu_us": statistics.median(c for _, c in values)}
            for name, values in runs.items()}


def profile(app, body: bytes, calls: int, top: int) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    timed_calls(app, body, calls)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


# ----- stage breakdown -----

class StageClock:
    """Accumulates inclusive wall time per stage label from wrapped callables."""

    def __init__(self):
        self.seconds: dict[str, float] = defaultdict(float)
        self.counts: dict[str, int] = defaultdict(int)
        self._undo: list = []

    def wrap(self, owner, attribute: str, label: str) -> None:
        original = getattr(owner, attribute)
        in_dict = attribute in vars(owner) if hasattr(owner, "__dict__") else False
        seconds, counts, clock = self.seconds, self.counts, time.perf_counter

        def timed(*args, **kwargs):
            started = clock()
            try:
                return original(*args, **kwargs)
            finally:
                seconds[label] += clock() - started
                counts[label] += 1

        setattr(owner, attribute, timed)
        self._undo.append((owner, attribute, original, in_dict))

    def restore(self) -> None:
        for owner, attribute, original, in_dict in reversed(self._undo):
            if in_dict:
                setattr(owner, attribute, original)
            else:
                delattr(owner, attribute)
        self._undo.clear()


# (indent, label) in display order; labels are filled by install_gateway_clock.
GATEWAY_STAGES = [
    (0, "total: GatewayApp.__call__"),
    (1, "intake (Intake.__call__)"),
    (2, "parse (request_reading.envelope_and_request)"),
    (2, "XSD validation (Intake._validate)"),
    (2, "credentials_in (mapping)"),
    (2, "authenticate (service.accounts)"),
    (3, "password verify (Argon2Passwords.verify, cache hit)"),
    (3, "organisations.by_ukprn"),
    (3, "users.get"),
    (2, "find_learner_by_uln (service.learners)"),
    (3, "learners.by_uln (+ linked ULNs)"),
    (3, "classify (domain.find_by_uln)"),
    (2, "learner_out (mapping)"),
    (2, "answer element (native.lean.response)"),
    (2, "to bytes (Intake._write)"),
    (1, "* unit of work open+close, both (SqlUnitOfWork.__enter__/__exit__)"),
    (1, "* SQLAlchemy Session.scalars, all queries"),
]


def install_gateway_clock(clock: StageClock, gateway) -> None:
    from sqlalchemy.orm import Session

    from lrs_soap.domain import find_by_uln
    from lrs_soap.service import accounts, learners
    from lrs_soap.soap import request_reading
    from lrs_soap.soap.intake import Intake
    from lrs_soap.soap.native import lean, mapping
    from lrs_soap.store.repositories import (
        SqlLearnerRepository,
        SqlOrganisationRepository,
        SqlUserRepository,
    )
    from lrs_soap.store.unit_of_work import SqlUnitOfWork

    inner = gateway.app  # GatewayApp inside lrs_soap.observability's ObservedGateway
    labels = iter(label for _, label in GATEWAY_STAGES)
    clock.wrap(type(gateway), "__call__", next(labels))
    clock.wrap(Intake, "__call__", next(labels))
    clock.wrap(request_reading, "envelope_and_request", next(labels))
    clock.wrap(Intake, "_validate", next(labels))
    clock.wrap(mapping, "credentials_in", next(labels))
    clock.wrap(accounts, "authenticate", next(labels))
    clock.wrap(inner.runtime.services.passwords, "verify", next(labels))
    clock.wrap(SqlOrganisationRepository, "by_ukprn", next(labels))
    clock.wrap(SqlUserRepository, "get", next(labels))
    clock.wrap(learners, "find_learner_by_uln", next(labels))
    clock.wrap(SqlLearnerRepository, "by_uln", next(labels))
    clock.wrap(find_by_uln, "classify", next(labels))
    clock.wrap(mapping, "learner_out", next(labels))
    clock.wrap(lean, "response", next(labels))
    clock.wrap(Intake, "_write", next(labels))
    uow_label = next(labels)
    clock.wrap(SqlUnitOfWork, "__enter__", uow_label)
    clock.wrap(SqlUnitOfWork, "__exit__", uow_label)
    clock.wrap(Session, "scalars", next(labels))


CEILING_STAGES = [
    (0, "total: CeilingApp.__call__"),
    (1, "find_by_uln (parse, validate, extract, rules)"),
    (2, "authenticate (org+user query, password cache)"),
    (3, "password verify (Argon2Passwords.verify, cache hit)"),
    (2, "classify (learner query, names)"),
    (2, "build response (lxml + tostring)"),
    (1, "* DB queries (_Database.one)"),
]


def install_ceiling_clock(clock: StageClock, ceiling) -> None:
    from tests.perf import ceiling_app

    labels = iter(label for _, label in CEILING_STAGES)
    clock.wrap(ceiling_app.CeilingApp, "__call__", next(labels))
    clock.wrap(ceiling, "find_by_uln", next(labels))
    clock.wrap(ceiling, "authenticate", next(labels))
    clock.wrap(ceiling.passwords, "verify", next(labels))
    clock.wrap(ceiling, "classify", next(labels))
    clock.wrap(ceiling_app, "_response", next(labels))
    clock.wrap(ceiling_app._Database, "one", next(labels))


def stage_table(clock: StageClock, stages, calls: int) -> tuple[str, list[dict]]:
    total = clock.seconds[stages[0][1]]
    rows, lines = [], []
    for indent, label in stages:
        per_call = clock.seconds[label] / calls * 1e6
        share = clock.seconds[label] / total * 100 if total else 0.0
        rows.append({"stage": label, "us_per_call": round(per_call, 1),
                     "percent": round(share, 1),
                     "calls_per_request": round(clock.counts[label] / calls, 2)})
        lines.append(f"  {'  ' * indent}{label:<{70 - 2 * indent}} {per_call:8.1f} µs "
                     f"{share:5.1f} %  x{clock.counts[label] / calls:.2g}")
    return "\n".join(lines), rows


def staged_run(app, install, stages, body: bytes, calls: int):
    clock = StageClock()
    install(clock, app)
    try:
        timed_calls(app, body, calls)
    finally:
        clock.restore()
    return stage_table(clock, stages, calls)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=2000, help="calls per measurement")
    parser.add_argument("--repeats", type=int, default=3, help="clean timing runs per app")
    parser.add_argument("--warmup", type=int, default=200, help="calls before measuring")
    parser.add_argument("--top", type=int, default=25, help="cProfile entries to print")
    parser.add_argument("--json", type=Path, help="write the figures here as JSON")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")  # spyne's import-time deprecation warnings

    import logging

    logging.basicConfig(level=logging.WARNING)
    from lrs_soap.config import Settings
    from lrs_soap.entrypoints.wsgi import create_app
    from tests.perf.ceiling_app import CeilingApp

    body = _support.FIND_BY_ULN
    with tempfile.TemporaryDirectory(prefix="lrs-perf-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'profile.db'}"
        _support.prepare_database(url)
        gateway = create_app(Settings(database_url=url))
        ceiling = CeilingApp(url)
        try:
            answers = {name: _support.call_wsgi(app, body)
                       for name, app in (("gateway", gateway), ("ceiling", ceiling))}
            summaries = {name: _support.summarise(payload)
                         for name, (_, payload) in answers.items()}
            if summaries["gateway"] != summaries["ceiling"]:
                raise SystemExit(f"the answers differ: {summaries}")
            if summaries["gateway"].get("response_code") != "WSRC0004":
                raise SystemExit(f"expected WSRC0004, got {summaries['gateway']}")
            apps = {"gateway": gateway, "ceiling": ceiling}
            for app in apps.values():
                timed_calls(app, body, args.warmup)

            means = clean_timings(apps, body, args.calls, args.repeats)
            gateway_stages, gateway_rows = staged_run(
                gateway, install_gateway_clock, GATEWAY_STAGES, body, args.calls)
            ceiling_stages, ceiling_rows = staged_run(
                ceiling, install_ceiling_clock, CEILING_STAGES, body, args.calls)
            profiles = {name: profile(app, body, args.calls, args.top)
                        for name, app in apps.items()}
        finally:
            gateway.close()
            ceiling.state().db.connection.close()
            ceiling.state().db.engine.dispose()

    print(f"FindByULN in-process, {args.calls} calls x {args.repeats} runs "
          f"(median of the runs' means), Python {sys.version.split()[0]}")
    print(f"  {'':<22}{'wall µs/call':>14}{'CPU µs/call':>14}")
    for name, label in (("gateway", "gateway (the intake)"), ("ceiling", "ceiling (bare lxml)")):
        print(f"  {label:<22}{means[name]['wall_us']:>14.1f}{means[name]['cpu_us']:>14.1f}")
    print(f"  {'gateway / ceiling':<22}"
          f"{means['gateway']['wall_us'] / means['ceiling']['wall_us']:>14.1f}"
          f"{means['gateway']['cpu_us'] / means['ceiling']['cpu_us']:>14.1f}")
    print("\nGateway stages (inclusive wall time per call; share of the wrapped total; "
          "x = calls per request)")
    print(gateway_stages)
    print("\nCeiling stages")
    print(ceiling_stages)
    for name, text in profiles.items():
        print(f"\n===== cProfile, {name}, {args.calls} calls, top {args.top} by cumulative "
              "time =====")
        print(text.strip())
    if args.json:
        args.json.write_text(json.dumps({
            "calls": args.calls, "repeats": args.repeats,
            "mean_us": {name: {k: round(v, 1) for k, v in figures.items()}
                        for name, figures in means.items()},
            "gateway_over_ceiling_cpu": round(means["gateway"]["cpu_us"]
                                              / means["ceiling"]["cpu_us"], 2),
            "gateway_stages": gateway_rows, "ceiling_stages": ceiling_rows,
        }, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
