"""An entry or a result as sent (SubmitEntries' Entry, SubmitResults' Result, the portal's
forms and file upload), in the domain's own terms: the one form of such a record.

Every face reads its wire elements into it once, by :func:`read_entry` or
:func:`read_result`; the rules (domain.entry_rules) and the use cases (service.entries)
read its typed attributes. Reading strips text (blank is absent), upper-cases the
qualification reference and parses the dates, the entry id, the action and the version. A
value sent that cannot be read is kept as sent in ``unreadable``, so that a rule names it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields

from lrs_soap.domain.entries import ResultAction
from lrs_soap.domain.sent_achievement import (
    NOTHING_UNREADABLE,
    Action,
    SentAchievement,
    SentRecord,
    clean_text,
    iso_date,
)


@dataclass(frozen=True, slots=True)
class SentEntry(SentRecord):
    uln: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    date_of_birth: dt.date | None = None
    gender: str | None = None
    qualification_reference: str | None = None  # upper-cased
    entry_date: dt.date | None = None
    expected_award_date: dt.date | None = None
    provider_ukprn: str | None = None
    mis_identifier: str | None = None
    unreadable: Mapping[str, str] = field(default_factory=lambda: NOTHING_UNREADABLE)

    def achievement(self) -> SentAchievement:
        """The entry's learner and qualification as an achievement record, so that an entry
        is checked by the achievement rules (achievements.eligibility)."""
        return SentAchievement(
            action=Action.CREATE, uln=self.uln or "", given_name=self.given_name or "",
            family_name=self.family_name or "",
            qualification_reference=self.qualification_reference or "",
            date_of_birth=self.date_of_birth, gender=self.gender)


@dataclass(frozen=True, slots=True)
class SentResult(SentRecord):
    entry_id: int | None = None
    action: ResultAction | None = None
    grade: str | None = None
    award_date: dt.date | None = None
    entry_version: int | None = None  # the version the result expects (compare-and-set)
    mis_identifier: str | None = None
    unreadable: Mapping[str, str] = field(default_factory=lambda: NOTHING_UNREADABLE)


ENTRY_FIELDS = tuple(f.name for f in fields(SentEntry) if f.name != "unreadable")
RESULT_FIELDS = tuple(f.name for f in fields(SentResult) if f.name != "unreadable")


def _entry_id(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() else None


def _version(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


_PARSERS: dict[str, Callable[[str], object]] = {
    "date_of_birth": iso_date, "entry_date": iso_date, "expected_award_date": iso_date,
    "award_date": iso_date, "qualification_reference": str.upper, "entry_id": _entry_id,
    "entry_version": _version,
    "action": lambda text: ResultAction(text) if text in set(ResultAction) else None}


def _read(kind: type, names: tuple[str, ...], texts: Mapping[str, str | None]):
    values: dict[str, object] = {}
    unreadable: dict[str, str] = {}
    for name in names:
        text = clean_text(texts.get(name))
        if text is None:
            continue
        value = _PARSERS.get(name, str)(text)
        if value is None:
            unreadable[name] = text
        else:
            values[name] = value
    return kind(**values, unreadable=unreadable or NOTHING_UNREADABLE)


def read_entry(texts: Mapping[str, str | None]) -> SentEntry:
    """The entry from its texts by attribute name (names it does not have are ignored)."""
    return _read(SentEntry, ENTRY_FIELDS, texts)


def read_result(texts: Mapping[str, str | None]) -> SentResult:
    """The result from its texts by attribute name (names it does not have are ignored)."""
    return _read(SentResult, RESULT_FIELDS, texts)
