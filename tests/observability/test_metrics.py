"""/metrics in one process (the multi-worker case: test_metrics_serve.py): each SOAP call
counted by face, operation and code, its latency observed, authentication failures apart."""

from __future__ import annotations

import requests
from prometheus_client.parser import text_string_to_metric_families

from tests.observability.conftest import find_by_uln, mirror_learner_by_uln, serving


def scrape(url: str) -> dict[tuple[str, tuple], float]:
    answer = requests.get(url + "/metrics", timeout=10)
    assert answer.headers["Content-Type"].startswith("text/plain; version=")
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(answer.text) for s in family.samples}


def count(samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_calls_are_counted_by_face_operation_and_code(demo_url):
    with serving(demo_url) as gateway:
        before = scrape(gateway.url)
        gateway.post("/soap/v1", find_by_uln())
        gateway.post("/soap/v1", find_by_uln(password="WrongPassword123"))
        gateway.post("/LearnerService.svc", mirror_learner_by_uln(password="WrongPassword123"))
        gateway.post("/soap/v1", b"<nonsense/>", **{"Content-Type": "application/json"})
        after = scrape(gateway.url)

    def delta(name: str, **labels: str) -> float:
        return count(after, name, **labels) - count(before, name, **labels)

    assert delta("lrs_soap_requests_total", face="native", operation="FindByULN",
                 code="WSRC0004") == 1
    assert delta("lrs_soap_requests_total", face="native", operation="FindByULN",
                 code="WSEC0005") == 1
    assert delta("lrs_soap_requests_total", face="mirror", operation="learnerByULN",
                 code="WSEC0005") == 1
    assert delta("lrs_soap_requests_total", face="native", operation="?", code="HTTP 415") == 1
    assert delta("lrs_soap_authentication_failures_total", face="native", code="WSEC0005") == 1
    assert delta("lrs_soap_authentication_failures_total", face="mirror", code="WSEC0005") == 1
    assert delta("lrs_soap_request_duration_seconds_count", face="native",
                 operation="FindByULN") == 2
    assert count(after, "lrs_soap_batch_queue_depth", status="waiting") == 0
    assert count(after, "lrs_soap_worker_up", kind="web") == 1
