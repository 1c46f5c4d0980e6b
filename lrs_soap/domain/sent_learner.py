"""A learner batch record (registration or verification) as sent, in the domain's own terms.

Every face reads its wire elements into it once, by :func:`read` (the native face's batch
messages, LearnerService's BatchLearner, the portal's batch upload, the offline validator); a
batch job stores it as :meth:`SentLearner.stored` (attribute names, so no face's element
names are in the database), and the worker, the job reports and the exceptions process read
it back with the same :func:`read`.

Values are kept as the text sent: a job's output echoes the record as submitted, so a parsed
date would not give back what was sent. :meth:`SentLearner.details` is the typed reading the
rules use (dates parsed; the schema has already checked them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, fields

from lrs_soap.domain.model import LearnerDetails

DETAILS = tuple(f.name for f in fields(LearnerDetails))
_DATES = frozenset({"date_of_birth", "date_of_address_capture"})


@dataclass(frozen=True, slots=True)
class SentLearner:
    uln: str | None = None
    mis_identifier: str | None = None
    # the learner's VersionNumber when the batch was submitted, kept with a registration
    # record naming that learner's ULN: the version its update expects
    submitted_version: int | None = None
    title: str | None = None
    given_name: str | None = None
    middle_other_name: str | None = None
    family_name: str | None = None
    preferred_given_name: str | None = None
    previous_family_name: str | None = None
    family_name_at_16: str | None = None
    school_at_age_16: str | None = None
    address_line1: str | None = None
    address_line2: str | None = None
    address_town: str | None = None
    address_county_or_city: str | None = None
    postcode: str | None = None
    date_of_address_capture: str | None = None
    date_of_birth: str | None = None
    place_of_birth: str | None = None
    gender: str | None = None
    email_address: str | None = None
    nationality: str | None = None
    scottish_candidate_number: str | None = None
    verification_type: str | None = None
    other_verification_description: str | None = None
    ability_to_share: str | None = None
    notes: str | None = None

    def details(self) -> LearnerDetails:
        """The record's learner details (absent optionals None, dates parsed)."""
        return LearnerDetails(**{name: _date(value) if name in _DATES else value
                                 for name in DETAILS for value in (getattr(self, name),)})

    def stored(self) -> dict[str, object]:
        """The record as a batch job keeps it (JSON): what :func:`read` reads back to it."""
        return {name: value for name in FIELDS if (value := getattr(self, name)) is not None}


FIELDS = tuple(f.name for f in fields(SentLearner))
_TEXTS = frozenset(FIELDS) - {"submitted_version"}


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def read(values: Mapping[str, object]) -> SentLearner:
    """The record from its values by attribute name (names it does not have are ignored;
    an empty text is absent)."""
    known = {name: value for name, value in values.items()
             if name in _TEXTS and value not in (None, "")}
    version = values.get("submitted_version")
    return SentLearner(**known, submitted_version=None if version is None else int(version))

