"""The OpenTelemetry option, checked with the SDK's in-memory exporter: one trace per call,
with spans for parse, validate, authenticate, database and serialise under the request."""

from __future__ import annotations

import pytest

pytest.importorskip("opentelemetry.sdk")

from opentelemetry.sdk.trace import TracerProvider  # noqa: E402
from opentelemetry.sdk.trace.export import SimpleSpanProcessor  # noqa: E402
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (  # noqa: E402
    InMemorySpanExporter,
)

from lrs_soap.observability import tracing as tracing_option  # noqa: E402
from lrs_soap.service import tracing  # noqa: E402
from lrs_soap.store.tracing import trace_statements  # noqa: E402
from tests.observability.conftest import (  # noqa: E402
    find_by_uln,
    mirror_learner_by_uln,
    serving,
)

STAGES = {"parse", "validate", "authenticate", "database", "serialise"}


@pytest.fixture
def exported():
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracing.install(provider.get_tracer("test"))
    yield exporter
    tracing.install(None)
    provider.shutdown()


def one_trace(spans, request_id: str):
    [root] = [s for s in spans if s.attributes.get("lrs.request_id") == request_id]
    mine = [s for s in spans if s.context.trace_id == root.context.trace_id]
    by_id = {s.context.span_id: s for s in mine}
    for span in mine:  # every span hangs from the request's span
        node = span
        while node.parent is not None:
            node = by_id[node.parent.span_id]
        assert node is root
    return root, mine


@pytest.mark.parametrize("path, body, operation", [
    ("/soap/v1", find_by_uln(), "FindByULN"),
    ("/LearnerService.svc", mirror_learner_by_uln(), "learnerByULN"),
])
def test_a_call_is_one_trace_with_a_span_for_each_stage(demo_url, exported, path, body,
                                                         operation):
    with serving(demo_url) as gateway:
        trace_statements(gateway.app.runtime.engine)
        answer = gateway.post(path, body)
    root, spans = one_trace(exported.get_finished_spans(), answer.headers["X-Request-Id"])
    assert root.name == f"POST {path}"
    assert (root.attributes["lrs.operation"], root.attributes["lrs.code"]) == (
        operation, "WSRC0004")
    assert {s.name for s in spans} >= STAGES
    statements = [s.attributes["db.statement"] for s in spans if s.name == "database"]
    assert statements and not any("1026893096" in text or "Sam" in text
                                  for text in statements)  # placeholders, never values


def test_off_records_nothing(demo_url):
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    assert tracing_option.configure("off") is None
    with serving(demo_url) as gateway:
        assert gateway.post("/soap/v1", find_by_uln()).status_code == 200
    assert exporter.get_finished_spans() == ()
    assert tracing.span("parse") is tracing.NO_SPAN


def test_console_mode_builds_a_provider():
    provider = tracing_option.configure("console")
    try:
        assert provider is not None and tracing._tracer is not None
    finally:
        tracing_option.configure("off")
        provider.shutdown()
