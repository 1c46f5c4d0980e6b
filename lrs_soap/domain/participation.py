"""Participation events from ILR/NPD-style sources (``lrs-soap events import FILE.csv``).

Columns (docs/plr.md): uln, source, subject_code, subject, start_date, provider_ukprn are
required; end_date, award_date, grade, qualification_type, level, credits, provider_name,
collection_type, return_number, status, restriction are optional. Rules on one row
(:func:`row_errors`):

- uln: ten digits starting 1-9 with a valid check digit; source: ILR or NPD;
- dates YYYY-MM-DD; start_date and award_date not after today (UK); end_date not before
  start_date (a planned end date may lie in the future); award_date not before start_date;
- provider_ukprn eight digits; credits a whole number 0-10000; status P or F (default F);
- text no longer than its column (subject_code 30, subject and provider_name 255,
  qualification_type 100, level and grade 50, collection_type, return_number and
  restriction 5).

The learner rules (:func:`learner_error`) need the store: the ULN must belong to a learner
who is not deleted (a merged ULN stands for its master, and the event is held under the
master's ULN, as achievements are), and start_date must not be before the learner's date
of birth. A row is keyed by (ULN, source, subject_code, provider_ukprn, start_date): a key
already held is updated, so importing a file again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from lrs_soap.domain.batches import NOT_A_DATE, uln_rule
from lrs_soap.domain.model import Learner, LearnerStatus

SOURCES = frozenset({"ILR", "NPD"})
STATUSES = frozenset({"P", "F"})
COLUMNS = ("uln", "source", "subject_code", "subject", "start_date", "end_date", "award_date",
           "grade", "qualification_type", "level", "credits", "provider_ukprn",
           "provider_name", "collection_type", "return_number", "status", "restriction")
REQUIRED = ("uln", "source", "subject_code", "subject", "start_date", "provider_ukprn")
MAX_LENGTHS = {"subject_code": 30, "subject": 255, "provider_name": 255,
               "qualification_type": 100, "level": 50, "grade": 50, "collection_type": 5,
               "return_number": 5, "restriction": 5}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_UKPRN = re.compile(r"\d{8}")

# (holder ULN, source, subject code, provider UKPRN, start date)
ParticipationKey = tuple[str, str, str, str, dt.date]


@dataclass(frozen=True)
class Participation:
    """One row as a learning event to hold (source ILR/NPD)."""

    learner_uln: str  # as given; the service holds it under the master when merged
    source: str
    qualification_reference: str
    subject: str
    participation_start_date: dt.date
    achievement_provider_ukprn: str
    participation_end_date: dt.date | None = None
    award_date: dt.date | None = None
    grade: str | None = None
    qualification_type: str | None = None
    level: str | None = None
    credits: int | None = None
    achievement_provider_name: str | None = None
    collection_type: str | None = None
    return_number: str | None = None
    status: str = "F"
    restriction: str | None = None

    def key(self, holder_uln: str) -> ParticipationKey:
        return (holder_uln, self.source, self.qualification_reference,
                self.achievement_provider_ukprn, self.participation_start_date)


def _date(text: str) -> dt.date | None:
    if not _DATE.fullmatch(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def row_errors(row: Mapping[str, str | None], today: dt.date
               ) -> tuple[Participation | None, list[tuple[str, str]]]:
    """The row as a Participation, or None with every (column, problem) found."""
    value = {name: (row.get(name) or "").strip() for name in COLUMNS}
    errors: list[tuple[str, str]] = [(name, "is required") for name in REQUIRED
                                     if not value[name]]
    if broken := uln_rule(value["uln"]):
        errors.append(("uln", broken))
    source = value["source"].upper()
    if source and source not in SOURCES:
        errors.append(("source", "is not ILR or NPD"))
    for name, limit in MAX_LENGTHS.items():
        if len(value[name]) > limit:
            errors.append((name, f"is longer than {limit} characters"))
    if value["subject_code"] and any(c.isspace() for c in value["subject_code"]):
        errors.append(("subject_code", "contains a space"))
    dates: dict[str, dt.date | None] = {}
    for name in ("start_date", "end_date", "award_date"):
        dates[name] = _date(value[name]) if value[name] else None
        if value[name] and dates[name] is None:
            errors.append((name, NOT_A_DATE))
    start, end, award = dates["start_date"], dates["end_date"], dates["award_date"]
    if start is not None and start > today:
        errors.append(("start_date", "is in the future"))
    if award is not None and award > today:
        errors.append(("award_date", "is in the future"))
    if start is not None and end is not None and end < start:
        errors.append(("end_date", "is before start_date"))
    if start is not None and award is not None and award < start:
        errors.append(("award_date", "is before start_date"))
    if value["provider_ukprn"] and not _UKPRN.fullmatch(value["provider_ukprn"]):
        errors.append(("provider_ukprn", "is not eight digits"))
    credits = value["credits"]
    if credits and not (credits.isascii() and credits.isdigit() and int(credits) <= 10_000):
        errors.append(("credits", "is not a whole number from 0 to 10000"))
    status = value["status"].upper() or "F"
    if status not in STATUSES:
        errors.append(("status", "is not P (provisional) or F (final)"))
    if errors or start is None:
        return None, errors
    optional = {name: value[name] or None for name in value}
    return Participation(
        learner_uln=value["uln"], source=source,
        qualification_reference=value["subject_code"].upper(), subject=value["subject"],
        participation_start_date=start, achievement_provider_ukprn=value["provider_ukprn"],
        participation_end_date=end, award_date=award, grade=optional["grade"],
        qualification_type=optional["qualification_type"], level=optional["level"],
        credits=int(credits) if credits else None,
        achievement_provider_name=optional["provider_name"],
        collection_type=optional["collection_type"], return_number=optional["return_number"],
        status=status, restriction=optional["restriction"]), []


def learner_error(row: Participation, holder: Learner | None) -> tuple[str, str] | None:
    """``holder``: the learner holding the row's ULN (its master when merged), or None."""
    if holder is None or holder.status is not LearnerStatus.ACTIVE:
        return ("uln", "is not the ULN of a known learner")
    if row.participation_start_date < holder.details.date_of_birth:
        return ("start_date", "is before the learner's date of birth")
    return None
