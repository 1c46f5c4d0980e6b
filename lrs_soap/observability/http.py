"""The WSGI layer around the gateway: a request id for every request, and for each SOAP
call a journal entry, metrics and one log line. /metrics is answered here."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterable

from lrs_soap.observability import request_id
from lrs_soap.observability.journal import Call, JournalMode, JournalRecorder
from lrs_soap.service import tracing
from lrs_soap.service.journal import JournalEntry

log = logging.getLogger("lrs_soap.calls")

StartResponse = Callable[..., object]
WsgiApp = Callable[[dict, StartResponse], Iterable[bytes]]
CallObserver = Callable[[JournalEntry], None]


class RecordingInput:
    """wsgi.input that keeps a copy of what the face read (the request envelope)."""

    def __init__(self, stream):
        self._stream = stream
        self.chunks: list[bytes] = []

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self.chunks.append(data)
        return data

    def body(self) -> bytes:
        return b"".join(self.chunks)


class ObservedGateway:
    """Wraps the gateway's WSGI application. ``faces`` maps each SOAP endpoint's path to its
    face, "native" or "mirror"; paths match in any case, as the gateway's routes do."""

    def __init__(self, app: WsgiApp, faces: dict[str, str], recorder: JournalRecorder,
                 observers: Iterable[CallObserver] = (),
                 routes: dict[str, WsgiApp] | None = None):
        self.app, self.recorder = app, recorder
        # lower-cased path -> (face, the endpoint's own spelling of its path)
        self.faces = {path.lower(): (face, path) for path, face in faces.items()}
        self.observers = list(observers)
        self.routes = routes or {}  # extra GET paths answered here (/metrics)

    @property
    def runtime(self):
        """The wrapped gateway's runtime (services, control), for code that embeds it."""
        return self.app.runtime

    def close(self) -> None:
        close = getattr(self.app, "close", None)
        if close is not None:
            close()

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        rid = request_id.accept(environ.get(request_id.ENVIRON_KEY))
        token = request_id.current.set(rid)
        try:
            return self._answer(environ, _with_request_id(start_response, rid), rid)
        finally:
            request_id.current.reset(token)

    def _answer(self, environ: dict, start_response, rid: str) -> Iterable[bytes]:
        path = (environ.get("PATH_INFO") or "/").rstrip("/") or "/"
        soap = self.faces.get(path.lower()) if environ.get("REQUEST_METHOD") == "POST" else None
        if soap is None:
            route = self.routes.get(path)
            return (route or self.app)(environ, start_response)
        face, endpoint = soap
        at, started = dt.datetime.now(dt.UTC), time.perf_counter()
        recording = environ["wsgi.input"] = RecordingInput(environ["wsgi.input"])
        status: list[str] = []

        def remember_status(status_line: str, headers, exc_info=None):
            status.append(status_line)
            return start_response(status_line, headers, exc_info)

        with tracing.span(f"POST {endpoint}") as span:
            answer = self.app(environ, remember_status)
            try:
                body = b"".join(answer)
            finally:
                close = getattr(answer, "close", None)
                if close is not None:
                    close()
            call = Call(at=at, request_id=rid, face=face, endpoint=endpoint,
                        request=recording.body(), response=body,
                        http_status=int(status[0].split()[0]) if status else 500,
                        latency_ms=(time.perf_counter() - started) * 1000)
            entry = self._observe(call)
            for key, value in (("lrs.operation", entry.operation), ("lrs.code", entry.code),
                               ("lrs.request_id", rid)):
                span.set_attribute(key, value)
        return [body]

    def _observe(self, call: Call) -> JournalEntry:
        entry = self.recorder.entry(call)
        if self.recorder.mode is not JournalMode.OFF:
            self.recorder.record(entry)
        for observer in self.observers:
            observer(entry)
        # No personal data at INFO: operation, answer and organisation only (no user, ULN).
        log.info("%s %s answered %s in %.1f ms", entry.face, entry.operation, entry.code,
                 entry.latency_ms, extra={
                     "event": "soap_call", "face": entry.face, "endpoint": entry.endpoint,
                     "operation": entry.operation, "code": entry.code,
                     "http_status": entry.http_status, "latency_ms": entry.latency_ms,
                     "organisation": entry.organisation})
        return entry


def _with_request_id(start_response: StartResponse, rid: str) -> StartResponse:
    def start(status: str, headers, exc_info=None):
        return start_response(status, [*headers, (request_id.HEADER, rid)], exc_info)

    return start
