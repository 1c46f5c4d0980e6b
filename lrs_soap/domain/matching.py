"""FindByDemographics: classify the candidates the store found (lrs-rules.md 2.2-2.4).

The store narrows by date of birth: candidates born on the date asked for, or on that date
with day and month swapped when that is a real date (:func:`candidate_birth_dates`).
Retired learners (status RETIRED) are never returned.

**Exact match**: given and family names EXACT (:mod:`lrs_soap.domain.similarity`), the same
date of birth, the same gender code and the same postcode ignoring spaces and case; and each
optional field supplied *and* held agrees: previous family name EXACT, school at 16 and
place of birth equal ignoring case and spacing, e-mail equal ignoring case.

**Possible match**: not exact, and :func:`possible_score` >= MIN_POSSIBLE_SCORE (9)::

    family name   f~F EXACT 4, SIMILAR 3; else via a previous family name
                  (f~held PF or supplied PF~F) EXACT 3, SIMILAR 2
    given name    EXACT 4, SIMILAR 3
    birth date    same 2, day and month swapped 0
    postcode      same 2, same outward code (the part before the space) 1
    gender        same code 1
    optional      each of previous family name, school, place of birth, e-mail supplied
                  and held: +1 when it agrees, -1 when it contradicts

Five exact demographics score 13; nine admits one name similar and a house move, a twin at
home (same family, birth date, postcode) or a new family name at the same postcode, and
rejects a namesake elsewhere (family name, birth date and gender only: 7). Possibles rank
by score, highest first, ties by ULN so the order is stable.

**Merged learners** (``master_uln`` set) can only be an exact match: the outcome then
carries the merged learner and ``merged_into`` = its master's ULN, and the answer is
WSRC0022 with the master (:func:`master_answer`). A merged learner whose master is also an
exact match is ignored, and merged learners are never listed as possibles (a merged ULN is
not one to choose).

**Outcome**: one exact -> WSRC0004; several exacts -> they are possibles; 1 to
MAX_POSSIBLE_MATCHES possibles -> WSRC0003; more -> WSRC0002 with no learners; else WSRC0001.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from lrs_soap.domain.codes import ResponseCode
from lrs_soap.domain.model import Learner, LearnerDetails, LearnerStatus
from lrs_soap.domain.names import name_key, postcode_key
from lrs_soap.domain.similarity import Comparison, compare_names

MAX_POSSIBLE_MATCHES = 10  # MoJ README: "between 1-10" possibles, "more than 10" too many
MIN_POSSIBLE_SCORE = 9
MAX_NAME_POINTS = 4  # one name EXACT; a name that is not EXACT scores at most 3

_NAME_POINTS = {Comparison.EXACT: 4, Comparison.SIMILAR: 3, Comparison.DIFFERENT: 0}
_PREVIOUS_NAME_POINTS = {Comparison.EXACT: 3, Comparison.SIMILAR: 2, Comparison.DIFFERENT: 0}


@dataclass(frozen=True)
class DemographicQuery:
    given_name: str
    family_name: str
    date_of_birth: dt.date
    gender: str
    postcode: str
    previous_family_name: str | None = None
    school_at_age_16: str | None = None
    place_of_birth: str | None = None
    email_address: str | None = None


@dataclass(frozen=True)
class SearchOutcome:
    code: ResponseCode
    learners: tuple[Learner, ...] = ()  # in rank order; empty for WSRC0001 and WSRC0002
    # WSRC0004 on a merged learner: its master's ULN, for the service to substitute (WSRC0022)
    merged_into: str | None = None


def master_answer(master: Learner | None) -> tuple[ResponseCode, tuple[Learner, ...]]:
    """The answer to a match on a merged learner, given its master as now held: WSRC0022 with
    the master, or WSRC0001 when the master is no longer held (nothing can be shown)."""
    if master is None:
        return ResponseCode.NO_MATCH, ()
    return ResponseCode.LINKED_MASTER_SUBSTITUTED, (master,)


def candidate_birth_dates(dob: dt.date) -> tuple[dt.date, ...]:
    """The date asked for, then the day/month swap when that is a different real date."""
    try:
        swapped = dob.replace(month=dob.day, day=dob.month)
    except ValueError:
        return (dob,)
    return (dob,) if swapped == dob else (dob, swapped)


def demographics_key(query: DemographicQuery) -> str:
    """sha256 hex of the five normalised mandatory demographics (find-before-register proof)."""
    parts = (name_key(query.given_name), name_key(query.family_name),
             query.date_of_birth.isoformat(), query.gender.strip(), postcode_key(query.postcode))
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def learner_demographics_key(details: LearnerDetails) -> str:
    """The same key for a held learner: equal keys mean the same five demographics."""
    return demographics_key(DemographicQuery(details.given_name, details.family_name,
                                             details.date_of_birth, details.gender,
                                             details.postcode))


def _text_key(value: str | None) -> str:
    return " ".join((value or "").casefold().split())


def _optional_agreements(query: DemographicQuery, learner: Learner) -> list[bool]:
    """One bool per optional field supplied and held: does it agree?"""
    held = learner.details
    results = []
    if name_key(query.previous_family_name) and name_key(held.previous_family_name):
        results.append(compare_names(query.previous_family_name, held.previous_family_name)
                       is Comparison.EXACT)
    for supplied, stored in ((query.school_at_age_16, held.school_at_age_16),
                             (query.place_of_birth, held.place_of_birth),
                             (query.email_address, held.email_address)):
        if _text_key(supplied) and _text_key(stored):
            results.append(_text_key(supplied) == _text_key(stored))
    return results


def is_exact(query: DemographicQuery, learner: Learner) -> bool:
    held = learner.details
    return (compare_names(query.given_name, held.given_name) is Comparison.EXACT
            and compare_names(query.family_name, held.family_name) is Comparison.EXACT
            and query.date_of_birth == held.date_of_birth
            and query.gender.strip() == held.gender.strip()
            and postcode_key(query.postcode) == postcode_key(held.postcode)
            and all(_optional_agreements(query, learner)))


def _outward(key: str) -> str:
    return key[:-3] if len(key) >= 5 else key


def possible_score(query: DemographicQuery, learner: Learner) -> int | None:
    """The learner's score, or None when its date of birth rules it out entirely."""
    held = learner.details
    if held.date_of_birth not in candidate_birth_dates(query.date_of_birth):
        return None
    family = max(
        _NAME_POINTS[compare_names(query.family_name, held.family_name)],
        _PREVIOUS_NAME_POINTS[compare_names(query.family_name, held.previous_family_name)],
        _PREVIOUS_NAME_POINTS[compare_names(query.previous_family_name, held.family_name)],
    )
    score = family + _NAME_POINTS[compare_names(query.given_name, held.given_name)]
    score += 2 if held.date_of_birth == query.date_of_birth else 0
    supplied_pc, held_pc = postcode_key(query.postcode), postcode_key(held.postcode)
    if supplied_pc == held_pc:
        score += 2
    elif _outward(supplied_pc) == _outward(held_pc):
        score += 1
    score += 1 if query.gender.strip() == held.gender.strip() else 0
    score += sum(1 if agrees else -1 for agrees in _optional_agreements(query, learner))
    return score


def outward_code(postcode_key: str) -> str:
    """The part of a postcode key before the inward code (the whole key when it is short)."""
    return _outward(postcode_key)


def optional_points_bound(query: DemographicQuery) -> int:
    """The most the optional fields can add to any learner's score: one per field supplied."""
    return (bool(name_key(query.previous_family_name))
            + sum(bool(_text_key(value)) for value in (query.school_at_age_16,
                                                       query.place_of_birth,
                                                       query.email_address)))


def qualifier(query: DemographicQuery) -> Callable[[str, str, str | None, int], bool]:
    """``may_qualify(given_name, family_name, previous_family_name, evidence)`` for a held
    learner: False only when it can be neither an exact match nor score MIN_POSSIBLE_SCORE,
    so that :func:`classify` gives the same answer without it (the demographic search's fast
    path drops such learners before loading them).

    ``evidence`` must be at least the learner's points for birth date, postcode and gender
    (as :func:`possible_score` counts them). The names are scored as :func:`possible_score`
    scores them and every optional field supplied is assumed to agree: an upper bound of the
    score. An exact match reaches 13 on it, so it always qualifies."""
    most_from_optional = optional_points_bound(query)
    given_name, family_name = query.given_name, query.family_name
    previous_name = query.previous_family_name

    def may_qualify(held_given: str, held_family: str, held_previous: str | None,
                    evidence: int) -> bool:
        needed = MIN_POSSIBLE_SCORE - evidence - most_from_optional
        given = _NAME_POINTS[compare_names(given_name, held_given)]
        if given + MAX_NAME_POINTS < needed:
            return False
        family = max(
            _NAME_POINTS[compare_names(family_name, held_family)],
            _PREVIOUS_NAME_POINTS[compare_names(family_name, held_previous)],
            _PREVIOUS_NAME_POINTS[compare_names(previous_name, held_family)],
        )
        return given + family >= needed

    return may_qualify


def classify(query: DemographicQuery, candidates: Iterable[Learner]) -> SearchOutcome:
    live = [c for c in candidates if c.status is not LearnerStatus.RETIRED]
    exact = [c for c in live if is_exact(query, c)]
    exact_ulns = {c.uln for c in exact}
    # A merged learner is represented by its master when the master matches too.
    exact = [c for c in exact if c.master_uln is None or c.master_uln not in exact_ulns]
    if len(exact) == 1:
        return SearchOutcome(ResponseCode.EXACT_MATCH, (exact[0],), exact[0].master_uln)

    scored = []
    for candidate in live:
        if candidate.master_uln is not None:
            continue
        # Several exact matches become possibles: they score 13, well over the minimum.
        score = possible_score(query, candidate)
        if score is not None and score >= MIN_POSSIBLE_SCORE:
            scored.append((score, candidate))
    if not scored:
        return SearchOutcome(ResponseCode.NO_MATCH)
    if len(scored) > MAX_POSSIBLE_MATCHES:
        return SearchOutcome(ResponseCode.TOO_MANY_MATCHES)
    scored.sort(key=lambda pair: (-pair[0], pair[1].uln))
    return SearchOutcome(ResponseCode.POSSIBLE_MATCH, tuple(c for _, c in scored))
