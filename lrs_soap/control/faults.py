"""Injected faults: the next N SOAP calls (of an operation, an organisation, or any) answer
an LRS fault, an HTTP error, late, or not at all.

Rules live in the database (store.control), so every worker process applies them and each
use is taken atomically: a rule for 3 calls answers exactly 3, however the calls are spread
over processes. The gate runs only when control is on and some rule is armed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import socket
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from lrs_soap.domain.codes import ErrorCode

ACTIONS = ("fault", "http", "delay", "drop")
HTTP_STATUSES = {500: "500 Internal Server Error", 502: "502 Bad Gateway",
                 503: "503 Service Unavailable", 504: "504 Gateway Timeout"}
MAX_DELAY_MS = 120_000
_OPERATION = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,99}")


class FaultRuleError(ValueError):
    """A fault rule that cannot be armed; the message says why."""


@dataclass(frozen=True)
class FaultRule:
    id: int
    action: str
    remaining: int
    operation: str | None = None
    organisation: str | None = None
    code: str | None = None
    delay_ms: int | None = None

    def matches(self, operations: Iterable[str], organisations: Iterable[str]) -> bool:
        """``operations``: the call's names in lower case (operation and request element)."""
        if self.operation and self.operation.lower() not in operations:
            return False
        return not self.organisation or self.organisation in organisations

    def describe(self) -> str:
        what = {"fault": f"fault {self.code}", "http": f"HTTP {self.code}",
                "delay": f"delay {self.delay_ms} ms", "drop": "dropped connection"}[self.action]
        return (f"#{self.id}: the next {self.remaining} call(s) of "
                f"{self.operation or 'any operation'} by {self.organisation or 'anyone'}: "
                f"{what}")

    def as_json(self) -> dict:
        return {"id": self.id, "action": self.action, "remaining": self.remaining,
                "operation": self.operation, "organisation": self.organisation,
                "code": self.code, "delay_ms": self.delay_ms}


def checked(*, action: str, code: str | None = None, delay_ms: int | None = None,
            count: int = 1, operation: str | None = None,
            organisation: str | None = None) -> dict:
    """The columns of a new rule, or FaultRuleError."""
    if action not in ACTIONS:
        raise FaultRuleError(f"action must be one of {', '.join(ACTIONS)}, not {action!r}")
    if not 1 <= count <= 1_000_000:
        raise FaultRuleError("count must be from 1 to 1000000")
    if operation is not None and not _OPERATION.fullmatch(operation):
        raise FaultRuleError(f"not an operation name: {operation!r}")
    if organisation is not None and not (organisation.isalnum() and len(organisation) <= 20):
        raise FaultRuleError(f"not a UKPRN or OrganisationRef: {organisation!r}")
    if action == "fault":
        codes = {c.value for c in ErrorCode}
        if code not in codes:
            raise FaultRuleError(f"fault needs an LRS error code (e.g. WSEC0999, WSEC0004), "
                                 f"not {code!r}")
    elif action == "http":
        if not (code and code.isdigit() and int(code) in HTTP_STATUSES):
            raise FaultRuleError(f"http needs a status: {', '.join(map(str, HTTP_STATUSES))}")
    else:
        code = None
    if action == "delay":
        if delay_ms is None or not 0 < delay_ms <= MAX_DELAY_MS:
            raise FaultRuleError(f"delay needs delay_ms from 1 to {MAX_DELAY_MS}")
    else:
        delay_ms = None
    return {"action": action, "code": code, "delay_ms": delay_ms, "count": count,
            "operation": operation, "organisation": organisation}


# body -> (the call's names in lower case: operation and request element; organisations)
Peek = Callable[[bytes], tuple[frozenset[str], frozenset[str]]]
FaultWriter = Callable[[str, ErrorCode, dt.datetime], tuple[str, bytes]]


class FaultGate:
    """WSGI-level: decides whether this SOAP call gets an injected fault, and gives it."""

    def __init__(self, control, peek: Peek, write_fault: FaultWriter):
        self.control, self.peek, self.write_fault = control, peek, write_fault

    def intercept(self, path: str, body: bytes, environ: dict, start_response):
        """A response for an injected fault, or None to let the call through."""
        operations, organisations = self.peek(body)
        for rule in self.control.armed_faults:
            if rule.matches(operations, organisations) and self.control.store.consume_fault(
                    rule.id):
                return self._apply(rule, path, environ, start_response)
        return None

    def _apply(self, rule: FaultRule, path: str, environ: dict, start_response):
        if rule.action == "delay":
            time.sleep(rule.delay_ms / 1000)
            return None
        if rule.action == "drop":
            connection = environ.get("gunicorn.socket") or environ.get("lrs_soap.socket")
            if connection is not None:
                with contextlib.suppress(OSError):  # the client may be gone already
                    connection.shutdown(socket.SHUT_RDWR)
            start_response("500 Internal Server Error", [("Content-Length", "0")])
            return []
        if rule.action == "http":
            text = b"injected by lrs-soap harness control\n"
            start_response(HTTP_STATUSES[int(rule.code)],
                           [("Content-Type", "text/plain; charset=utf-8"),
                            ("Content-Length", str(len(text)))])
            return [text]
        status, envelope = self.write_fault(path, ErrorCode(rule.code), self.control.clock())
        start_response(status, [("Content-Type", "text/xml; charset=utf-8"),
                                ("Content-Length", str(len(envelope)))])
        return [envelope]
