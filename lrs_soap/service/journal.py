"""The request journal as the rest of the house reads it: what was called, by whom, with what
answer. Faces record into it (lrs_soap.observability); the CLI, the admin API and the portal
read it through ``find_calls`` and ``count_calls`` below.

Entries carry no secrets: passwords are redacted before anything is stored
(lrs_soap.soap.journal_reading holds that one rule).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping

from lrs_soap.service.context import ServiceContext
from lrs_soap.service.journal_ports import CallCount, JournalEntry, JournalQuery

# The one redaction rule: an element, attribute or form field whose name ends so holds a
# secret; its value is blanked before anything is stored, and masked wherever it is echoed.
SECRET_NAME = re.compile(r"(password|secret|token)$", re.IGNORECASE)
REDACTED = "***"
# Values shorter than this are not hunted through the response: they cannot be real
# passwords (those are 16 characters) and masking them would shred the stored answer.
MIN_MASKED_VALUE = 4
# A face that is not SOAP (the portal) names who made a call by leaving (operation,
# organisation, user name) in the WSGI environ under this key, for the journal to read.
CALLER_ENVIRON_KEY = "lrs_soap.journal.caller"
# A dict the observability layer puts in the environ of a SOAP call it journals; the intake
# leaves in it the trees it already built ("envelope": the request's, "answer": the
# answer's element), so the journal reads its facts from them instead of parsing again.
SEEN_ENVIRON_KEY = "lrs_soap.journal.seen"
# The faces a call is recorded under: the two SOAP faces, and the portal's form posts.
SOAP_FACES = ("native", "mirror")
PORTAL_FACE = "portal"


def masked(text: bytes, secrets: set[str]) -> bytes:
    """``text`` with every secret value (plain or XML-escaped) replaced by REDACTED."""
    for secret in sorted(secrets, key=len, reverse=True):
        if len(secret) < MIN_MASKED_VALUE:
            continue
        escaped = (secret.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                   .replace('"', "&quot;").replace("'", "&apos;"))
        for form in {secret, escaped}:
            text = text.replace(form.encode("utf-8"), REDACTED.encode())
    return text


class JournalOff(RuntimeError):
    """The journal is switched off (LRS_JOURNAL=off): an empty answer would be a lie."""

    def __init__(self) -> None:
        super().__init__("the request journal is off (set LRS_JOURNAL=metadata or full)")


def find_calls(ctx: ServiceContext, query: JournalQuery = JournalQuery()) -> list[JournalEntry]:
    """The newest ``query.limit`` calls matching ``query``, oldest first (the order they came).

    For "calls since", ask ``after_id`` the largest id returned, not the last entry's.
    Raises JournalOff when nothing is being recorded.
    """
    if ctx.journal is None:
        raise JournalOff()
    return ctx.journal.search(query)


def count_calls(ctx: ServiceContext, *, since: dt.datetime,
                organisation: str | tuple[str, ...] | None = None,
                faces: tuple[str, ...] | None = None) -> list[CallCount]:
    """Calls since ``since`` (of one organisation, by its UKPRN and/or OrganisationRef as the
    callers sent them, if given; through one of ``faces``, e.g. SOAP_FACES, if given),
    counted by operation and code, largest first. Raises JournalOff when it is off."""
    if ctx.journal is None:
        raise JournalOff()
    return ctx.journal.counts(since=since, organisation=organisation, faces=faces)


# ----- the one reading of a search, for every face that takes one as text (CLI, admin API)

_AGO = re.compile(r"(\d+)([smhd])")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
# query parameter -> JournalQuery field (the CLI's option names, without the dashes)
TEXT_FILTERS = {"operation": "operation", "code": "code", "org": "organisation",
                "user": "user_name", "face": "face", "endpoint": "endpoint",
                "request_id": "request_id"}


def moment(text: str, now: dt.datetime | None = None) -> dt.datetime:
    """A time ago (30s, 10m, 2h, 1d) or an ISO date/time (UTC unless it says). Journal
    times are wall-clock times, so "ago" counts from the wall clock, not the service's."""
    ago = _AGO.fullmatch(text.strip())
    if ago:
        return (now or dt.datetime.now(dt.UTC)) - dt.timedelta(**{_UNITS[ago[2]]: int(ago[1])})
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is neither a time ago (30s, 10m, 2h, 1d) nor an ISO "
                         "date/time") from None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def query_from(params: Mapping[str, str]) -> JournalQuery:
    """A JournalQuery from text parameters (operation, code, org, user, face, endpoint,
    request_id, since, until, after_id, limit, envelopes); an unknown or bad one raises
    ValueError naming it."""
    unknown = sorted(set(params) - set(TEXT_FILTERS) - {"since", "until", "after_id", "limit",
                                                        "envelopes"})
    if unknown:
        raise ValueError(f"unknown journal filter(s) {', '.join(unknown)}; use "
                         f"{', '.join([*TEXT_FILTERS, 'since', 'until', 'after_id', 'limit'])}"
                         " or envelopes")
    fields: dict[str, object] = {field: params[name] for name, field in TEXT_FILTERS.items()
                                 if params.get(name)}
    for name in ("since", "until"):
        if params.get(name):
            fields[name] = moment(params[name])
    for name in ("after_id", "limit"):
        if params.get(name):
            if not params[name].isdigit():
                raise ValueError(f"{name} must be a whole number, not {params[name]!r}")
            fields[name] = int(params[name])
    envelopes = params.get("envelopes", "").lower()
    if envelopes not in ("", "0", "1", "true", "false", "yes", "no"):
        raise ValueError(f"envelopes must be true or false, not {params['envelopes']!r}")
    fields["envelopes"] = envelopes in ("1", "true", "yes")
    return JournalQuery(**fields)


def entry_json(entry: JournalEntry) -> dict:
    """An entry as JSON values (envelopes as text, when they were asked for and stored)."""
    values = dataclasses.asdict(entry)
    values["at"] = entry.at.isoformat()
    for name in ("request_envelope", "response_envelope"):
        envelope = values[name]
        values[name] = None if envelope is None else envelope.decode("utf-8", errors="replace")
    return values
