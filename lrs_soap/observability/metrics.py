"""Prometheus metrics, served at /metrics.

Under `lrs-soap serve` every process (gunicorn workers, batch workers) writes its samples to
the directory named by PROMETHEUS_MULTIPROC_DIR (lrs_soap.observability.multiprocess sets it
up before any process imports this module) and each scrape adds them up, so any worker
answers for all. Batch queue figures are read from the database at scrape time.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from lrs_soap.domain.codes import ErrorCode
from lrs_soap.service.journal_ports import JournalEntry

# Faults a caller gets for who it is, not what it asked: unknown organisation, wrong
# password, a user or role that may not call.
AUTHENTICATION_FAILURES = frozenset({ErrorCode.UNKNOWN_ORGANISATION.value,
                                     ErrorCode.INCORRECT_PASSWORD.value,
                                     ErrorCode.INSUFFICIENT_ACCESS.value})

REQUESTS = Counter("lrs_soap_requests", "SOAP calls answered",
                   ["face", "operation", "code"])
LATENCY = Histogram("lrs_soap_request_duration_seconds", "Time to answer a SOAP call",
                    ["face", "operation"],
                    buckets=(.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10))
AUTH_FAILURES = Counter("lrs_soap_authentication_failures",
                        "Calls refused for their credentials (WSEC0003, WSEC0005, WSEC0006)",
                        ["face", "code"])
# Labelled, so that a process that never sets them (a web worker, for the heartbeat) adds
# no zero-valued series of its own in multiprocess mode.
WORKER_UP = Gauge("lrs_soap_worker_up", "1 for each live worker process, by kind (web, batch)",
                  ["kind"], multiprocess_mode="liveall")
BATCH_WORKER_HEARTBEAT = Gauge(
    "lrs_soap_batch_worker_heartbeat_timestamp_seconds",
    "When each live batch worker last looked for work (Unix time)", ["worker"],
    multiprocess_mode="liveall")


# Each call's series, by its labels: prometheus_client's labels() checks and stringifies
# its values on every call (a tenth of what observing a call cost); the series it returns
# for the same values is the same object, so it is kept here.
_requests: dict[tuple[str, str, str], Counter] = {}
_latencies: dict[tuple[str, str], Histogram] = {}


def observe_call(entry: JournalEntry) -> None:
    key = (entry.face, entry.operation, entry.code)
    requests = _requests.get(key)
    if requests is None:
        requests = _requests[key] = REQUESTS.labels(*key)
    latency = _latencies.get(key[:2])
    if latency is None:
        latency = _latencies[key[:2]] = LATENCY.labels(*key[:2])
    requests.inc()
    latency.observe(entry.latency_ms / 1000)
    if entry.code in AUTHENTICATION_FAILURES:
        AUTH_FAILURES.labels(entry.face, entry.code).inc()


def worker_started(kind: str) -> None:
    WORKER_UP.labels(kind).set(1)


def batch_worker_heartbeat(worker: str) -> None:
    BATCH_WORKER_HEARTBEAT.labels(worker).set(time.time())


@dataclass(frozen=True)
class QueueSnapshot:
    waiting: int
    in_progress: int
    oldest_open_age_seconds: float  # 0 when no job is open
    records_processed: dict[str, int]  # by job kind, since the database began


class QueueCollector:
    """Batch queue figures, read from the database when scraped."""

    def __init__(self, snapshot: Callable[[], QueueSnapshot]):
        self.snapshot = snapshot

    def collect(self) -> Iterable:
        queue = self.snapshot()
        depth = GaugeMetricFamily("lrs_soap_batch_queue_depth", "Open batch jobs",
                                  labels=["status"])
        depth.add_metric(["waiting"], queue.waiting)
        depth.add_metric(["in_progress"], queue.in_progress)
        yield depth
        yield GaugeMetricFamily("lrs_soap_batch_oldest_open_job_age_seconds",
                                "Age of the oldest waiting or running batch job",
                                value=queue.oldest_open_age_seconds)
        processed = CounterMetricFamily("lrs_soap_batch_records_processed",
                                        "Batch records processed", labels=["kind"])
        for kind, count in sorted(queue.records_processed.items()):
            processed.add_metric([kind], count)
        yield processed


class MetricsEndpoint:
    """The WSGI application answering GET /metrics."""

    def __init__(self, snapshot: Callable[[], QueueSnapshot]):
        self.queue = QueueCollector(snapshot)

    def __call__(self, environ: dict, start_response) -> list[bytes]:
        for attempt in range(3):
            try:
                body = self.exposition()
                break
            except FileNotFoundError:  # a dead worker's files went while we read them
                if attempt == 2:
                    raise
        start_response("200 OK", [("Content-Type", CONTENT_TYPE_LATEST),
                                  ("Content-Length", str(len(body)))])
        return [body]

    def exposition(self) -> bytes:
        registry = CollectorRegistry()
        registry.register(self.queue)
        if "PROMETHEUS_MULTIPROC_DIR" not in os.environ:  # one process: tests, embedding
            return generate_latest(REGISTRY) + generate_latest(registry)
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
