"""/metrics from a real `lrs-soap serve` with two web workers and a batch worker: every
scrape, whichever worker answers it, adds up all processes; a killed worker's counts stay."""

from __future__ import annotations

import json
import os
import signal
import time

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from lrs_soap.bootstrap import build_runtime
from lrs_soap.config import Settings
from lrs_soap.service.journal import find_calls
from lrs_soap.service.journal_ports import JournalQuery
from tests.e2e.servers import served_gateway
from tests.observability.conftest import SOAP_NS, find_by_uln, mirror_learner_by_uln

pytestmark = pytest.mark.slow

CREDS = ("<v:Credentials><v:UKPRN>10000001</v:UKPRN><v:UserName>demo</v:UserName>"
         "<v:OrgPassword>DemoCollege2026!</v:OrgPassword></v:Credentials>")
RECORD = ("<v:Learner><v:GivenName>Many</v:GivenName><v:FamilyName>People</v:FamilyName>"
          "<v:LastKnownPostCode>LS2 9JT</v:LastKnownPostCode>"
          "<v:DateOfBirth>2001-07-08</v:DateOfBirth><v:Gender>2</v:Gender>"
          "<v:VerificationType>1</v:VerificationType><v:AbilityToShare>1</v:AbilityToShare>"
          "</v:Learner>")
BATCH = (f'<s:Envelope xmlns:s="{SOAP_NS}" xmlns:v="urn:lrs-soap:native:v1"><s:Body>'
         f"<v:SubmitLearnerBatch>{CREDS}<v:JobType>CHK</v:JobType>"
         f"<v:LearnerRecordCount>3</v:LearnerRecordCount>{RECORD * 3}"
         "</v:SubmitLearnerBatch></s:Body></s:Envelope>").encode()
XML = {"Content-Type": "text/xml"}


def scrape(url: str) -> dict[tuple[str, tuple], float]:
    answer = requests.get(url + "/metrics", timeout=10)
    assert answer.status_code == 200, answer.text
    text = answer.text
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples}


def value(samples, name: str, **labels: str) -> float | None:
    return samples.get((name, tuple(sorted(labels.items()))))


def series(samples, name: str) -> dict[tuple, float]:
    return {labels: v for (n, labels), v in samples.items() if n == name}


def web_pids(samples) -> set[str]:
    return {dict(labels)["pid"] for labels in series(samples, "lrs_soap_worker_up")
            if dict(labels)["kind"] == "web"}


def wait_for(check, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.3)


def test_metrics_add_up_across_workers_and_survive_a_killed_worker(fresh_database_url):
    with served_gateway(fresh_database_url, workers=2) as gateway:
        url = gateway.url
        assert wait_for(lambda: series(scrape(url), "lrs_soap_batch_worker_heartbeat"
                                       "_timestamp_seconds"), 60), "no batch worker came up"
        with build_runtime(Settings(database_url=fresh_database_url)) as services:
            for n in range(4):  # each in the journal as soon as its answer is in, whichever
                rid = f"seen{n:028d}"  # worker answered (the same length as generated ids)
                requests.post(url + "/soap/v1", data=find_by_uln(), timeout=10,
                              headers={**XML, "X-Request-Id": rid})
                assert [(c.operation, c.code) for c in find_calls(
                    services, JournalQuery(request_id=rid))] == [("FindByULN", "WSRC0004")]
        for _ in range(2):
            requests.post(url + "/soap/v1", data=find_by_uln(password="WrongPassword123"),
                          headers=XML, timeout=10)
        requests.post(url + "/LearnerService.svc", data=mirror_learner_by_uln(), headers=XML,
                      timeout=10)
        submitted = requests.post(url + "/soap/v1", data=BATCH, headers=XML, timeout=10)
        assert "WSRC0007" in submitted.text

        for samples in [scrape(url) for _ in range(4)]:  # both workers answer in turn
            assert value(samples, "lrs_soap_requests_total", face="native",
                         operation="FindByULN", code="WSRC0004") == 4
            assert value(samples, "lrs_soap_requests_total", face="native",
                         operation="FindByULN", code="WSEC0005") == 2
            assert value(samples, "lrs_soap_requests_total", face="mirror",
                         operation="learnerByULN", code="WSRC0004") == 1
            assert value(samples, "lrs_soap_authentication_failures_total", face="native",
                         code="WSEC0005") == 2
            assert value(samples, "lrs_soap_request_duration_seconds_count", face="native",
                         operation="FindByULN") == 6
            up = series(samples, "lrs_soap_worker_up")
            assert sorted(dict(labels)["kind"] for labels in up) == ["batch", "web", "web"]
            beats = series(samples, "lrs_soap_batch_worker_heartbeat_timestamp_seconds")
            assert len(beats) == 1 and time.time() - next(iter(beats.values())) < 10

        processed = wait_for(lambda: value(scrape(url), "lrs_soap_batch_records_processed_total",
                                           kind="learner_registration") == 3)
        assert processed, "the batch's three records were never counted"
        samples = scrape(url)
        assert value(samples, "lrs_soap_batch_queue_depth", status="waiting") == 0
        assert value(samples, "lrs_soap_batch_oldest_open_job_age_seconds") == 0

        # Kill one web worker outright: gunicorn replaces it, its counts are kept, and
        # the dead process is no longer reported as up.
        pids = web_pids(samples)
        victim = sorted(pids)[0]
        os.kill(int(victim), signal.SIGKILL)

        def replaced():
            # a fresh worker reports "up" once it has built its app
            requests.get(url + "/healthz", timeout=10)
            now = web_pids(scrape(url))
            return now if victim not in now and len(now) == 2 else None

        assert wait_for(replaced), "the killed worker was still reported up"
        samples = scrape(url)
        assert value(samples, "lrs_soap_requests_total", face="native",
                     operation="FindByULN", code="WSRC0004") == 4

        # The server's own log, gunicorn's lines included: one JSON object a line.
        gateway.process.send_signal(signal.SIGTERM)
        assert gateway.process.wait(timeout=40) == 0
        log = gateway.output().split("lrs-soap serving", 1)[1].splitlines()[1:]
    events = [json.loads(line) for line in log if line.strip()]
    assert {"gunicorn.error", "lrs_soap.calls", "lrs_soap.entrypoints.worker"} <= {
        e["logger"] for e in events}
    calls = [e for e in events if e["logger"] == "lrs_soap.calls"]
    assert len(calls) == 8 and all(len(e["request_id"]) == 32 for e in calls)
