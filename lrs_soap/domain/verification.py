"""VerifyLearnerDetails: does the supplied name, DOB and gender fit the ULN's learner?

lrs-wire.md 3.11 gives the codes and failure flags; the rules joining them are ours:

Six name comparisons, each with :func:`lrs_soap.domain.similarity.compare_names`, where
g/f are the supplied given/family names and G/F/PF the held given/family/previous family::

    VRF1 g~G   VRF2 g~F   VRF3 g~PF   VRF4 f~G   VRF5 f~F   VRF6 f~PF

The names pass along one of three paths: *direct* (g~G and f~F), *previous family name*
(g~G and f~PF) or *swapped* (g~F and f~G). A path passes when neither of its comparisons
is DIFFERENT, and is exact when both are EXACT.

VRF7: a date of birth was supplied and is not the held one. VRF8: a gender was supplied
and contradicts the held one. Only 1 (male) and 2 (female) can contradict each other:
0 "not known" and 9 "not specified", on either side, say nothing, so they never fail.

Outcome:

- ULN unknown or retired (``held`` is None, or its status is RETIRED): WSVRC006, no flags;
- a path passes and neither VRF7 nor VRF8: WSVRC001 if some passing path is exact
  (WSVRC002 when ``linked``), else WSVRC003 (WSVRC004 when ``linked``);
- otherwise WSVRC005. Flags: when no path passed, every DIFFERENT comparison among the six
  (VRF3/VRF6 only when a previous family name is held), then VRF7/VRF8; when a path passed,
  only VRF7/VRF8. Flags are in VRF order.

The learner is returned for WSVRC001-004 only: as with FindByULN, a ULN whose details do
not match reveals nothing about its holder.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from lrs_soap.domain.model import Learner, LearnerStatus
from lrs_soap.domain.names import name_key
from lrs_soap.domain.similarity import Comparison, compare_names

# Gender codes that carry no information, so cannot contradict anything.
UNINFORMATIVE_GENDERS = frozenset({"0", "9"})


class VerifyCode(StrEnum):
    MATCH = "WSVRC001"
    LINKED_MATCH = "WSVRC002"
    SIMILAR_MATCH = "WSVRC003"
    SIMILAR_LINKED_MATCH = "WSVRC004"
    NO_MATCH = "WSVRC005"
    ULN_NOT_FOUND = "WSVRC006"


@dataclass(frozen=True)
class VerifyQuery:
    uln: str
    given_name: str
    family_name: str
    date_of_birth: dt.date | None = None
    gender: str | None = None


@dataclass(frozen=True)
class VerifyOutcome:
    code: str  # a VerifyCode value
    flags: tuple[str, ...] = ()  # VRF1..VRF8, in order
    learner: Learner | None = None  # the learner verified against (WSVRC001-004 only)


# (flag, supplied field, held field) for the six name comparisons, in flag order.
_NAME_CHECKS = (
    ("VRF1", "given_name", "given_name"),
    ("VRF2", "given_name", "family_name"),
    ("VRF3", "given_name", "previous_family_name"),
    ("VRF4", "family_name", "given_name"),
    ("VRF5", "family_name", "family_name"),
    ("VRF6", "family_name", "previous_family_name"),
)
_PATHS = (("VRF1", "VRF5"), ("VRF1", "VRF6"), ("VRF2", "VRF4"))  # direct, previous, swapped


def gender_mismatch(supplied: str | None, held: str | None) -> bool:
    """True only when both genders are informative (1 or 2) and differ."""
    s, h = (supplied or "").strip(), (held or "").strip()
    if not s or not h or s in UNINFORMATIVE_GENDERS or h in UNINFORMATIVE_GENDERS:
        return False
    return s != h


def name_comparisons(query: VerifyQuery, held: Learner) -> dict[str, Comparison]:
    """The six comparisons keyed by their failure flag (VRF1..VRF6)."""
    return {
        flag: compare_names(getattr(query, supplied), getattr(held.details, stored))
        for flag, supplied, stored in _NAME_CHECKS
    }


def verify(query: VerifyQuery, held: Learner | None, linked: bool = False) -> VerifyOutcome:
    """Classify a verification; ``linked`` is True when ``held`` is the master of the
    (merged) ULN asked for."""
    if held is None or held.status is LearnerStatus.RETIRED:
        return VerifyOutcome(VerifyCode.ULN_NOT_FOUND)
    compared = name_comparisons(query, held)
    passing = [path for path in _PATHS
               if all(compared[flag] is not Comparison.DIFFERENT for flag in path)]
    other_flags = []
    if query.date_of_birth is not None and query.date_of_birth != held.details.date_of_birth:
        other_flags.append("VRF7")
    if gender_mismatch(query.gender, held.details.gender):
        other_flags.append("VRF8")

    if passing and not other_flags:
        exact = any(all(compared[flag] is Comparison.EXACT for flag in path)
                    for path in passing)
        if exact:
            code = VerifyCode.LINKED_MATCH if linked else VerifyCode.MATCH
        else:
            code = VerifyCode.SIMILAR_LINKED_MATCH if linked else VerifyCode.SIMILAR_MATCH
        return VerifyOutcome(code, (), held)

    name_flags: list[str] = []
    if not passing:
        has_previous = bool(name_key(held.details.previous_family_name))
        name_flags = [flag for flag, comparison in compared.items()
                      if comparison is Comparison.DIFFERENT
                      and (has_previous or flag not in ("VRF3", "VRF6"))]
    return VerifyOutcome(VerifyCode.NO_MATCH, tuple(name_flags + other_flags))
