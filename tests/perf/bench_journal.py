"""In-process benchmark: the request journal's cost on FindByULN, off / metadata / full.

    python tests/perf/bench_journal.py [--calls 2000] [--rounds 3]

One process, one SQLite database, the three modes' gateways called in turn (interleaved
rounds, so machine noise hits all three alike); prints the median microseconds a call and
each mode's ratio to "off". Over HTTP use bench_http.py with LRS_JOURNAL set.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _support

MODES = ("off", "metadata", "full")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    from lrs_soap.config import Settings
    from lrs_soap.entrypoints.wsgi import create_app

    with tempfile.TemporaryDirectory(prefix="lrs-journal-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        _support.prepare_database(url)
        apps = {mode: create_app(Settings(database_url=url, journal=mode)) for mode in MODES}
        timings: dict[str, list[float]] = {mode: [] for mode in MODES}
        try:
            for app in apps.values():  # warm up: password cache, schemas
                for _ in range(50):
                    _support.call_wsgi(app, _support.FIND_BY_ULN)
            for _ in range(args.rounds):
                for mode, app in apps.items():
                    started = time.perf_counter()
                    for _ in range(args.calls):
                        status, _ = _support.call_wsgi(app, _support.FIND_BY_ULN)
                        assert status.startswith("200"), status
                    timings[mode].append((time.perf_counter() - started) / args.calls * 1e6)
        finally:
            for app in apps.values():
                app.close()
    off = statistics.median(timings["off"])
    print(f"{'journal':<10}{'us/call (median of rounds)':>28}{'x off':>8}")
    for mode in MODES:
        median = statistics.median(timings[mode])
        print(f"{mode:<10}{median:>28.0f}{median / off:>8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
