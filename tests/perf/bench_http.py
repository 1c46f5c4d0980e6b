"""HTTP benchmark: FindByULN through the real gateway against the bare-lxml ceiling.

    python tests/perf/bench_http.py [--connections 16] [--duration 15] [--workers 2]
                                    [--rounds 1] [--learners N] [--database-url URL]
                                    [--json results.json] [--check]

In one run, over loopback HTTP only (127.0.0.1):

1. prepare a database (a temporary SQLite file unless --database-url): migrate, load the demo
   data, and seed --learners more when lrs_soap.store.seed.seed_learners exists;
2. start the gateway exactly as users do (``python -m lrs_soap.entrypoints.cli serve --bind
   127.0.0.1:PORT --workers W``) and the ceiling (tests/perf/ceiling_app.py) under gunicorn
   with the same worker class (sync), worker count, timeouts and keep-alive setting;
3. check that each answers FindByULN with WSRC0004, that both answers are equal (response code
   and every learner field) and that both validate against the XSD;
4. warm both up with wrk, then measure each with wrk, one after the other (--rounds times);
5. print a table (req/s, p50, p99, ratio to the ceiling's throughput, server CPU per request,
   and the established connections each server process held a second into each run: with
   keep-alive a connection stays with the worker that took it, so 16 on one worker means one
   core served all and each request queued behind the others) and write it as JSON.

The machine is shared and noisy: absolute figures move from run to run, the ratio between
targets measured in the same run is the figure to read. Targets (issues): FindByULN at least
0.6 x the ceiling's req/s, with p99 under 15 ms, at 16 connections on 2 cores; --check makes
the exit status 1 when a target is missed. Exit status 2: wrk missing or a setup failure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _support

REPO = _support.REPO
HOST = "127.0.0.1"  # loopback only, always
TARGET_RATIO = 0.6  # issue 15
TARGET_P99_MS = 15.0
WRK_INSTALL = ("wrk is not installed. Install it with:\n"
               "  Debian/Ubuntu: sudo apt-get install -y wrk\n"
               "  macOS:         brew install wrk\n"
               "then run this script again.")


@dataclass(frozen=True)
class Target:
    """One measured endpoint."""

    name: str
    server: str  # "gateway" or "ceiling"
    path: str
    body: bytes
    expected_code: str = "WSRC0004"
    native: bool = True  # answers in the native contract (checked against its XSD)


MIRROR_LEARNER_BY_ULN = _support.MIRROR_LEARNER_BY_ULN

TARGETS = (
    Target("gateway FindByULN (native)", "gateway", _support.NATIVE_PATH, _support.FIND_BY_ULN),
    Target("gateway learnerByULN (mirror)", "gateway", _support.MIRROR_LEARNER_PATH,
           MIRROR_LEARNER_BY_ULN, native=False),
    Target("ceiling (bare lxml)", "ceiling", _support.NATIVE_PATH, _support.FIND_BY_ULN),
)
CEILING = "ceiling (bare lxml)"
# --without-front: the same app on the ceiling's sync workers (what the buffering front costs)
WITHOUT_FRONT = Target("gateway FindByULN, sync, no front", "gateway-sync",
                       _support.NATIVE_PATH, _support.FIND_BY_ULN)


class BenchError(RuntimeError):
    pass


# ----- servers -----

def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """A gunicorn master in its own process group, stopped with SIGTERM, then SIGKILL."""

    def __init__(self, name: str, command: list[str], env: dict, port: int, log: Path):
        self.name, self.command, self.env, self.port, self.log = name, command, env, port, log
        self.process: subprocess.Popen | None = None
        self._log_file = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> None:
        self._log_file = open(self.log, "wb")  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(self.command, cwd=REPO, env=self.env,
                                        stdout=self._log_file, stderr=subprocess.STDOUT,
                                        start_new_session=True)

    def wait_ready(self, seconds: float = 60.0) -> None:
        deadline = time.monotonic() + seconds
        for _ in range(int(seconds / 0.2) + 1):  # bounded by count and by time
            if time.monotonic() > deadline:
                break
            if self.process.poll() is not None:
                raise BenchError(f"{self.name} exited early (status {self.process.returncode})"
                                 f":\n{self.log_tail()}")
            try:
                # S310: the URL is http://127.0.0.1:PORT, built here
                with urllib.request.urlopen(f"{self.url}/healthz",  # noqa: S310
                                            timeout=1) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        raise BenchError(f"{self.name} did not become healthy in {seconds:.0f} s:\n"
                         f"{self.log_tail()}")

    def stop(self) -> None:
        process = self.process
        if process is not None and process.poll() is None:
            for sig, wait in ((signal.SIGTERM, 40), (signal.SIGKILL, 10)):
                try:
                    os.killpg(process.pid, sig)  # the group this script created
                except ProcessLookupError:
                    break
                try:
                    process.wait(timeout=wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def cpu_seconds(self) -> float | None:
        """User + system CPU of the gunicorn master and its workers (Linux /proc).

        Counted: the processes of the group this script started that run the master's own
        command line (gunicorn workers are forks of it). Not counted: anything else the
        server starts beside gunicorn, such as `lrs-soap serve`'s batch worker, which polls
        for jobs and has nothing to do with FindByULN."""
        pids = self._processes()
        if not pids:
            return None
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue  # the process ended meanwhile
            total += int(fields[11]) + int(fields[12])  # utime + stime
        return total / ticks

    def _processes(self) -> list[int]:
        """The pids of the gunicorn master and its workers: the processes of the group this
        script started that run the master's own command line (workers are forks of it)."""
        if self.process is None or not Path("/proc/self/stat").exists():
            return []
        try:
            command = Path(f"/proc/{self.process.pid}/cmdline").read_bytes()
        except OSError:
            return []
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if (int(fields[2]) == self.process.pid
                        and (stat.parent / "cmdline").read_bytes() == command):
                    found.append(int(stat.parent.name))
            except (OSError, IndexError, ValueError):
                continue
        return found

    def connections_per_process(self) -> list[int]:
        """How many established connections to this server's port each of its processes
        holds (Linux /proc), largest first, processes holding none left out: with keep-alive
        a connection stays with the worker that accepted it, so "16" is one worker doing it
        all while the other idles."""
        established = set()
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            try:
                lines = Path(table).read_text().splitlines()[1:]
            except OSError:
                continue
            for line in lines:
                fields = line.split()
                if fields[3] == "01" and int(fields[1].rsplit(":", 1)[1], 16) == self.port:
                    established.add(fields[9])  # the socket's inode
        counts = []
        for pid in self._processes():
            try:
                links = [os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()]
            except OSError:
                continue
            held = sum(1 for link in links
                       if link.startswith("socket:[") and link[8:-1] in established)
            if held:
                counts.append(held)
        return sorted(counts, reverse=True)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def gateway_server(port: int, workers: int, env: dict, log: Path) -> Server:
    command = [sys.executable, "-m", "lrs_soap.entrypoints.cli", "serve",
               "--bind", f"{HOST}:{port}", "--workers", str(workers)]
    return Server("gateway", command, env, port, log)


def ceiling_server(port: int, workers: int, env: dict, log: Path,
                   app: str = "tests.perf.ceiling_app:app", name: str = "ceiling") -> Server:
    from lrs_soap.config import Settings

    # The gateway's gunicorn settings (lrs_soap.entrypoints.server.GatewayServer.load_config).
    command = [sys.executable, "-m", "gunicorn", "--worker-class", "sync",
               "--workers", str(workers), "--bind", f"{HOST}:{port}",
               "--timeout", str(Settings.request_timeout), "--graceful-timeout", "30",
               "--keep-alive", "5", "--log-level", "warning", "--error-logfile", "-",
               "--name", f"lrs-soap-{name}",
               # the master's admin socket only; leave the default path to the gateway
               "--no-control-socket", app]
    return Server(name, command, env, port, log)


# ----- requests -----

def post(url: str, body: bytes, timeout: float = 30.0) -> tuple[int, bytes]:
    # S310: every URL here is http://127.0.0.1:PORT/..., built by this script
    request = urllib.request.Request(url, data=body, method="POST",  # noqa: S310
                                     headers={"Content-Type": "text/xml; charset=utf-8"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:  # a SOAP fault is a 500
        return error.code, error.read()


def check_answers(servers: dict[str, Server], targets: tuple[Target, ...]) -> dict:
    """Every target answers its expected code, not a fault; the gateway's and the ceiling's
    answers to the same request are equal and both honour the contract."""
    summaries = {}
    for target in targets:
        status, payload = post(servers[target.server].url + target.path, target.body)
        if not target.native:
            if status != 200 or f"<ResponseCode>{target.expected_code}<".encode() not in payload:
                raise BenchError(f"{target.name} answered HTTP {status}:\n"
                                 f"{payload[:2000].decode(errors='replace')}")
            continue
        summary = _support.summarise(payload)
        if status != 200 or summary.get("response_code") != target.expected_code:
            raise BenchError(f"{target.name} answered HTTP {status} {summary}, expected "
                             f"{target.expected_code}:\n{payload[:2000].decode(errors='replace')}")
        problem = _support.response_schema_problem(payload)
        if problem:
            raise BenchError(f"{target.name}: the answer breaks the XSD: {problem}")
        summaries[target.name] = summary
    ceiling = summaries[CEILING]
    for target in targets:
        if target.body == _support.FIND_BY_ULN and summaries[target.name] != ceiling:
            raise BenchError(f"{target.name} and the ceiling answer differently:\n"
                             f"  {summaries[target.name]}\n  {ceiling}")
    return ceiling


# ----- wrk -----

LUA = """-- generated by tests/perf/bench_http.py
wrk.method = "POST"
wrk.headers["Content-Type"] = "text/xml; charset=utf-8"
wrk.body = [==[%(body)s]==]

done = function(summary, latency, requests)
  io.write(string.format(
    "BENCH-JSON {\\"requests\\": %%d, \\"duration_us\\": %%d, \\"bytes\\": %%d, " ..
    "\\"connect\\": %%d, \\"read\\": %%d, \\"write\\": %%d, \\"status\\": %%d, " ..
    "\\"timeout\\": %%d, \\"p50_us\\": %%d, \\"p90_us\\": %%d, \\"p99_us\\": %%d, " ..
    "\\"max_us\\": %%d, \\"mean_us\\": %%f}\\n",
    summary.requests, summary.duration, summary.bytes,
    summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean))
end
"""


def write_lua(directory: Path, target: Target, index: int) -> Path:
    text = target.body.decode()
    if "]==]" in text:
        raise BenchError("the request body cannot be quoted for Lua")
    path = directory / f"target{index}.lua"
    path.write_text(LUA % {"body": text})
    return path


def run_wrk(url: str, script: Path, connections: int, threads: int, seconds: int,
            server: Server | None = None) -> dict:
    cpu_before = server.cpu_seconds() if server else None
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency",
               "--timeout", "10s", "-s", str(script), url]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True) as wrk:
        split = None
        if server is not None:
            try:  # a second in, every connection is open and kept
                wrk.wait(timeout=min(1.0, seconds / 2))
            except subprocess.TimeoutExpired:
                split = server.connections_per_process()
        try:
            stdout, stderr = wrk.communicate(timeout=seconds + 60)
        except subprocess.TimeoutExpired:
            wrk.kill()
            raise BenchError("wrk did not finish") from None
    if wrk.returncode != 0:
        raise BenchError(f"wrk failed ({wrk.returncode}):\n{stderr}")
    match = re.search(r"^BENCH-JSON (\{.*\})$", stdout, re.MULTILINE)
    if not match:
        raise BenchError(f"no figures in wrk's output:\n{stdout}")
    figures = json.loads(match.group(1))
    seconds_run = figures["duration_us"] / 1e6
    cpu_after = server.cpu_seconds() if server else None
    cpu_us = None
    if cpu_before is not None and cpu_after is not None and figures["requests"]:
        cpu_us = round((cpu_after - cpu_before) / figures["requests"] * 1e6, 1)
    return {
        "requests": figures["requests"],
        "seconds": round(seconds_run, 3),
        "rps": round(figures["requests"] / seconds_run, 1) if seconds_run else 0.0,
        "p50_ms": round(figures["p50_us"] / 1000, 3),
        "p90_ms": round(figures["p90_us"] / 1000, 3),
        "p99_ms": round(figures["p99_us"] / 1000, 3),
        "max_ms": round(figures["max_us"] / 1000, 3),
        "mean_ms": round(figures["mean_us"] / 1000, 3),
        # server CPU (all its processes) per request: steadier than req/s on a shared machine
        "server_cpu_us_per_request": cpu_us,
        "errors": {k: figures[k] for k in ("connect", "read", "write", "status", "timeout")},
        # established connections held by each server process a second in, largest first
        "connections_per_process": split,
        "wrk_latency_text": _latency_block(stdout),
    }


def _latency_block(text: str) -> str:
    """wrk --latency's own distribution lines, kept for the record."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if "Latency Distribution" in line:
            return "\n".join(lines[i:i + 5])
    return ""


def wrk_version() -> str:
    completed = subprocess.run(["wrk", "-v"], capture_output=True, text=True, timeout=10,
                               check=False)
    first = (completed.stdout or completed.stderr).strip().splitlines()
    return first[0] if first else "unknown"


# ----- report -----

def summarise_rounds(rounds: list[dict[str, dict]], targets: tuple[Target, ...]) -> list[dict]:
    """Per target: the medians over rounds; ratio = median of same-round ratios."""
    rows = []
    for target in targets:
        runs = [r[target.name] for r in rounds]
        ratios = [r[target.name]["rps"] / r[CEILING]["rps"] for r in rounds
                  if r[CEILING]["rps"]]
        rows.append({
            "target": target.name,
            "rps": round(statistics.median(x["rps"] for x in runs), 1),
            "p50_ms": round(statistics.median(x["p50_ms"] for x in runs), 3),
            "p99_ms": round(statistics.median(x["p99_ms"] for x in runs), 3),
            "ratio_to_ceiling": round(statistics.median(ratios), 3) if ratios else None,
            "cpu_us_per_request": _median_or_none(x["server_cpu_us_per_request"] for x in runs),
            "errors": sum(sum(x["errors"].values()) for x in runs),
            "connections_per_process": [x.get("connections_per_process") for x in runs],
        })
    return rows


def _median_or_none(values) -> float | None:
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 1) if values else None


def table(rows: list[dict]) -> str:
    header = (f"{'target':<30} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>7} "
              f"{'CPU µs/req':>11} {'errors':>7}  connections per worker")
    lines = [header, "-" * len(header)]
    for row in rows:
        ratio = "" if row["ratio_to_ceiling"] is None else f"{row['ratio_to_ceiling']:.2f}"
        cpu = "" if row["cpu_us_per_request"] is None else f"{row['cpu_us_per_request']:.0f}"
        splits = " ".join("/".join(map(str, split)) if split else "-"
                          for split in row.get("connections_per_process", []))
        lines.append(f"{row['target']:<30} {row['rps']:>9.0f} {row['p50_ms']:>8.2f} "
                     f"{row['p99_ms']:>8.2f} {ratio:>7} {cpu:>11} {row['errors']:>7}  {splits}")
    return "\n".join(lines)


def target_checks(rows: list[dict]) -> list[dict]:
    checks = []
    for row in rows:
        if row["target"] in (CEILING, WITHOUT_FRONT.name):  # the targets bind the product
            continue
        checks.append({"target": row["target"],
                       "check": f"throughput >= {TARGET_RATIO} x ceiling",
                       "value": row["ratio_to_ceiling"],
                       "ok": row["ratio_to_ceiling"] is not None
                       and row["ratio_to_ceiling"] >= TARGET_RATIO})
        checks.append({"target": row["target"], "check": f"p99 < {TARGET_P99_MS:g} ms",
                       "value": row["p99_ms"], "ok": row["p99_ms"] < TARGET_P99_MS})
    return checks


def versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    found = {"python": platform.python_version()}
    for package in ("spyne", "lxml", "gunicorn", "sqlalchemy", "argon2-cffi"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = None
    found["wrk"] = wrk_version()
    return found


# ----- main -----

def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Figures: req/s = completed requests / wrk's measured duration; p50/p99 = "
               "wrk's latency percentiles; ratio = target req/s / ceiling req/s, same round; "
               "CPU µs/req = CPU time of the server's processes / requests (Linux).")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (16)")
    parser.add_argument("--duration", type=int, default=15, help="seconds per measurement (15)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server (2)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument("--warmup", type=int, default=3, help="warm-up seconds per target (3)")
    parser.add_argument("--rounds", type=int, default=1,
                        help="measure every target this many times, alternating (1)")
    parser.add_argument("--learners", type=int, default=0,
                        help="seed this many extra learners (needs lrs_soap.store.seed)")
    parser.add_argument("--database-url",
                        help="use this database (migrated, demo data loaded into it) instead "
                             "of a temporary SQLite file")
    parser.add_argument("--without-front", action="store_true",
                        help="also serve the gateway's app on sync workers without serve's "
                             "buffering front, to show what the front costs")
    parser.add_argument("--json", type=Path, help="also write the results here as JSON")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 when a performance target is missed")
    args = parser.parse_args(argv)
    for name in ("connections", "duration", "workers", "threads", "rounds"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")
    if args.rounds > 20 or args.duration > 600:
        parser.error("keep --rounds <= 20 and --duration <= 600")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if shutil.which("wrk") is None:
        print(WRK_INSTALL, file=sys.stderr)
        return 2
    import warnings

    warnings.simplefilter("ignore")  # spyne's import-time deprecation warnings

    servers: dict[str, Server] = {}
    with tempfile.TemporaryDirectory(prefix="lrs-bench-") as tmp_name:
        tmp = Path(tmp_name)
        try:
            return run(args, tmp, servers)
        except BenchError as error:
            print(f"bench failed: {error}", file=sys.stderr)
            return 2
        finally:
            for server in servers.values():
                server.stop()


def run(args: argparse.Namespace, tmp: Path, servers: dict[str, Server]) -> int:
    load_before = _support.load_average()
    database_url = args.database_url or f"sqlite:///{tmp / 'bench.db'}"
    print(f"preparing the database ({'given URL' if args.database_url else 'temporary SQLite'})")
    seeded, data_note = _support.prepare_database(database_url, args.learners)
    print(f"  {data_note}")

    env = {**os.environ, "LRS_DATABASE_URL": database_url, "PYTHONWARNINGS": "ignore",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO),
                                                        os.environ.get("PYTHONPATH")]))}
    for variable in ("LRS_BIND", "LRS_WORKERS", "LRS_PUBLIC_URL"):  # the flags decide these
        env.pop(variable, None)
    servers["gateway"] = gateway_server(free_port(), args.workers, env, tmp / "gateway.log")
    servers["ceiling"] = ceiling_server(free_port(), args.workers, env, tmp / "ceiling.log")
    targets = TARGETS
    if args.without_front:
        servers["gateway-sync"] = ceiling_server(
            free_port(), args.workers, env, tmp / "gateway-sync.log",
            app="tests.perf.gateway_without_front:app", name="gateway-sync")
        targets = (*TARGETS, WITHOUT_FRONT)
    for server in servers.values():
        server.start()
    for server in servers.values():
        server.wait_ready()
        print(f"  {server.name} ready at {server.url} ({args.workers} workers)")

    answer = check_answers(servers, targets)
    print(f"  answers checked: all {len(targets)} answer {answer['response_code']} with equal "
          "learner fields, valid against the XSD")

    scripts = {t.name: write_lua(tmp, t, i) for i, t in enumerate(targets)}
    urls = {t.name: servers[t.server].url + t.path for t in targets}
    if args.warmup > 0:
        for target in targets:
            run_wrk(urls[target.name], scripts[target.name], args.connections, args.threads,
                    args.warmup)
        print(f"  warmed up ({args.warmup} s each)")

    rounds: list[dict[str, dict]] = []
    for number in range(1, args.rounds + 1):
        results = {}
        for target in targets:
            print(f"  round {number}/{args.rounds}: {target.name}, {args.connections} "
                  f"connections, {args.duration} s ...", flush=True)
            results[target.name] = run_wrk(urls[target.name], scripts[target.name],
                                           args.connections, args.threads, args.duration,
                                           servers[target.server])
        rounds.append(results)

    # After load: still the right answer (no worker died or drifted into faults).
    check_answers(servers, targets)

    rows = summarise_rounds(rounds, targets)
    checks = target_checks(rows)
    print()
    print(f"FindByULN over loopback HTTP: {args.connections} connections, {args.duration} s, "
          f"{args.workers} gunicorn workers per server (the gateway as `serve` runs it: asyncio "
          f"workers behind its buffering front; the ceiling: sync), wrk -t{args.threads}, "
          f"{os.cpu_count()} CPUs shared with wrk"
          + (f", median of {args.rounds} rounds" if args.rounds > 1 else ""))
    print(table(rows))
    for check in checks:
        print(f"  {'ok  ' if check['ok'] else 'MISS'} {check['target']}: {check['check']} "
              f"(measured {check['value']})")
    errors = sum(row["errors"] for row in rows)
    if errors:
        print(f"  WARNING: {errors} wrk errors (socket errors or non-2xx answers): "
              "see the JSON for which", file=sys.stderr)

    if args.json:
        report = {
            "command": " ".join(["python", "tests/perf/bench_http.py", *sys.argv[1:]]),
            "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                        # other work on the machine shows here (1, 5, 15 min averages)
                        "loadavg_before": load_before,
                        "loadavg_after": _support.load_average()},
            "versions": versions(),
            "settings": {"connections": args.connections, "duration_s": args.duration,
                         "workers": args.workers,
                         "worker_class": {"gateway": "asyncio, behind the buffering front",
                                          "ceiling": "sync", "gateway-sync": "sync"},
                         "wrk_threads": args.threads, "warmup_s": args.warmup,
                         "rounds": args.rounds,
                         "database": "given URL" if args.database_url else "temporary SQLite",
                         "learners_seeded": seeded,
                         "data": data_note},
            "results": rows,
            "checks": checks,
            "rounds": rounds,
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2) + "\n")
        print(f"  JSON written to {args.json}")
    if args.check and not all(check["ok"] for check in checks):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
