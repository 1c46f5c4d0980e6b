"""Where does a hot single call spend its time? In-process, no HTTP, every face at once.

    python tests/perf/profile_find_by_uln.py [--call FindByULN] [--calls 2000] [--repeats 3]
        [--top 25] [--json out.json] [--no-profile]

Builds a temporary SQLite database with the demo data, then calls, with the same learner:

- the gateway (``lrs_soap.entrypoints.wsgi.create_app``, as served) through each face that
  offers the call (``CALLS``: the native /soap/v1 and the mirror's operation);
- the call's ceiling: a bare-lxml WSGI app doing the same work (authenticate, the indexed
  lookups, the same answer): ``tests/perf/ceiling_app.py`` for FindByULN and
  VerifyLearnerDetails, ``ceiling_demographics.py`` for FindByDemographics,
  ``ceiling_plr.py`` for GetLearnerRecord (the PLR learner's record seeded to 20 events).

For each it prints:

1. the mean wall-clock and CPU microseconds per call, measured with nothing attached (median
   of ``--repeats`` interleaved runs of ``--calls`` calls), and each face / the ceiling (CPU:
   the figure the target binds, steadier than wall time on a shared machine);
2. for each gateway face and the ceiling, a stage breakdown: each stage's inclusive
   wall-clock time per call, from thin timing wrappers installed in this process only
   (about 0.3 µs each; the percentages are of the wrapped run's total);
3. the top ``--top`` cProfile entries by cumulative time (cProfile inflates pure-Python code
   relative to C, so read its percentages as a ranking, and the stage table for shares).

Warm-up calls run first, so the password check is a cache hit, as in steady service.

A call is one entry in ``CALLS``: its faces (path and request envelope each), the response
code its answer must carry, its ceiling's factory, how its answer is compared with the
ceiling's, its stage tables and any data it needs beyond the demo's. Adding a call means
adding an entry. The load average before and after the run is printed with the figures.
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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _support


@dataclass(frozen=True)
class Face:
    """One way into the gateway for a call: the endpoint's path and the request envelope."""

    name: str  # "native" or "mirror"
    path: str
    body: bytes


@dataclass(frozen=True)
class HotCall:
    """A call the tool profiles: its faces, the code every answer must carry, its ceiling.

    ``ceiling`` builds the ceiling's WSGI app from a database URL; it answers the first
    (native) face's envelope, and its answer must equal the gateway's native answer."""

    name: str
    faces: tuple[Face, ...]
    expected_code: str
    ceiling: Callable[[str], object]
    # The stage tables: (stages, installer) for the gateway and the ceiling; None: FindByULN's.
    gateway_clock: tuple | None = None
    ceiling_clock: tuple | None = None
    # What must be equal between the ceiling's answer and the native face's (payload ->
    # comparable); None: _support.summarise (the code and the first learner's fields).
    same_answer: Callable[[bytes], object] | None = None
    # Data the call needs beyond the demo's, added to the database before anything runs.
    prepare: Callable[[str], object] | None = None


def _find_by_uln_ceiling(url: str):
    from tests.perf.ceiling_app import CeilingApp

    return CeilingApp(url)


def _verify_ceiling(url: str):
    from tests.perf.ceiling_app import VerifyCeilingApp

    return VerifyCeilingApp(url)


def _find_by_demographics_ceiling(url: str):
    from tests.perf.ceiling_demographics import DemographicsCeiling

    return DemographicsCeiling(url)


CALLS: dict[str, HotCall] = {
    "FindByULN": HotCall(
        "FindByULN",
        (Face("native", _support.NATIVE_PATH, _support.FIND_BY_ULN),
         Face("mirror", _support.MIRROR_LEARNER_PATH, _support.MIRROR_LEARNER_BY_ULN)),
        "WSRC0004", _find_by_uln_ceiling, same_answer=lambda payload: answer_elements(payload)),
    "VerifyLearnerDetails": HotCall(
        "VerifyLearnerDetails",
        (Face("native", _support.NATIVE_PATH, _support.VERIFY_LEARNER_DETAILS),
         Face("mirror", _support.MIRROR_LEARNER_PATH, _support.MIRROR_VERIFY_LEARNER)),
        "WSVRC001", _verify_ceiling, same_answer=lambda payload: answer_elements(payload)),
}


def answer_code(payload: bytes) -> str | None:
    """The answer's ResponseCode (any face's namespace), or the fault's ErrorCode."""
    from lxml import etree

    root = etree.fromstring(payload)
    for element in root.iter():
        if isinstance(element.tag, str) and etree.QName(element).localname in (
                "ResponseCode", "ErrorCode"):
            return element.text
    return None


def answer_elements(payload: bytes) -> list[tuple[str, str | None]]:
    """Every element of the Body's answer, in order: local name and text."""
    from lxml import etree

    answer = etree.fromstring(payload).find(f"{{{_support.SOAP_NS}}}Body")[0]
    return [(etree.QName(element).localname, element.text) for element in answer.iter()
            if isinstance(element.tag, str)]


def timed_calls(app, body: bytes, calls: int,
                path: str = _support.NATIVE_PATH) -> tuple[float, float]:
    """Mean (wall, CPU) µs per call over ``calls`` calls (each with a fresh environ).

    CPU time (this process only) is the steadier figure on a shared machine: time the
    scheduler gives to other processes does not count."""
    environ = _support.wsgi_environ
    sink = []

    def start_response(status, headers, exc_info=None):
        sink.append(status)

    watch = _support.Stopwatch()
    for _ in range(calls):
        b"".join(app(environ(body, path), start_response))
    wall, cpu = watch.elapsed()
    if sink[-1] != "200 OK":
        raise SystemExit(f"the last call answered {sink[-1]}")
    return wall / calls * 1e6, cpu / calls * 1e6


def clean_timings(apps: dict, calls: int, repeats: int) -> dict[str, dict]:
    """``apps``: name -> (app, path, body)."""
    runs: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for _ in range(repeats):  # interleaved, so drift on a noisy machine hits all alike
        for name, (app, path, body) in apps.items():
            runs[name].append(timed_calls(app, body, calls, path))
    return {name: {"wall_us": statistics.median(w for w, _ in values),
                   "cpu_us": statistics.median(c for _, c in values)}
            for name, values in runs.items()}


def profile(app, path: str, body: bytes, calls: int, top: int) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    timed_calls(app, body, calls, path)
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
    (0, "total: ObservedGateway.__call__"),
    (1, "intake (Intake.__call__)"),
    (2, "parse (request_reading.envelope_and_request)"),
    (2, "XSD validation (Intake._validate)"),
    (2, "authenticate (service.accounts)"),
    (3, "sign-in throttle check (sign_in_throttle.check_reading)"),
    (4, "caller + sign-in counts, one query (sign_ins.counts_with_caller)"),
    (3, "password verify (Argon2Passwords.verify, cache hit)"),
    (2, "find_learner_by_uln (service.learners)"),
    (3, "learners.by_uln (+ linked ULNs)"),
    (3, "classify (domain.find_by_uln)"),
    (2, "verify_learner_details (service.verification)"),
    (2, "to bytes (Intake._write)"),
    (1, "journal entry: read the envelopes (JournalRecorder.entry)"),
    (1, "journal write (JournalRecorder.record)"),
    (1, "* unit of work open+close (SqlUnitOfWork.__enter__/__exit__)"),
]


def install_gateway_clock(clock: StageClock, gateway) -> None:
    from lrs_soap.domain import find_by_uln
    from lrs_soap.observability.journal import JournalRecorder
    from lrs_soap.service import accounts, learners, sign_in_throttle, verification
    from lrs_soap.soap import request_reading
    from lrs_soap.soap.intake import Intake
    from lrs_soap.store.repositories import SqlLearnerRepository
    from lrs_soap.store.sign_ins import SqlSignInFailures
    from lrs_soap.store.unit_of_work import SqlUnitOfWork

    labels = iter(label for _, label in GATEWAY_STAGES)
    clock.wrap(type(gateway), "__call__", next(labels))
    clock.wrap(Intake, "__call__", next(labels))
    clock.wrap(request_reading, "envelope_and_request", next(labels))
    clock.wrap(Intake, "_validate", next(labels))
    clock.wrap(accounts, "authenticate", next(labels))
    clock.wrap(sign_in_throttle, "check_reading", next(labels))
    clock.wrap(SqlSignInFailures, "counts_with_caller", next(labels))
    clock.wrap(gateway.runtime.services.passwords, "verify", next(labels))
    clock.wrap(learners, "find_learner_by_uln", next(labels))
    clock.wrap(SqlLearnerRepository, "by_uln", next(labels))
    clock.wrap(find_by_uln, "classify", next(labels))
    clock.wrap(verification, "verify_learner_details", next(labels))
    clock.wrap(Intake, "_write", next(labels))
    clock.wrap(JournalRecorder, "entry", next(labels))
    clock.wrap(JournalRecorder, "record", next(labels))
    uow_label = next(labels)
    clock.wrap(SqlUnitOfWork, "__enter__", uow_label)
    clock.wrap(SqlUnitOfWork, "__exit__", uow_label)


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


DEMOGRAPHICS_GATEWAY_STAGES = [
    (0, "total: ObservedGateway.__call__"),
    (1, "intake (Intake.__call__)"),
    (2, "parse (request_reading.envelope_and_request)"),
    (2, "XSD validation (Intake._validate)"),
    (2, "authenticate (service.accounts)"),
    (2, "find_learner_by_demographics (service.learners)"),
    (3, "learners.demographic_candidates (shortlist, names, rows)"),
    (3, "classify (domain.matching)"),
    (3, "learners.by_uln (+ linked ULNs)"),
    (3, "searches.record (the search, for find-before-register)"),
    (2, "to bytes (Intake._write)"),
    (1, "journal entry: read the envelopes (JournalRecorder.entry)"),
    (1, "journal write (JournalRecorder.record)"),
    (1, "* unit of work open+close (SqlUnitOfWork.__enter__/__exit__)"),
]


def install_demographics_gateway_clock(clock: StageClock, gateway) -> None:
    from lrs_soap.domain import matching
    from lrs_soap.observability.journal import JournalRecorder
    from lrs_soap.service import accounts, learners
    from lrs_soap.soap import request_reading
    from lrs_soap.soap.intake import Intake
    from lrs_soap.store.repositories import SqlDemographicSearchLog, SqlLearnerRepository
    from lrs_soap.store.unit_of_work import SqlUnitOfWork

    labels = iter(label for _, label in DEMOGRAPHICS_GATEWAY_STAGES)
    for owner, attribute in (
            (type(gateway), "__call__"), (Intake, "__call__"),
            (request_reading, "envelope_and_request"), (Intake, "_validate"),
            (accounts, "authenticate"), (learners, "find_learner_by_demographics"),
            (SqlLearnerRepository, "demographic_candidates"), (matching, "classify"),
            (SqlLearnerRepository, "by_uln"), (SqlDemographicSearchLog, "record"),
            (Intake, "_write"), (JournalRecorder, "entry"), (JournalRecorder, "record")):
        clock.wrap(owner, attribute, next(labels))
    uow_label = next(labels)
    clock.wrap(SqlUnitOfWork, "__enter__", uow_label)
    clock.wrap(SqlUnitOfWork, "__exit__", uow_label)


DEMOGRAPHICS_CEILING_STAGES = [
    (0, "total: DemographicsCeiling.__call__"),
    (1, "find_by_demographics (parse, validate, search, record, respond)"),
    (2, "authenticate (org+user query, password cache, organisation id)"),
    (2, "search (shortlist, names, rows, classify, learners read)"),
    (2, "build response (lxml + tostring)"),
]


def install_demographics_ceiling_clock(clock: StageClock, ceiling) -> None:
    from tests.perf import ceiling_demographics

    labels = iter(label for _, label in DEMOGRAPHICS_CEILING_STAGES)
    clock.wrap(ceiling_demographics.DemographicsCeiling, "__call__", next(labels))
    clock.wrap(ceiling, "find_by_demographics", next(labels))
    clock.wrap(ceiling, "authenticate", next(labels))
    clock.wrap(ceiling, "search", next(labels))
    clock.wrap(ceiling_demographics, "_response", next(labels))


CALLS["FindByDemographics"] = HotCall(
    "FindByDemographics",
    (Face("native", _support.NATIVE_PATH, _support.FIND_BY_DEMOGRAPHICS),),
    "WSRC0004", _find_by_demographics_ceiling,
    gateway_clock=(DEMOGRAPHICS_GATEWAY_STAGES, install_demographics_gateway_clock),
    ceiling_clock=(DEMOGRAPHICS_CEILING_STAGES, install_demographics_ceiling_clock),
    same_answer=lambda payload: answer_elements(payload))


PLR_GATEWAY_STAGES = [
    (0, "total: ObservedGateway.__call__"),
    (1, "intake (Intake.__call__)"),
    (2, "parse (request_reading.envelope_and_request)"),
    (2, "XSD validation (Intake._validate)"),
    (2, "authenticate (service.accounts)"),
    (2, "get_learner_record (service.plr)"),
    (3, "learner and master (learners.by_uln)"),
    (3, "access (domain.plr.access)"),
    (3, "events (achievements.events_for_learners)"),
    (3, "record order (domain.plr.shown_events)"),
    (3, "the read audited (audit.record)"),
    (3, "commit (SqlUnitOfWork.commit)"),
    (2, "events to models (native plr_mapping.record_out)"),
    (2, "events to models (mirror r9_mapping.learner_record)"),
    (2, "answer text (native answer_text.response)"),
    (2, "to bytes (Intake._write)"),
    (1, "journal entry: read the envelopes (JournalRecorder.entry)"),
    (1, "journal write (JournalRecorder.record)"),
    (1, "* unit of work open+close (SqlUnitOfWork.__enter__/__exit__)"),
]


def install_plr_gateway_clock(clock: StageClock, gateway) -> None:
    from lrs_soap.domain import plr as plr_rules
    from lrs_soap.observability.journal import JournalRecorder
    from lrs_soap.service import accounts, plr
    from lrs_soap.soap import request_reading
    from lrs_soap.soap.intake import Intake
    from lrs_soap.soap.lrs import r9_mapping
    from lrs_soap.soap.native import answer_text, plr_mapping
    from lrs_soap.store.achievements import SqlAchievementStore
    from lrs_soap.store.repositories import SqlAuditLog, SqlLearnerRepository
    from lrs_soap.store.unit_of_work import SqlUnitOfWork

    labels = iter(label for _, label in PLR_GATEWAY_STAGES)
    for owner, attribute in (
            (type(gateway), "__call__"), (Intake, "__call__"),
            (request_reading, "envelope_and_request"), (Intake, "_validate"),
            (accounts, "authenticate"), (plr, "get_learner_record"),
            (SqlLearnerRepository, "by_uln"), (plr_rules, "access"),
            (SqlAchievementStore, "events_for_learners"), (plr_rules, "shown_events"),
            (SqlAuditLog, "record"), (SqlUnitOfWork, "commit"),
            (plr_mapping, "record_out"), (r9_mapping, "learner_record"),
            (answer_text, "response"),
            (Intake, "_write"), (JournalRecorder, "entry"), (JournalRecorder, "record")):
        clock.wrap(owner, attribute, next(labels))
    uow_label = next(labels)
    clock.wrap(SqlUnitOfWork, "__enter__", uow_label)
    clock.wrap(SqlUnitOfWork, "__exit__", uow_label)


PLR_CEILING_STAGES = [
    (0, "total: PlrCeiling.__call__"),
    (1, "get_learner_record (parse, validate, read, audit, respond)"),
    (2, "authenticate (org+user query, password cache)"),
    (2, "access (learner and master, domain.plr.access)"),
    (2, "events (one statement)"),
    (2, "the read audited (INSERT, commit)"),
    (2, "build response (lxml + tostring)"),
]


def install_plr_ceiling_clock(clock: StageClock, ceiling) -> None:
    from tests.perf import ceiling_plr

    labels = iter(label for _, label in PLR_CEILING_STAGES)
    clock.wrap(ceiling_plr.PlrCeiling, "__call__", next(labels))
    for attribute in ("get_learner_record", "authenticate", "access", "events", "audit"):
        clock.wrap(ceiling, attribute, next(labels))
    clock.wrap(ceiling_plr, "_response", next(labels))


def _plr_ceiling(url: str):
    from tests.perf.ceiling_plr import PlrCeiling

    return PlrCeiling(url)


CALLS["GetLearnerRecord"] = HotCall(
    "GetLearnerRecord",
    (Face("native", _support.NATIVE_PATH, _support.GET_LEARNER_RECORD),
     Face("mirror", _support.MIRROR_R9_PATH, _support.MIRROR_GET_LEARNING_EVENTS)),
    "WSRC0004", _plr_ceiling,
    gateway_clock=(PLR_GATEWAY_STAGES, install_plr_gateway_clock),
    ceiling_clock=(PLR_CEILING_STAGES, install_plr_ceiling_clock),
    same_answer=lambda payload: answer_elements(payload),
    prepare=_support.seed_record)


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


def staged_run(app, install, stages, path: str, body: bytes, calls: int):
    clock = StageClock()
    install(clock, app)
    try:
        timed_calls(app, body, calls, path)
    finally:
        clock.restore()
    return stage_table(clock, stages, calls)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--call", choices=sorted(CALLS), default="FindByULN",
                        help="the call to profile (default FindByULN)")
    parser.add_argument("--calls", type=int, default=2000, help="calls per measurement")
    parser.add_argument("--repeats", type=int, default=3, help="clean timing runs per app")
    parser.add_argument("--warmup", type=int, default=200, help="calls before measuring")
    parser.add_argument("--top", type=int, default=25, help="cProfile entries to print")
    parser.add_argument("--no-profile", action="store_true",
                        help="timings and stages only, no cProfile listing")
    parser.add_argument("--json", type=Path, help="write the figures here as JSON")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")  # spyne's import-time deprecation warnings

    import logging

    logging.basicConfig(level=logging.WARNING)
    from lrs_soap.config import Settings
    from lrs_soap.entrypoints.wsgi import create_app

    call = CALLS[args.call]
    native = call.faces[0]
    load_before = _support.load_average()
    with tempfile.TemporaryDirectory(prefix="lrs-perf-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'profile.db'}"
        _support.prepare_database(url)
        if call.prepare is not None:
            call.prepare(url)
        gateway = create_app(Settings(database_url=url))
        # The request journal (on by default: a queued row per call, written in batches) is work the
        # ceiling does not do; the same gateway without it shows what it costs.
        unjournalled = create_app(Settings(database_url=url, journal="off"))
        ceiling = call.ceiling(url)
        apps = {f"gateway {face.name}": (gateway, face.path, face.body) for face in call.faces}
        apps[f"{native.name}, journal off"] = (unjournalled, native.path, native.body)
        apps["ceiling"] = (ceiling, native.path, native.body)
        try:
            check_answers(call, apps)
            for app, path, body in apps.values():
                timed_calls(app, body, args.warmup, path)
            means = clean_timings(apps, args.calls, args.repeats)
            stages = {}
            for name, (app, path, body) in apps.items():
                if app is unjournalled:
                    continue
                if app is ceiling:
                    table, install = call.ceiling_clock or (CEILING_STAGES,
                                                            install_ceiling_clock)
                else:
                    table, install = call.gateway_clock or (GATEWAY_STAGES,
                                                            install_gateway_clock)
                stages[name] = staged_run(app, install, table, path, body, args.calls)
            profiles = {} if args.no_profile else {
                name: profile(app, path, body, args.calls, args.top)
                for name, (app, path, body) in apps.items() if app is not unjournalled}
        finally:
            gateway.close()
            unjournalled.close()
            close = getattr(ceiling, "close", None)
            if close is not None:
                close()

    load_after = _support.load_average()
    ceiling_cpu = means["ceiling"]["cpu_us"]
    print(f"{call.name} in-process, {args.calls} calls x {args.repeats} runs "
          f"(median of the runs' means), Python {sys.version.split()[0]}, load average "
          f"{load_before[0]:.1f} -> {load_after[0]:.1f}")
    print(f"  {'':<22}{'wall µs/call':>14}{'CPU µs/call':>14}{'CPU / ceiling':>15}")
    for name in apps:
        print(f"  {name:<22}{means[name]['wall_us']:>14.1f}{means[name]['cpu_us']:>14.1f}"
              f"{means[name]['cpu_us'] / ceiling_cpu:>15.2f}")
    for name, (text, _) in stages.items():
        print(f"\n{name}: stages (inclusive wall time per call; share of the wrapped total; "
              "x = calls per request)")
        print(text)
    for name, text in profiles.items():
        print(f"\n===== cProfile, {name}, {args.calls} calls, top {args.top} by cumulative "
              "time =====")
        print(text.strip())
    if args.json:
        args.json.write_text(json.dumps({
            "call": call.name, "calls": args.calls, "repeats": args.repeats,
            "loadavg_before": load_before, "loadavg_after": load_after,
            "mean_us": {name: {k: round(v, 1) for k, v in figures.items()}
                        for name, figures in means.items()},
            "over_ceiling_cpu": {name: round(means[name]["cpu_us"] / ceiling_cpu, 2)
                                 for name in apps if name != "ceiling"},
            "stages": {name: rows for name, (_, rows) in stages.items()},
        }, indent=2) + "\n")
    return 0


def check_answers(call: HotCall, apps: dict) -> None:
    """Every face answers with the expected code; the ceiling's answer equals the native
    face's (by the call's ``same_answer``), so both did the same work."""
    summaries = {}
    for name, (app, path, body) in apps.items():
        status, payload = _support.call_wsgi(app, body, path)
        code = answer_code(payload)
        if code != call.expected_code:
            raise SystemExit(f"{name} answered {status}, {code}; expected {call.expected_code}")
        if path == _support.NATIVE_PATH:
            summaries[name] = (call.same_answer or _support.summarise)(payload)
    native = summaries[f"gateway {call.faces[0].name}"]
    if summaries["ceiling"] != native:
        raise SystemExit(f"the answers differ: {summaries}")


if __name__ == "__main__":
    sys.exit(main())
