"""Wires observability around the gateway: which paths are SOAP faces, how their envelopes
are read and redacted (soap), where the journal is kept (store), what is counted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import partial

from sqlalchemy import Engine

from lrs_soap.bootstrap import Runtime
from lrs_soap.config import Settings
from lrs_soap.observability import metrics, tracing
from lrs_soap.observability.http import ObservedGateway, WsgiApp
from lrs_soap.observability.journal import JournalMode, JournalRecorder, Retention
from lrs_soap.portal.app import PORTAL_PATH
from lrs_soap.soap import contract
from lrs_soap.soap.intake import Intake
from lrs_soap.soap.journal_reading import EnvelopeReader
from lrs_soap.store.queue_stats import queue_figures
from lrs_soap.store.tracing import trace_statements


def retention(settings: Settings) -> Retention:
    return Retention(max_rows=settings.journal_max_rows,
                     max_age=dt.timedelta(hours=settings.journal_max_age_hours))


def observed(gateway: WsgiApp, intakes: Mapping[str, Intake], runtime: Runtime,
             settings: Settings) -> ObservedGateway:
    """``gateway`` (the WSGI app serving ``intakes``, the SOAP endpoints by path, on
    ``runtime``) with its calls journalled, counted and traced as ``settings`` say."""
    faces = {path: "native" if path == contract.NATIVE_PATH else "mirror" for path in intakes}
    recorder = JournalRecorder(
        runtime.services.journal, JournalMode(settings.journal),
        EnvelopeReader.for_gateway(intakes), retention(settings),
        settings.journal_max_envelope_bytes)
    if recorder.mode is not JournalMode.OFF:
        recorder.prune(dt.datetime.now(dt.UTC))
    metrics.worker_started("web")
    if settings.tracing != "off":
        tracing.configure(settings.tracing)
        trace_statements(runtime.engine)
    return ObservedGateway(gateway, faces, recorder, observers=[metrics.observe_call],
                           routes={"/metrics": metrics.MetricsEndpoint(
                               partial(queue_snapshot, runtime.engine))},
                           forms=PORTAL_PATH)


def queue_snapshot(engine: Engine) -> metrics.QueueSnapshot:
    figures = queue_figures(engine)
    oldest = figures.oldest_open_submitted_at
    return metrics.QueueSnapshot(
        waiting=figures.open_by_status.get("waiting", 0),
        in_progress=figures.open_by_status.get("in_progress", 0),
        oldest_open_age_seconds=(dt.datetime.now(dt.UTC) - oldest).total_seconds()
        if oldest else 0.0,
        records_processed=figures.processed_by_kind)
