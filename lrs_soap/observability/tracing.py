"""The OpenTelemetry option (LRS_TRACING, off by default; `pip install 'lrs-soap[tracing]'`).

Each web worker sets up its own tracer provider after the fork (a batch span processor's
thread does not survive one). Spans: the request (``POST /soap/v1`` and so on, with the
operation, code and request id), and inside it parse, validate, authenticate, database
(one per SQL statement) and serialise, marked through lrs_soap.service.tracing.
``otlp`` exports over OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT (default localhost:4318);
``console`` prints each span as JSON on stdout.
"""

from __future__ import annotations

from typing import Any

from lrs_soap.service import tracing

MODES = ("off", "console", "otlp")
INSTALL_HINT = "LRS_TRACING needs the tracing extra: pip install 'lrs-soap[tracing]'"


def provider_for(mode: str) -> Any:
    """A TracerProvider exporting as ``mode`` says (console or otlp)."""
    try:
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter
    except ImportError:
        raise RuntimeError(INSTALL_HINT) from None
    if mode == "otlp":
        try:
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        except ImportError:
            raise RuntimeError(INSTALL_HINT) from None
        exporter = OTLPSpanExporter()
    else:
        exporter = ConsoleSpanExporter()
    provider = TracerProvider(resource=Resource.create({"service.name": "lrs-soap"}))
    provider.add_span_processor(BatchSpanProcessor(exporter))
    return provider


def configure(mode: str) -> Any:
    """Install a tracer for ``mode``; returns its provider (None when off)."""
    if mode == "off":
        tracing.install(None)
        return None
    provider = provider_for(mode)
    tracing.install(provider.get_tracer("lrs_soap"))
    return provider
