"""The admin HTTP API (``/admin/...``): harness control over HTTP, JSON in and out.

Off unless LRS_ADMIN_TOKEN is set; every request must carry ``Authorization: Bearer
<token>``, compared in constant time. Routes:

    GET    /admin/state                         clock, batch timing, seed, armed faults
    POST   /admin/reset      {"state": "demo"}, or a fixture's YAML (Content-Type:
                             application/yaml)
    GET    /admin/fixture                       the current state as a fixture (YAML)
    POST   /admin/fixture    YAML body          add a fixture to what is there
    POST   /admin/clock      {"action": "freeze", "at": ISO} | {"action": "move",
                             "seconds": N} | {"action": "run-from", "at": ISO} |
                             {"action": "real"}
    POST   /admin/batches    {"mode": "normal|immediate|hold|delay|fail", "seconds": N}
    GET    /admin/faults                        armed faults
    POST   /admin/faults     {"action": "fault", "code": "WSEC0999", "count": 2,
                              "operation": "FindByULN", "organisation": "10000001"}
    DELETE /admin/faults[/ID]                   clear all faults, or one
    POST   /admin/seed       {"seed": 42} or {"seed": null}
    GET    /admin/journal?operation=&code=&org=&user=&face=&endpoint=&request_id=
                          &since=10m|ISO&until=&after_id=N&limit=N&envelopes=true
                                                the calls received, oldest first (409 when
                                                LRS_JOURNAL=off)
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import logging
from collections.abc import Callable, Iterable
from urllib.parse import parse_qs

from lrs_soap.control.clock import parse_moment
from lrs_soap.control.faults import FaultRuleError
from lrs_soap.control.fixture_file import FixtureError
from lrs_soap.service.journal import JournalOff, entry_json, query_from

log = logging.getLogger(__name__)
PREFIX = "/admin"
MAX_BODY = 16 * 1024 * 1024
StartResponse = Callable[..., object]


class BadRequest(ValueError):
    pass


class AdminApi:
    def __init__(self, control, token: str):
        self.control = control
        self._token = f"Bearer {token}".encode()

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        given = environ.get("HTTP_AUTHORIZATION", "").encode()
        if not hmac.compare_digest(given, self._token):
            return _json(start_response, "401 Unauthorized",
                         {"error": "send Authorization: Bearer <LRS_ADMIN_TOKEN>"},
                         [("WWW-Authenticate", "Bearer")])
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "")[len(PREFIX):].rstrip("/") or "/"
        try:
            return self._route(method, path, environ, start_response)
        except (BadRequest, FixtureError, FaultRuleError, ValueError) as error:
            return _json(start_response, "400 Bad Request", {"error": str(error)})

    def _route(self, method: str, path: str, environ: dict, start_response):
        control = self.control
        if (method, path) == ("GET", "/state"):
            return _json(start_response, "200 OK", control.describe())
        if (method, path) == ("POST", "/reset"):
            body = _body(environ)
            if _is_yaml(environ):
                report = control.reset_text(body.decode("utf-8"))
            else:
                report = control.reset(str(_object(body).get("state", "empty")))
            return _json(start_response, "200 OK", {
                "state": report.state, "rows": report.rows,
                "milliseconds": round(report.seconds * 1000, 1)})
        if (method, path) == ("GET", "/fixture"):
            return _text(start_response, control.export_fixture(), "application/yaml")
        if (method, path) == ("POST", "/fixture"):
            counts = control.load_fixture("request", text=_body(environ).decode("utf-8"))
            return _json(start_response, "200 OK", counts)
        if (method, path) == ("POST", "/clock"):
            return _json(start_response, "200 OK", self._clock(_object(_body(environ))))
        if (method, path) == ("POST", "/batches"):
            request = _object(_body(environ))
            timing = control.set_batch_timing(str(request.get("mode", "normal")),
                                              float(request.get("seconds") or 0))
            return _json(start_response, "200 OK", timing.as_json())
        if (method, path) == ("GET", "/faults"):
            return _json(start_response, "200 OK", [r.as_json() for r in control.faults()])
        if (method, path) == ("POST", "/faults"):
            request = _object(_body(environ))
            rule = control.add_fault(
                action=str(request.get("action", "")), code=_optional(request, "code"),
                delay_ms=request.get("delay_ms"), count=int(request.get("count", 1)),
                operation=_optional(request, "operation"),
                organisation=_optional(request, "organisation"))
            return _json(start_response, "201 Created", rule.as_json())
        if method == "DELETE" and (path == "/faults" or path.startswith("/faults/")):
            fault_id = path.removeprefix("/faults").strip("/")
            if fault_id and not fault_id.isdigit():
                raise BadRequest(f"not a fault id: {fault_id!r}")
            cleared = control.clear_faults(int(fault_id) if fault_id else None)
            return _json(start_response, "200 OK", {"cleared": cleared})
        if (method, path) == ("POST", "/seed"):
            seed = _object(_body(environ)).get("seed")
            if seed is not None and not isinstance(seed, int):
                raise BadRequest("seed must be a whole number or null")
            control.set_seed(seed)
            return _json(start_response, "200 OK", {"seed": seed})
        if (method, path) == ("GET", "/journal"):
            try:
                calls = control.journal(query_from(_query(environ)))
            except JournalOff as error:
                return _json(start_response, "409 Conflict", {"error": str(error)})
            return _json(start_response, "200 OK", [entry_json(call) for call in calls])
        return _json(start_response, "404 Not Found", {"error": f"no route {method} {path}"})

    def _clock(self, request: dict) -> dict:
        action = request.get("action", "show")
        if action == "freeze":
            state = self.control.freeze(parse_moment(request["at"]) if request.get("at")
                                        else None)
        elif action == "move":
            state = self.control.move(dt.timedelta(seconds=float(request.get("seconds", 0))))
        elif action == "run-from":
            state = self.control.run_from(parse_moment(str(request.get("at", ""))))
        elif action == "real":
            state = self.control.real_time()
        elif action == "show":
            state = self.control.clock_state()
        else:
            raise BadRequest("action must be freeze, move, run-from, real or show")
        return {"now": state.now().isoformat(), **state.as_json()}


def _body(environ: dict) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise BadRequest("invalid Content-Length") from None
    if length > MAX_BODY:
        raise BadRequest(f"bodies are limited to {MAX_BODY} bytes")
    return environ["wsgi.input"].read(length) if length else b""


YAML_TYPES = frozenset({"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"})


def _is_yaml(environ: dict) -> bool:
    return environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower() in YAML_TYPES


def _object(body: bytes) -> dict:
    if not body:
        return {}
    try:
        value = json.loads(body)
    except ValueError:
        raise BadRequest("the body is not JSON") from None
    if not isinstance(value, dict):
        raise BadRequest("the body must be a JSON object")
    return value


def _optional(request: dict, key: str) -> str | None:
    value = request.get(key)
    return None if value in (None, "") else str(value)


def _query(environ: dict) -> dict:
    return {key: values[-1] for key, values in parse_qs(environ.get("QUERY_STRING", "")).items()}


def _json(start_response: StartResponse, status: str, payload: object,
          headers: list[tuple[str, str]] | None = None) -> list[bytes]:
    body = json.dumps(payload, default=str).encode()
    start_response(status, [("Content-Type", "application/json"),
                            ("Content-Length", str(len(body))), *(headers or [])])
    return [body]


def _text(start_response: StartResponse, text: str, media_type: str) -> list[bytes]:
    body = text.encode()
    start_response("200 OK", [("Content-Type", f"{media_type}; charset=utf-8"),
                              ("Content-Length", str(len(body)))])
    return [body]
