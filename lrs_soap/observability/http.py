"""The WSGI layer around the gateway: a request id for every request, and for each SOAP
call a journal entry, metrics and one log line; for each form post under ``forms`` (the
portal) a journal entry and a log line. /metrics is answered here."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterable

from lrs_soap.observability import request_id
from lrs_soap.observability.journal import Call, JournalMode, JournalRecorder
from lrs_soap.service import tracing
from lrs_soap.service.journal import (
    CALLER_ENVIRON_KEY,
    PORTAL_FACE,
    SEEN_ENVIRON_KEY,
)
from lrs_soap.service.journal_ports import JournalEntry

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
                 routes: dict[str, WsgiApp] | None = None, forms: str | None = None):
        self.app, self.recorder = app, recorder
        self.forms = forms  # the path prefix whose POSTs are journalled as form posts
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
        post = environ.get("REQUEST_METHOD") == "POST"
        soap = self.faces.get(path.lower()) if post else None
        if soap is not None:
            return self._soap_call(environ, start_response, rid, *soap)
        if post and self._is_form(path) and self.recorder.mode is not JournalMode.OFF:
            return self._form_post(environ, start_response, rid, path)
        route = self.routes.get(path)
        return (route or self.app)(environ, start_response)

    def _is_form(self, path: str) -> bool:
        return self.forms is not None and (path == self.forms
                                           or path.startswith(self.forms + "/"))

    def _soap_call(self, environ: dict, start_response, rid: str, face: str,
                   endpoint: str) -> Iterable[bytes]:
        with tracing.span(f"POST {endpoint}") as span:
            call = self._called(environ, start_response, rid, face, endpoint, recorded=True)
            entry = self._observe(call)
            for key, value in (("lrs.operation", entry.operation), ("lrs.code", entry.code),
                               ("lrs.request_id", rid)):
                span.set_attribute(key, value)
        return [call.response]

    def _form_post(self, environ: dict, start_response, rid: str,
                   path: str) -> Iterable[bytes]:
        # The form itself is needed only to store it (full mode): uploads stay unread here.
        call = self._called(environ, start_response, rid, PORTAL_FACE, path,
                            recorded=self.recorder.mode is JournalMode.FULL)
        entry = self.recorder.form_entry(call, environ.get(CALLER_ENVIRON_KEY))
        self.recorder.record(entry)
        self._log(entry)  # not counted in the metrics of SOAP calls
        return [call.response]

    def _called(self, environ: dict, start_response, rid: str, face: str, endpoint: str, *,
                recorded: bool) -> Call:
        """Call the gateway, keeping the request body (when ``recorded``) and the answer."""
        at, started = dt.datetime.now(dt.UTC), time.perf_counter()
        recording = None
        seen: dict = {}
        if recorded:
            recording = environ["wsgi.input"] = RecordingInput(environ["wsgi.input"])
            environ[SEEN_ENVIRON_KEY] = seen
        status: list[str] = []

        def remember_status(status_line: str, headers, exc_info=None):
            status.append(status_line)
            return start_response(status_line, headers, exc_info)

        answer = self.app(environ, remember_status)
        try:
            body = b"".join(answer)
        finally:
            close = getattr(answer, "close", None)
            if close is not None:
                close()
        return Call(at=at, request_id=rid, face=face, endpoint=endpoint,
                    request=recording.body() if recording else b"", response=body,
                    http_status=int(status[0].split()[0]) if status else 500,
                    latency_ms=(time.perf_counter() - started) * 1000,
                    content_type=environ.get("CONTENT_TYPE", ""), seen=seen)

    def _observe(self, call: Call) -> JournalEntry:
        entry = self.recorder.entry(call)
        if self.recorder.mode is not JournalMode.OFF:
            self.recorder.record(entry)
        for observer in self.observers:
            observer(entry)
        self._log(entry)
        return entry

    @staticmethod
    def _log(entry: JournalEntry) -> None:
        # No personal data at INFO: operation, answer and organisation only (no user, ULN).
        log.info("%s %s answered %s in %.1f ms", entry.face, entry.operation, entry.code,
                 entry.latency_ms, extra={
                     "event": "soap_call", "face": entry.face, "endpoint": entry.endpoint,
                     "operation": entry.operation, "code": entry.code,
                     "http_status": entry.http_status, "latency_ms": entry.latency_ms,
                     "organisation": entry.organisation})


def _with_request_id(start_response: StartResponse, rid: str) -> StartResponse:
    def start(status: str, headers, exc_info=None):
        return start_response(status, [*headers, (request_id.HEADER, rid)], exc_info)

    return start
