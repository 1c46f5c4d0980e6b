"""What the request journal holds and the port its store implements (lrs_soap.store.journal):
an entry, a search, a count. The use cases that read it are in lrs_soap.service.journal."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class JournalEntry:
    id: int  # increases with every call recorded, across all processes
    at: dt.datetime  # when the request arrived (UTC, wall clock)
    request_id: str
    face: str  # "native" or "mirror" (SOAP_FACES), or "portal" (a form post)
    endpoint: str  # the URL path: /soap/v1, /LearnerService.svc, ...
    operation: str  # the WSDL operation name, or "?" when the request named none we know
    organisation: str | None  # UKPRN or OrganisationRef as sent
    user_name: str | None
    code: str  # response code (WSRC…/WSVRC…), fault code (WSEC…), or "HTTP 415" and the like
    http_status: int
    latency_ms: float
    request_envelope: bytes | None = None  # only with LRS_JOURNAL=full, secrets redacted
    response_envelope: bytes | None = None


@dataclass(frozen=True)
class JournalQuery:
    """Every field narrows the search; None means "any"."""

    operation: str | None = None
    code: str | None = None
    organisation: str | tuple[str, ...] | None = None  # UKPRN or OrganisationRef (any of)
    user_name: str | None = None
    face: str | None = None
    endpoint: str | None = None
    request_id: str | None = None
    since: dt.datetime | None = None  # at >= since
    until: dt.datetime | None = None  # at < until
    after_id: int | None = None  # id > after_id: "the calls since I last looked"
    limit: int = 1000  # the newest ``limit`` matches...
    envelopes: bool = False  # ...with their envelopes (when stored)


@dataclass(frozen=True)
class CallCount:
    operation: str
    code: str
    calls: int


class JournalStore(Protocol):
    def append(self, entry: JournalEntry) -> None: ...

    def search(self, query: JournalQuery) -> list[JournalEntry]: ...

    def counts(self, *, since: dt.datetime, organisation: str | tuple[str, ...] | None,
               faces: tuple[str, ...] | None = None) -> list[CallCount]: ...

    def prune(self, *, keep_rows: int, older_than: dt.datetime) -> int: ...
