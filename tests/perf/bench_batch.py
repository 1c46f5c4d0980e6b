"""A 10,000-record achievement batch over HTTP against a real `lrs-soap serve`.

    python tests/perf/bench_batch.py [--records 10000] [--json out.json]

Reports: how long the submit call took (client-side round trip over loopback, so it
includes sending 4 MB), how long until GetAchievementBatch said WSRC0009, and the peak
resident memory of the server's processes (gunicorn master, web workers, batch worker),
sampled every 50 ms. Targets (issue "Batches"): submit within 1 s, complete within 10 s,
peak memory under 300 MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.e2e.servers import served_gateway

NS = "urn:lrs-soap:native:v1"
CREDS = ("<v:Credentials><v:UKPRN>10000002</v:UKPRN><v:UserName>demo</v:UserName>"
         "<v:OrgPassword>DemoAwarding2026</v:OrgPassword></v:Credentials>")
USABLE = ("100/2510/8", "600/1234/5", "K/501/5773", "Y/600/4321", "500/9999/1")


def seed_learners(database_url: str, count: int) -> list[tuple[str, str, str, str]]:
    """``count`` learners to award things to: (ULN, given, family, date of birth)."""
    from lrs_soap.bootstrap import build_runtime
    from lrs_soap.config import Settings
    from lrs_soap.domain.model import LearnerDetails
    from lrs_soap.service import demo, uln_minting
    from lrs_soap.store import migrate

    migrate.upgrade(database_url)
    people = []
    with build_runtime(Settings(database_url=database_url)) as services:
        demo.load(services)
        with services.uow_factory() as uow:
            for n in range(count):
                born = dt.date(1990 + n // 365, 1, 1) + dt.timedelta(days=n % 365)
                given = "Bench" + "".join(chr(65 + (n // 26 ** k) % 26) for k in range(3))
                uln = uln_minting.mint(services, uow)
                uow.learners.add(uln, LearnerDetails(given, "Awardee", born, "2", "LS2 9JT"),
                                 registered_by=None, now=services.clock())
                people.append((uln, given, "Awardee", born.isoformat()))
            uow.commit()
    return people


def batch_message(people, records: int) -> bytes:
    lines = []
    for n in range(records):
        uln, given, family, born = people[n // len(USABLE)]
        lines.append(
            f"<v:Achievement><v:Action>CREATE</v:Action><v:ULN>{uln}</v:ULN>"
            f"<v:GivenName>{given}</v:GivenName><v:FamilyName>{family}</v:FamilyName>"
            f"<v:DateOfBirth>{born}</v:DateOfBirth><v:Gender>2</v:Gender>"
            f"<v:QualificationReference>{USABLE[n % len(USABLE)]}</v:QualificationReference>"
            "<v:Grade>Merit</v:Grade><v:AwardDate>2024-07-01</v:AwardDate>"
            "<v:ActionDate>2024-07-02</v:ActionDate><v:ProviderUKPRN>10000001</v:ProviderUKPRN>"
            "</v:Achievement>")
    return (f'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:v="{NS}">'
            f"<s:Body><v:SubmitAchievementBatch>{CREDS}<v:RecordCount>{records}</v:RecordCount>"
            + "\n".join(lines) + "</v:SubmitAchievementBatch></s:Body></s:Envelope>").encode()


def tree_memory_mib(pid: int) -> dict[str, float]:
    """RSS and PSS of the process tree. PSS shares pages that forked workers have in
    common among them, so its sum is the memory the server really holds."""
    totals, stack = {"Rss": 0, "Pss": 0}, [pid]
    while stack:
        current = stack.pop()
        try:
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        for line in rollup.splitlines():
            key = line.split(":")[0]
            if key in totals:
                totals[key] += int(line.split()[1])
        stack += [int(child) for child in children]
    return {key: value / 1024 for key, value in totals.items()}


def field(text: str, name: str) -> str | None:
    start = text.find(f"<tns:{name}>")
    return None if start < 0 else text[start + len(name) + 6:text.find(f"</tns:{name}>")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{directory}/bench.db"
        people = seed_learners(url, -(-args.records // len(USABLE)))
        body = batch_message(people, args.records)
        os.environ["LRS_MAX_REQUEST_BYTES"] = str(16 * 1024 * 1024)
        with served_gateway(url, "--batch-workers", "1") as gateway:
            peak, stop = {"Rss": 0.0, "Pss": 0.0}, threading.Event()

            def sample():
                while not stop.is_set():
                    for key, value in tree_memory_mib(gateway.process.pid).items():
                        peak[key] = max(peak[key], value)
                    time.sleep(0.05)

            threading.Thread(target=sample, daemon=True).start()
            started = time.perf_counter()
            reply = requests.post(f"{gateway.url}/soap/v1", data=body, timeout=120,
                                  headers={"Content-Type": "text/xml"}).text
            submitted = time.perf_counter() - started
            assert field(reply, "ResponseCode") == "WSRC0007", reply[:500]
            job = field(reply, "JobID")
            get = (f'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" '
                   f'xmlns:v="{NS}"><s:Body><v:GetAchievementBatch>{CREDS}<v:JobID>{job}'
                   "</v:JobID></v:GetAchievementBatch></s:Body></s:Envelope>")
            while True:
                status = requests.post(f"{gateway.url}/soap/v1", data=get, timeout=60,
                                       headers={"Content-Type": "text/xml"}).text
                if field(status, "ResponseCode") != "WSRC0008" or \
                        time.perf_counter() - started > 120:
                    break
                time.sleep(0.1)
            completed = time.perf_counter() - started
            stop.set()
    figures = {"records": args.records, "request_bytes": len(body),
               "submit_seconds": round(submitted, 3), "complete_seconds": round(completed, 3),
               "created": int(field(status, "AchievementsCreated") or 0),
               "rejected": int(field(status, "RejectedRecords") or 0),
               "peak_server_pss_mib": round(peak["Pss"], 1),
               "peak_server_rss_mib": round(peak["Rss"], 1)}
    print(json.dumps(figures, indent=2))
    for name, value, limit in (("submit", submitted, 1.0), ("complete", completed, 10.0),
                               ("peak memory (PSS) MiB", peak["Pss"], 300.0)):
        print(f"  {'ok  ' if value < limit else 'MISS'} {name}: {value:.2f} (target < {limit})")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
