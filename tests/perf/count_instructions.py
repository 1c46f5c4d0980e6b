"""Instructions per call, counted by valgrind's callgrind: a figure the noise does not move.

    python tests/perf/count_instructions.py [--call FindByULN] [--calls 200] [--warmup 100]
        [--jobs 1] [--keep DIR] [--json out.json]

For the call (any entry of ``profile_find_by_uln.CALLS``: FindByULN, VerifyLearnerDetails,
FindByDemographics, GetLearnerRecord) it counts, for each target,

- the gateway (``lrs_soap.entrypoints.wsgi.create_app(Settings(database_url=url))``, journal
  and metrics as served) through each face that offers the call,
- the native face again on a gateway with ``journal="off"``,
- the call's ceiling (``HotCall.ceiling``),

the machine instructions one call executes, in a child process of its own run under
``valgrind --tool=callgrind --toggle-collect=functools_reduce``. The child builds the app,
makes ``--warmup`` calls (checking the answer's code), then makes ``--calls`` calls inside one
``functools.reduce``. Callgrind collects only while a thread is inside the C function
``functools_reduce``, so imports, set-up and warm-up are not counted; the count divided by
``--calls`` is the figure. Each child gets its own copy of the prepared database (the demo data
plus the call's ``prepare``), so every target starts from the same rows and the count repeats.

What is not counted: the request journal's writer thread. The gateway queues a journal entry
per call (counted: that is the calling thread's work) and a background thread writes the
queue in batches, outside reduce's stack; callgrind's collection state is per thread, so
that thread's work is not in the figure (the tool reads each thread's total, and says what
the other threads collected: 0). The "journal off" row shows the gateway without it.

Instructions are not time: a call's instructions per cycle differ between the gateway and the
ceiling (Python's interpreter loop, lxml's C, SQLite's C), so the instruction ratio is not
the CPU-time ratio ``profile_find_by_uln.py`` measures, which is what the targets bind. The
count is the steady figure to compare two commits by.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _support
import profile_find_by_uln
from profile_find_by_uln import CALLS, HotCall

TOGGLE = "functools_reduce"  # CPython's C implementation of functools.reduce


@dataclass(frozen=True)
class Target:
    """One thing to count: a gateway face, the native face without the journal, or the
    ceiling. ``face`` indexes the call's faces (the ceiling and journal-off use the native)."""

    name: str
    kind: str  # "gateway", "journal-off" or "ceiling"
    face: int = 0


def targets(call: HotCall) -> list[Target]:
    found = [Target(f"gateway {face.name}", "gateway", index)
             for index, face in enumerate(call.faces)]
    found.append(Target(f"{call.faces[0].name}, journal off", "journal-off"))
    found.append(Target("ceiling", "ceiling"))
    return found


# ----- the child: runs under valgrind, builds one app, calls it -----

def child(call_name: str, target_name: str, url: str, calls: int, warmup: int) -> int:
    import functools
    import logging
    import warnings

    warnings.simplefilter("ignore")  # spyne's import-time deprecation warnings
    logging.basicConfig(level=logging.WARNING)
    call = CALLS[call_name]
    target = next(t for t in targets(call) if t.name == target_name)
    face = call.faces[target.face]
    if target.kind == "ceiling":
        app = call.ceiling(url)
    else:
        from lrs_soap.config import Settings
        from lrs_soap.entrypoints.wsgi import create_app

        settings = (Settings(database_url=url, journal="off") if target.kind == "journal-off"
                    else Settings(database_url=url))
        app = create_app(settings)
    try:
        for _ in range(warmup):
            status, payload = _support.call_wsgi(app, face.body, face.path)
        code = profile_find_by_uln.answer_code(payload)
        if code != call.expected_code:
            print(f"{target.name} answered {status}, {code}; expected {call.expected_code}",
                  file=sys.stderr)
            return 3
        # Built beforehand, so the counted loop holds the calls and little else.
        environs = [_support.wsgi_environ(face.body, face.path) for _ in range(calls)]
        statuses: list[str] = []

        def start_response(status, headers, exc_info=None):
            statuses.append(status)

        def one(_, environ):
            return b"".join(app(environ, start_response))

        payload = functools.reduce(one, environs, None)  # collected: this and nothing else
        code = profile_find_by_uln.answer_code(payload)
        wrong = [status for status in statuses if status != "200 OK"]
        if code != call.expected_code or wrong or len(statuses) != calls:
            print(f"{target.name}: counted calls answered {code}, {wrong[:3] or statuses[-1:]}",
                  file=sys.stderr)
            return 3
    finally:
        close = getattr(app, "close", None)
        if close is not None:
            close()
    print(json.dumps({"code": code, "python": sys.version.split()[0]}))
    return 0


# ----- the parent: prepares the database, runs a child per target under valgrind -----

@dataclass
class Thread:
    """One thread's callgrind file: what it collected, and how often it entered reduce."""

    instructions: int
    reduce_calls: int


def read_callgrind(path: Path) -> Thread:
    """The file's total (its ``totals:`` or ``summary:`` line) and the calls to TOGGLE, from
    the ``cfn=``/``calls=`` lines (names are compressed: ``(id) name`` the first time, in an
    ``fn=`` or ``cfn=`` line, and ``(id)`` after)."""
    names: dict[str, str] = {}
    total = None
    reduce_calls = 0
    callee = None
    with path.open() as lines:
        for line in lines:
            if line.startswith(("fn=", "cfn=")):  # one table of names for both
                match = re.match(r"c?fn=(\(\d+\))?\s*(.*)", line.rstrip("\n"))
                key, name = match.group(1), match.group(2)
                if key and name:
                    names[key] = name
                if line.startswith("cfn="):
                    callee = names.get(key, name) if key else name
            elif line.startswith("calls=") and callee == TOGGLE:
                reduce_calls += int(line.split("=", 1)[1].split()[0])
            elif line.startswith(("totals:", "summary:")):
                total = int(line.split(":", 1)[1].split()[0])
    if total is None:
        raise SystemExit(f"no totals in {path}: is it a callgrind file?")
    return Thread(total, reduce_calls)


def run_child(call: HotCall, target: Target, database: Path, work: Path, calls: int,
              warmup: int) -> dict:
    """Copy the prepared database, run the child under callgrind, read each thread's count."""
    slug = re.sub(r"[^a-z0-9]+", "-", target.name.lower()).strip("-")
    copy = work / f"{slug}.db"
    with sqlite3.connect(database) as source, sqlite3.connect(copy) as destination:
        source.backup(destination)
    out = work / f"callgrind.{slug}.out"
    command = ["valgrind", "--tool=callgrind", f"--toggle-collect={TOGGLE}",
               "--collect-atstart=no", "--separate-threads=yes",
               f"--callgrind-out-file={out}", sys.executable, str(Path(__file__).resolve()),
               "--child", target.name, "--call", call.name, "--calls", str(calls),
               "--warmup", str(warmup), "--database-url", f"sqlite:///{copy}"]
    # A fixed hash seed: the same dict and set layouts in every run, so the count repeats.
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{target.name}: the child failed ({done.returncode}):\n"
                         f"{done.stderr[-4000:]}")
    collected = re.findall(r"^==\d+== Collected : (\d+)$", done.stderr, re.MULTILINE)
    threads = {path.name.rsplit("-", 1)[-1]: read_callgrind(path)
               for path in sorted(work.glob(f"callgrind.{slug}.out-*"))}
    if not threads:
        raise SystemExit(f"{target.name}: callgrind wrote no file ({out}-NN)")
    main_thread = threads[min(threads)]
    others = {number: thread.instructions for number, thread in threads.items()
              if thread is not main_thread}
    if main_thread.instructions == 0:
        raise SystemExit(f"{target.name}: nothing was collected: callgrind did not find "
                         f"{TOGGLE} in {sys.executable} (a stripped interpreter?)")
    if main_thread.reduce_calls != 1:
        raise SystemExit(
            f"{target.name}: {TOGGLE} was entered {main_thread.reduce_calls} times in the "
            "calling thread, not once: code outside the counted loop (set-up, warm-up) calls "
            "functools.reduce, and what it does would be counted")
    if collected and int(collected[-1]) != sum(t.instructions for t in threads.values()):
        raise SystemExit(f"{target.name}: valgrind's 'Collected : {collected[-1]}' differs "
                         f"from the files' totals {threads}")
    return {"instructions": main_thread.instructions,
            "per_call": main_thread.instructions / calls,
            "other_threads": others, "seconds": round(seconds, 1),
            "python": json.loads(done.stdout.strip().splitlines()[-1])["python"],
            "callgrind_file": out.name}


def probe() -> None:
    """Check that callgrind finds TOGGLE in this interpreter before the long runs."""
    with tempfile.TemporaryDirectory(prefix="lrs-count-probe-") as tmp:
        out = Path(tmp) / "probe.out"
        done = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--toggle-collect={TOGGLE}",
             "--collect-atstart=no", f"--callgrind-out-file={out}", sys.executable, "-c",
             "import functools; functools.reduce(lambda a, b: a + b, range(1000), 0)"],
            capture_output=True, text=True, check=False)
        if done.returncode != 0 or not out.exists():
            raise SystemExit(f"valgrind could not run {sys.executable}:\n{done.stderr[-2000:]}")
        if read_callgrind(out).instructions == 0:
            print(f"callgrind collected nothing inside {TOGGLE}: {sys.executable} (Python "
                  f"{sys.version.split()[0]}) has no symbol {TOGGLE} that valgrind can see "
                  "(a stripped build, or reduce is no longer that C function). Use an "
                  "interpreter with its symbols (pyenv's builds keep them).", file=sys.stderr)
            raise SystemExit(2)


def git_commit() -> str:
    """HEAD of the checkout, with "+dirty" when lrs_soap/ or tests/perf/'s scripts have
    uncommitted changes (the counted code is then not the commit's)."""
    try:
        head = subprocess.run(["git", "-C", str(_support.REPO), "rev-parse", "--short=10",
                               "HEAD"], capture_output=True, text=True, check=True).stdout
        dirty = subprocess.run(["git", "-C", str(_support.REPO), "status", "--porcelain",
                                "--", "lrs_soap", "tests/perf/*.py"], capture_output=True,
                               text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head.strip() + ("+dirty" if dirty.strip() else "")


def valgrind_version() -> str:
    return subprocess.run(["valgrind", "--version"], capture_output=True, text=True,
                          check=False).stdout.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--call", choices=sorted(CALLS), default="FindByULN",
                        help="the call to count (default FindByULN)")
    parser.add_argument("--calls", type=int, default=200, help="counted calls per target")
    parser.add_argument("--warmup", type=int, default=100, help="calls before counting")
    parser.add_argument("--jobs", type=int, default=1,
                        help="targets counted at once (counts do not depend on it)")
    parser.add_argument("--keep", type=Path,
                        help="keep the callgrind files here (for callgrind_annotate)")
    parser.add_argument("--json", type=Path, help="write the figures here as JSON")
    parser.add_argument("--child", metavar="TARGET", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.calls < 1 or args.warmup < 1:
        parser.error("--calls and --warmup must be at least 1")
    if args.child:
        return child(args.call, args.child, args.database_url, args.calls, args.warmup)

    if shutil.which("valgrind") is None:
        print("valgrind is not installed: this tool counts instructions with valgrind's "
              "callgrind. Install it (Debian/Ubuntu: sudo apt-get install -y valgrind; "
              "macOS: not supported by valgrind, use a Linux machine).", file=sys.stderr)
        return 2
    probe()
    call = CALLS[args.call]
    commit = git_commit()
    load_before = _support.load_average()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="lrs-count-") as tmp:
        work = Path(tmp)
        database = work / "prepared.db"
        url = f"sqlite:///{database}"
        _support.prepare_database(url)
        if call.prepare is not None:
            call.prepare(url)
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            futures = {target.name: pool.submit(run_child, call, target, database, work,
                                                args.calls, args.warmup)
                       for target in targets(call)}
            results = {name: future.result() for name, future in futures.items()}
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            for path in work.glob("callgrind.*.out-*"):
                shutil.copy(path, args.keep / path.name)
    load_after = _support.load_average()
    ceiling = results["ceiling"]["per_call"]
    pythons = {result["python"] for result in results.values()}
    print(f"{call.name}: instructions per call (callgrind, {args.calls} counted calls after "
          f"{args.warmup} warm-up, each target in its own process), Python "
          f"{', '.join(sorted(pythons))}, lrs_soap at {commit}, {valgrind_version()}, "
          f"{time.perf_counter() - started:.0f} s, load average {load_before[0]:.1f} -> "
          f"{load_after[0]:.1f}")
    print(f"  {'':<22}{'instr/call':>14}{'/ ceiling':>11}{'other threads':>15}"
          f"{'seconds':>9}")
    for name, result in results.items():
        others = sum(result["other_threads"].values())
        print(f"  {name:<22}{result['per_call']:>14,.0f}{result['per_call'] / ceiling:>11.2f}"
              f"{others:>15,}{result['seconds']:>9.0f}")
    print("  Not counted: the request journal's writer thread (it writes the queued entries "
          "in batches, outside reduce: 'other threads' is what the app's other threads "
          "collected); the gateway rows count the calling thread's journal work, the "
          "journal-off row none.")
    print("  Instructions are not time (instructions per cycle differ between the targets): "
          "compare commits by these counts; the targets bind the CPU-time ratio of "
          "profile_find_by_uln.py.")
    if args.keep:
        print(f"  callgrind files: {args.keep} (callgrind_annotate FILE)")
    if args.json:
        args.json.write_text(json.dumps({
            "call": call.name, "calls": args.calls, "warmup": args.warmup,
            "python": sorted(pythons), "commit": commit, "valgrind": valgrind_version(),
            "loadavg_before": load_before, "loadavg_after": load_after,
            "instructions_per_call": {name: round(result["per_call"])
                                      for name, result in results.items()},
            "over_ceiling": {name: round(result["per_call"] / ceiling, 3)
                             for name, result in results.items() if name != "ceiling"},
            "targets": results,
            "not_counted": "the request journal's writer thread (other_threads: what the "
                           "app's threads other than the calling one collected)",
        }, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
