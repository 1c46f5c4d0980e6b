"""Normalised forms of names and postcodes, used to store match keys and compare demographics.

lrs-rules 2.4 suggests case-insensitive, whitespace-normalised comparison and postcodes
compared without spaces (clients send ``CV49EE`` for ``CV4 9EE``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from lrs_soap.domain.errors import InvalidRequest
from lrs_soap.domain.learner_problems import LearnerProblem, worded

_BFPO = re.compile(r"BFPO(\d{1,4})")
# Characters that reorder how text is shown (U+202E makes "Smith" display as "htimS"): a
# name holding one is not what it looks like, in our lists or anyone's. Refused, not kept.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                          "\u2066\u2067\u2068\u2069")
# A UK postcode without its space is 5 to 7 characters: the inward code is always the last 3.
_UK_COMPACT_LENGTHS = range(5, 8)


@lru_cache(maxsize=65536)
def name_key(name: str | None) -> str:
    """A name reduced to lower-case letters and digits, accents and punctuation removed.

    "O'Brien-Smith " and "obrien smith" give the same key; so do "Zoë" and "ZOE".
    """
    if not name:
        return ""
    # casefold first ("ß" -> "ss"), then NFKD so accents split off as combining marks.
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))


def has_bidi_control(text: str | None) -> bool:
    return bool(text) and not BIDI_CONTROLS.isdisjoint(text)


def name_problem(field: str, name: str | None, *,
                 required: bool = True) -> LearnerProblem | None:
    """Why the name in ``field`` (an attribute: ``given_name``) cannot be used (None: it
    can), on every operation, face and batch kind.

    A name needs a letter: one of only emoji or punctuation reduces to an empty match key,
    which would match every other such name.
    """
    if name is None or not name.strip():
        return LearnerProblem(field, "must not be blank") if required else None
    if has_bidi_control(name):
        return LearnerProblem(field, "must not contain bidirectional control characters")
    if not any(c.isalpha() for c in name):
        return LearnerProblem(field, "must contain a letter")
    return None


def query_name_problems(given_name: str | None,
                        family_name: str | None) -> list[LearnerProblem]:
    """The names a caller searches or verifies with, under the same rule as registration."""
    return [problem for problem in (name_problem("given_name", given_name),
                                    name_problem("family_name", family_name)) if problem]


def check_query_names(given_name: str | None, family_name: str | None,
                      label: Callable[[str], str]) -> None:
    """Single calls: a bad name is fault WSEC0001, as RegisterLearner answers it, its field
    named by ``label`` (the faces' wording, ServiceContext.field_label)."""
    problems = query_name_problems(given_name, family_name)
    if problems:
        raise InvalidRequest(worded(problems, label))


def postcode_key(postcode: str | None) -> str:
    """The postcode upper-cased with every whitespace character removed."""
    if not postcode:
        return ""
    return "".join(postcode.split()).upper()


def normalise_postcode(postcode: str | None) -> str:
    """The stored form: upper case, one space before the inward code (``CV4 9EE``).

    BFPO postcodes become ``BFPO 1234``. Anything that does not look like a UK postcode is
    returned upper-cased with its whitespace removed, so validation can reject it as given.
    """
    compact = postcode_key(postcode)
    bfpo = _BFPO.fullmatch(compact)
    if bfpo:
        return f"BFPO {bfpo.group(1)}"
    if len(compact) in _UK_COMPACT_LENGTHS:
        return f"{compact[:-3]} {compact[-3:]}"
    return compact
