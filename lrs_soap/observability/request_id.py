"""The request id: taken from a sane incoming X-Request-Id or made here, returned in the
response's X-Request-Id header, written on every log line and into the journal."""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar

HEADER = "X-Request-Id"
ENVIRON_KEY = "HTTP_X_REQUEST_ID"
# Up to 64 letters, digits and . _ : - (a UUID, a W3C trace id, a harness's "test-42-call-3"):
# anything else could forge log lines or bloat the journal, so it is replaced.
SANE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")

current: ContextVar[str | None] = ContextVar("lrs_request_id", default=None)


def accept(incoming: str | None) -> str:
    if incoming and SANE.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex
