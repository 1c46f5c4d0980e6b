"""The request journal as the rest of the house reads it: what was called, by whom, with what
answer. Faces record into it (lrs_soap.observability); the CLI, the admin API and the portal
read it through ``find_calls`` and ``count_calls`` below.

Entries carry no secrets: passwords are redacted before anything is stored
(lrs_soap.soap.journal_reading holds that one rule).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from lrs_soap.service.context import ServiceContext


class JournalOff(RuntimeError):
    """The journal is switched off (LRS_JOURNAL=off): an empty answer would be a lie."""

    def __init__(self) -> None:
        super().__init__("the request journal is off (set LRS_JOURNAL=metadata or full)")


@dataclass(frozen=True)
class JournalEntry:
    id: int  # increases with every call recorded, across all processes
    at: dt.datetime  # when the request arrived (UTC, wall clock)
    request_id: str
    face: str  # "native" or "mirror"
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

    def counts(self, *, since: dt.datetime,
               organisation: str | tuple[str, ...] | None) -> list[CallCount]: ...

    def prune(self, *, keep_rows: int, older_than: dt.datetime) -> int: ...


def find_calls(ctx: ServiceContext, query: JournalQuery = JournalQuery()) -> list[JournalEntry]:
    """The newest ``query.limit`` calls matching ``query``, oldest first (the order they came).

    Raises JournalOff when nothing is being recorded.
    """
    if ctx.journal is None:
        raise JournalOff()
    return ctx.journal.search(query)


def count_calls(ctx: ServiceContext, *, since: dt.datetime,
                organisation: str | tuple[str, ...] | None = None) -> list[CallCount]:
    """Calls since ``since`` (of one organisation, by its UKPRN and/or OrganisationRef as the
    callers sent them, if given),
    counted by operation and code, largest first. Raises JournalOff when it is off."""
    if ctx.journal is None:
        raise JournalOff()
    return ctx.journal.counts(since=since, organisation=organisation)
