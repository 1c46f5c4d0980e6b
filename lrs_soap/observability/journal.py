"""Recording calls into the request journal: off, metadata only, or full envelopes; SOAP
calls, and the portal's form posts.

A harness that asks the journal right after its call finds it, from any process: the store
writes entries in batches, and every read waits for what was queued before it
(store/journal.py). Retention: every process prunes now and then (PRUNE_EVERY of its
own appends, and once at start), so the table may briefly hold somewhat more than the limit.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol
from urllib.parse import parse_qsl, urlencode

from lrs_soap.service.journal import REDACTED, SECRET_NAME, masked
from lrs_soap.service.journal_ports import JournalEntry, JournalStore

log = logging.getLogger(__name__)


class JournalMode(StrEnum):
    OFF = "off"
    METADATA = "metadata"
    FULL = "full"


class EnvelopeReader(Protocol):
    """Reads calls for the journal (lrs_soap.soap.journal_reading.EnvelopeReader)."""

    def request(self, path: str, body: bytes, seen: dict | None = None
                ) -> tuple[str, str | None, str | None]: ...

    def code(self, body: bytes, http_status: int, seen: dict | None = None) -> str: ...

    def redacted(self, request: bytes, response: bytes) -> tuple[bytes, bytes]: ...


@dataclass(frozen=True)
class Retention:
    max_rows: int
    max_age: dt.timedelta

    @property
    def prune_every(self) -> int:
        return max(1, min(1000, self.max_rows // 10))


@dataclass(frozen=True)
class Call:
    """One SOAP call as the HTTP layer saw it."""

    at: dt.datetime
    request_id: str
    face: str
    endpoint: str
    request: bytes
    response: bytes
    http_status: int
    latency_ms: float
    content_type: str = ""
    # What the face left under service.journal.SEEN_ENVIRON_KEY (its parsed trees), so
    # the reader need not parse the envelopes again; empty when it left nothing.
    seen: dict | None = None


FORM = "application/x-www-form-urlencoded"


def redacted_form(call: Call) -> tuple[bytes, set[str]]:
    """A form post's body with every secret field blanked (and the secrets, to mask them in
    the answer). Only url-encoded forms are kept: an upload's file is not stored."""
    if call.content_type.split(";")[0].strip().lower() != FORM:
        return f"(not stored: a {call.content_type or 'body'} of {len(call.request)} " \
               "bytes)".encode(), set()
    fields = parse_qsl(call.request.decode("utf-8", errors="replace"), keep_blank_values=True)
    secrets = {value for name, value in fields if SECRET_NAME.search(name)}
    return urlencode([(name, REDACTED if SECRET_NAME.search(name) else value)
                      for name, value in fields]).encode(), secrets


class JournalRecorder:
    def __init__(self, store: JournalStore | None, mode: JournalMode, reader: EnvelopeReader,
                 retention: Retention, max_envelope_bytes: int):
        self.store, self.mode, self.reader = store, mode, reader
        self.retention = retention
        self.max_envelope_bytes = max_envelope_bytes
        self._appended = 0

    def entry(self, call: Call) -> JournalEntry:
        """The journal entry for a call: facts read from its envelopes, secrets redacted."""
        operation, organisation, user = self.reader.request(call.endpoint, call.request,
                                                            call.seen)
        request = response = None
        if self.mode is JournalMode.FULL:
            request, response = self.reader.redacted(call.request, call.response)
            request, response = self._bounded(request), self._bounded(response)
        return JournalEntry(
            id=0, at=call.at, request_id=call.request_id, face=call.face,
            endpoint=call.endpoint, operation=operation, organisation=organisation,
            user_name=user, code=self.reader.code(call.response, call.http_status, call.seen),
            http_status=call.http_status, latency_ms=round(call.latency_ms, 3),
            request_envelope=request, response_envelope=response)

    def form_entry(self, call: Call, caller: tuple[str, str | None, str | None] | None
                   ) -> JournalEntry:
        """The entry for a form post (the portal): who, as the face said, and the HTTP
        status as its code; in full mode the form with its secrets blanked, and the page."""
        operation, organisation, user = caller or ("?", None, None)
        request = response = None
        if self.mode is JournalMode.FULL:
            request, secrets = redacted_form(call)
            request = self._bounded(request)
            response = self._bounded(masked(call.response, secrets))
        return JournalEntry(
            id=0, at=call.at, request_id=call.request_id, face=call.face,
            endpoint=call.endpoint, operation=operation, organisation=organisation,
            user_name=user, code=f"HTTP {call.http_status}", http_status=call.http_status,
            latency_ms=round(call.latency_ms, 3), request_envelope=request,
            response_envelope=response)

    def record(self, entry: JournalEntry) -> None:
        """Store the entry; a journal failure never fails the call it describes."""
        if self.store is None:
            return
        try:
            self.store.append(entry)
            self._appended += 1
            if self._appended % self.retention.prune_every == 0:
                self.prune(entry.at)
        except Exception as error:
            log.warning("request journal: could not record a call (%s)", type(error).__name__)

    def prune(self, now: dt.datetime) -> int:
        if self.store is None:
            return 0
        return self.store.prune(keep_rows=self.retention.max_rows,
                                older_than=now - self.retention.max_age)

    def _bounded(self, envelope: bytes) -> bytes:
        if len(envelope) <= self.max_envelope_bytes:
            return envelope
        return f"(not stored: {len(envelope)} bytes, over LRS_JOURNAL_MAX_ENVELOPE_BYTES)".encode()
