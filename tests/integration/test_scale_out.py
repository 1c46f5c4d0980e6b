"""Scale-out on PostgreSQL: two gateway worker processes and two batch workers on one
database, under thousands of concurrent registrations and several concurrent batches.
No duplicate ULN, no duplicate learner, no batch record processed twice or lost."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
import sqlalchemy as sa
from lxml import etree

from lrs_soap.domain import uln as uln_rules
from lrs_soap.store.orm import BatchJobRow, BatchRecordRow, LearnerRow
from tests.conftest import NATIVE_NS
from tests.databases import temporary_postgres_database
from tests.e2e.servers import served_gateway

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

REGISTRATIONS = 2000
RACED = 100  # people registered twice at the same moment
BATCHES, BATCH_SIZE = 4, 200
CREDS = ("<v:Credentials><v:UKPRN>10000001</v:UKPRN><v:UserName>demo</v:UserName>"
         "<v:OrgPassword>DemoCollege2026!</v:OrgPassword></v:Credentials>")
ENVELOPE = ('<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" '
            f'xmlns:v="{NATIVE_NS}"><s:Body>{{}}</s:Body></s:Envelope>')


FIRST_YEAR = {"Single": 1960, "Raced": 1980, "Batched": 1990}


def person(n: int, family: str) -> dict[str, str]:
    # Distinct birthdays from the 13th on (never day/month-swappable), each family in its
    # own years: nobody is anybody else's possible match.
    born = dt.date(FIRST_YEAR[family] + n // 144, n // 12 % 12 + 1, 13 + n % 12)
    letters = "".join(chr(65 + (n // 26 ** k) % 26) for k in range(3))
    return {"GivenName": f"Scale{letters}", "FamilyName": family,
            "DateOfBirth": born.isoformat(), "Gender": "1", "LastKnownPostCode": "LS2 9JT"}


def element(name: str, values: dict[str, str]) -> str:
    return f"<v:{name}>" + "".join(f"<v:{k}>{v}</v:{k}>" for k, v in values.items()) + \
        f"</v:{name}>"


def learner_fields(p: dict[str, str]) -> dict[str, str]:
    return {"GivenName": p["GivenName"], "FamilyName": p["FamilyName"],
            "LastKnownPostCode": p["LastKnownPostCode"], "DateOfBirth": p["DateOfBirth"],
            "Gender": p["Gender"], "VerificationType": "1", "AbilityToShare": "1"}


def call(session: requests.Session, url: str, inner: str) -> etree._Element:
    response = session.post(f"{url}/soap/v1", data=ENVELOPE.format(inner).encode(),
                            headers={"Content-Type": "text/xml"}, timeout=60)
    return etree.fromstring(response.content)


def text(tree: etree._Element, name: str) -> str | None:
    return tree.findtext(f".//{{{NATIVE_NS}}}{name}")


def search_and_register(url: str, p: dict[str, str]) -> tuple[str, str | None]:
    with requests.Session() as session:
        call(session, url, f"<v:FindByDemographics>{CREDS}<v:FindType>FUL</v:FindType>"
                           f"{element('Demographics', p)}</v:FindByDemographics>")
        reply = call(session, url, f"<v:RegisterLearner>{CREDS}"
                                   f"{element('Learner', learner_fields(p))}</v:RegisterLearner>")
    return text(reply, "ResponseCode"), text(reply, "ULN")


def submit_batch(url: str, people: list[dict[str, str]]) -> int:
    records = "".join(element("Learner", learner_fields(p)) for p in people)
    with requests.Session() as session:
        reply = call(session, url, f"<v:SubmitLearnerBatch>{CREDS}<v:JobType>FUL</v:JobType>"
                                   f"<v:LearnerRecordCount>{len(people)}</v:LearnerRecordCount>"
                                   f"{records}</v:SubmitLearnerBatch>")
    assert text(reply, "ResponseCode") == "WSRC0007"
    return int(text(reply, "JobID"))


def start_worker(url: str) -> subprocess.Popen:
    env = {**os.environ, "LRS_DATABASE_URL": url, "LRS_BATCH_CHUNK_SIZE": "25",
           "LRS_WORKER_POLL_MS": "100", "PYTHONWARNINGS": "ignore"}
    return subprocess.Popen([sys.executable, "-m", "lrs_soap.entrypoints.cli", "worker"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_two_gateways_and_two_workers_keep_every_rule(tmp_path):
    if not os.environ.get("LRS_TEST_POSTGRES_URL"):
        pytest.skip("LRS_TEST_POSTGRES_URL not set: PostgreSQL tests skipped")
    with temporary_postgres_database() as database, \
            served_gateway(database, "--batch-workers", "0", workers=2) as gateway:
        workers = [start_worker(database), start_worker(database)]
        try:
            singles = [person(n, "Single") for n in range(REGISTRATIONS)]
            raced = [person(n, "Raced") for n in range(RACED)]
            batched = [[person(b * BATCH_SIZE + n, "Batched") for n in range(BATCH_SIZE)]
                       for b in range(BATCHES)]
            started = time.monotonic()
            with ThreadPoolExecutor(32) as pool:
                jobs = [pool.submit(submit_batch, gateway.url, people) for people in batched]
                single_results = list(pool.map(lambda p: search_and_register(gateway.url, p),
                                               singles))
                race_results = list(pool.map(lambda p: search_and_register(gateway.url, p),
                                             raced + raced))
                job_ids = [job.result() for job in jobs]
            elapsed = time.monotonic() - started
            print(f"\n{REGISTRATIONS + 2 * RACED} registrations (each after a search) and "
                  f"{BATCHES} batches submitted in {elapsed:.1f} s")

            assert [code for code, _ in single_results] == ["WSRC0005"] * REGISTRATIONS
            codes = sorted(code for code, _ in race_results)
            assert codes == ["WSRC0005"] * RACED + ["WSRC0021"] * RACED
            issued = [uln for _, uln in single_results + race_results if uln]
            assert len(issued) == len(set(issued)) == REGISTRATIONS + RACED
            assert all(uln_rules.is_valid(uln) for uln in issued)

            engine = sa.create_engine(database)
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline:
                with engine.connect() as connection:
                    statuses = connection.execute(sa.select(BatchJobRow.status).where(
                        BatchJobRow.id.in_(job_ids))).scalars().all()
                if statuses and all(s == "successful" for s in statuses):
                    break
                time.sleep(0.5)
            assert statuses == ["successful"] * BATCHES
            with engine.connect() as connection:
                outcomes = connection.execute(sa.select(BatchRecordRow.outcome_code).where(
                    BatchRecordRow.job_id.in_(job_ids))).scalars().all()
                per_family = dict(connection.execute(
                    sa.select(LearnerRow.family_name, sa.func.count())
                    .group_by(LearnerRow.family_name)).all())
                duplicate_ulns = connection.scalar(sa.select(sa.func.count()).select_from(
                    sa.select(LearnerRow.uln).group_by(LearnerRow.uln)
                    .having(sa.func.count() > 1).subquery()))
            engine.dispose()
            assert outcomes == ["WSRC0005"] * (BATCHES * BATCH_SIZE)
            assert per_family["Single"] == REGISTRATIONS
            assert per_family["Raced"] == RACED
            assert per_family["Batched"] == BATCHES * BATCH_SIZE
            assert duplicate_ulns == 0
        finally:
            for worker in workers:
                worker.terminate()
            for worker in workers:
                worker.wait(timeout=60)
