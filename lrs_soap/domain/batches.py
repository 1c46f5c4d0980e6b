"""Batch jobs: kinds, limits, statuses, and what a processed record reports.

A submitted record is kept exactly as sent, as a mapping of contract element names to text
(``Payload``); processing turns it into an outcome. Records of one job are processed in
chunks, each chunk's effects and outcomes committed together, so a record is processed
exactly once even when a worker dies (see lrs_soap.service.batches).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from lrs_soap.domain import uln as uln_rules
from lrs_soap.domain.errors import InvalidRequest, InvalidUln, LrsError

Payload = dict[str, str | None]


class JobKind(StrEnum):
    LEARNER_REGISTRATION = "learner_registration"
    VERIFICATION = "verification"
    ACHIEVEMENT = "achievement"


class JobStatus(StrEnum):
    WAITING = "waiting"
    IN_PROGRESS = "in_progress"
    SUCCESSFUL = "successful"
    FAILED = "failed"


# Service charter v9: learner and verification batches of at most 200 records,
# achievement batches of at most 10,000. The schema's maxOccurs and the offline validator's
# file kinds follow this table (tests/contract/test_batch_limits.py holds them to it).
MAX_RECORDS: dict[JobKind, int] = {
    JobKind.LEARNER_REGISTRATION: 200,
    JobKind.VERIFICATION: 200,
    JobKind.ACHIEVEMENT: 10_000,
}


@dataclass(frozen=True)
class RecordError:
    """One broken rule: which record (1-based, in submission order), which field, which rule.

    An achievement record's field is its SentAchievement attribute: each face names it in
    its own words (lrs_soap.record_elements.ACHIEVEMENT_LABELS, ExternalService's live
    members). An entry's or result's field is still the native element it was read from.
    """

    record: int
    field: str
    rule: str

    def as_dict(self) -> dict[str, object]:
        return {"record": self.record, "field": self.field, "rule": self.rule}


CHECK_DIGIT_RULE = "fails its check digit"  # the ULN rule that refuses with WSEC0136
NOT_A_DATE = "is not a date (YYYY-MM-DD)"  # a date field sent that is not YYYY-MM-DD


def uln_rule(uln: str | None) -> str | None:
    """The rule a record's ULN breaks by its form, or None (also when absent: that is the
    record's own "is required")."""
    validity = uln_rules.validity(uln)
    if validity is uln_rules.UlnValidity.MALFORMED:
        return "is not ten digits starting 1-9"
    if validity is uln_rules.UlnValidity.BAD_CHECK_DIGIT:
        return CHECK_DIGIT_RULE
    return None


def refusal(errors: Sequence[RecordError], *, numbered: bool = False,
            label: Callable[[str], str] = str) -> LrsError:
    """Records refused whole as bad input, as every operation refuses it: the field and rule
    of each error (with its record number when ``numbered``); an invalid ULN (WSEC0136) when
    a ULN fails its check digit, else an invalid request (WSEC0001).

    ``label``: how the face names a field. The error keeps the records' errors
    (``record_errors``), so that a face can word it again in its own names
    (:func:`reworded`).
    """
    details = "; ".join(f"record {e.record}: {label(e.field)} {e.rule}" if numbered
                        else f"{label(e.field)} {e.rule}" for e in errors)
    check_digit = any(e.field in ("uln", "ULN") and e.rule == CHECK_DIGIT_RULE for e in errors)
    error = InvalidUln(details) if check_digit else InvalidRequest(details)
    error.record_errors = (tuple(errors), numbered)
    return error


def reworded(error: LrsError, label: Callable[[str], str]) -> LrsError:
    """``error`` with its records' fields named by ``label``, when it is a :func:`refusal`."""
    refused = getattr(error, "record_errors", None)
    if refused is None:
        return error
    errors, numbered = refused
    return refusal(errors, numbered=numbered, label=label)


@dataclass(frozen=True)
class RecordOutcome:
    """What processing one record produced: a code, JSON-able details, and any errors."""

    code: str
    detail: dict[str, object] = field(default_factory=dict)
    errors: tuple[RecordError, ...] = ()

    @property
    def succeeded(self) -> bool:
        return not self.errors
