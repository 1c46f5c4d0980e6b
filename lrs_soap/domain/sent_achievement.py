"""An achievement record as sent, in the domain's own terms: the one form of a record.

Every face reads its wire elements into it once, by :func:`read` (the native face's batch
and single Achievement, ExternalService's live Achievement, the portal's form and batch
upload, a result's achievements, fixtures, the offline validator); the rules read its typed
attributes (domain.achievements), and a batch job stores it as :meth:`SentAchievement.stored`
(attribute names, so no face's element names are in the database).

Reading strips text (blank is absent), upper-cases the qualification reference and parses
the dates and the action. A value sent that cannot be read (a date not YYYY-MM-DD, an action
not one of :class:`Action`) is kept as sent in ``unreadable``: the record is then refused on
its own, naming the field, while the rest of its batch goes on.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from enum import StrEnum
from types import MappingProxyType


class Action(StrEnum):
    CREATE = "CREATE"
    UPDATE = "UPDATE"
    WITHDRAW = "WITHDRAW"
    REINSTATE = "REINSTATE"
    PROMOTE = "PROMOTE"


class SubmissionType(StrEnum):
    PROVISIONAL = "PROVISIONAL"
    FINAL = "FINAL"


NOTHING_UNREADABLE: Mapping[str, str] = MappingProxyType({})


class SentRecord:
    """What every record as sent answers (this achievement, sent_entry's entry and result).
    No slots of its own, so that the slotted records stay slotted."""

    __slots__ = ()
    unreadable: Mapping[str, str]  # each record's own field

    def sent(self, attribute: str) -> bool:
        """Whether the record carries a value for ``attribute``, readable or not."""
        return getattr(self, attribute) is not None or attribute in self.unreadable


@dataclass(frozen=True, slots=True)  # slots: a 10,000-record batch holds 10,000 of them
class SentAchievement(SentRecord):
    action: Action | None = None
    uln: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    qualification_reference: str | None = None  # upper-cased
    date_of_birth: dt.date | None = None
    gender: str | None = None
    grade: str | None = None
    award_date: dt.date | None = None
    action_date: dt.date | None = None
    action_reason: str | None = None
    provider_ukprn: str | None = None
    language_for_assessment: str | None = None
    mis_identifier: str | None = None
    # attribute -> the text sent, for a value that could not be read (its attribute is None)
    unreadable: Mapping[str, str] = field(default_factory=lambda: NOTHING_UNREADABLE)

    def stored(self) -> dict[str, str]:
        """The record as a batch job keeps it (JSON): what :func:`read` reads back to it."""
        values = {name: (value.isoformat() if isinstance(value, dt.date) else str(value))
                  for name in FIELDS if (value := getattr(self, name)) is not None}
        return {**values, **self.unreadable}


FIELDS = tuple(f.name for f in fields(SentAchievement) if f.name != "unreadable")
DATES = frozenset({"date_of_birth", "award_date", "action_date"})
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ACTIONS = frozenset(Action)
_PLAIN = frozenset(FIELDS) - DATES - {"action", "qualification_reference"}


def clean_text(value: str | None) -> str | None:
    value = value.strip() if value is not None else None
    return value or None


def iso_date(value: str | None) -> dt.date | None:
    """The date, or None when absent or not YYYY-MM-DD."""
    value = clean_text(value)
    if value is None or not _DATE.fullmatch(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def read(texts: Mapping[str, str | None], shared: dict | None = None) -> SentAchievement:
    """The record from its texts by attribute name (names it does not have are ignored).

    ``shared``: one dict for the records of a batch, so that a value repeated between them
    (a date, a grade, a code) is one object, not one per record.
    """
    shared = {} if shared is None else shared
    values: dict[str, object] = {}
    unreadable: dict[str, str] = {}
    for name in FIELDS:
        text = clean_text(texts.get(name))
        if text is None:
            continue
        # plain text is its own key (no tuple per ULN or name); the few parsed kinds are not
        key = text if name in _PLAIN else (name in DATES, name == "action", text)
        value = shared.get(key)
        if value is None:
            value = shared.setdefault(key, _value(name, text))
        if value is None:
            unreadable[name] = text
        else:
            values[name] = value
    return SentAchievement(**values, unreadable=unreadable or NOTHING_UNREADABLE)


def _value(name: str, text: str) -> object:
    """The value of a field's text; None when it cannot be read."""
    if name in DATES:
        return iso_date(text)
    if name == "action":
        return Action(text) if text in _ACTIONS else None
    return text.upper() if name == "qualification_reference" else text
