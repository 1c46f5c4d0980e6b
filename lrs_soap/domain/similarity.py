"""The one definition of "two names compare": EXACT, SIMILAR or DIFFERENT.

Every rule that compares a supplied name with a held one (find by demographics, verify,
duplicate checks) goes through :func:`compare_names`, so the gateway has one notion of
"similar". Names are first reduced to keys by :func:`lrs_soap.domain.names.name_key`
(lower case, accents, spaces, hyphens, apostrophes and full stops removed).

- **DIFFERENT** whenever either key is empty (a blank or missing held value never matches;
  the caller decides whether a missing value is worth asking about).
- **EXACT** when the two keys are equal: "O'Brien-Smith" / "obrien smith", "Chloé" / "CHLOE".
- **SIMILAR** when not exact and any of:

  a. *whole part*: both names split into parts on whitespace and hyphens (each part keyed),
     one name has several parts and every part of the other is one of them:
     "Smith" / "Jones-Smith", "Mary" / "Mary Ann", "Mary Ann" / "Ann-Mary";
  b. *one slip*: Damerau-Levenshtein distance (optimal string alignment) 1 between the
     keys, the shorter key at least 4 letters: "Jonathon" / "Jonathan", "Smtih" / "Smith",
     "Davis" / "Davies";
  c. *close spelling*: Jaro-Winkler similarity >= 0.88 between the keys, the shorter key
     at least 4 letters: "Stephen" / "Steven", "Christopher" / "Kristopher";
  d. *short form*: one key is a prefix of the other and the shorter has at least 3
     letters: "Sam" / "Samuel", "Chris" / "Christopher", "Ann" / "Anna-Marie".
- **DIFFERENT** otherwise: "Sam" / "Tom", "Smith" / "Jones", "Martin" / "Martha".

Why these thresholds (measured on the table in tests/unit/test_similarity.py):
three-letter names are too short for edit distance or Jaro-Winkler ("Tom" / "Tim",
"Ian" / "Ann" differ by one or two letters yet are different people), hence the minimum
of 4; the price is that "Jon" / "John" is DIFFERENT. Jaro-Winkler 0.88 sits in the gap
between spelling variants that edit distance misses ("Stephen" / "Steven" 0.894,
"Christopher" / "Kristopher" 0.906) and different names that share a start
("Martin" / "Martha", "Oliver" / "Olivia", "Jack" / "Jake" all 0.867,
"Mohammed" / "Muhammad" 0.850). 0.90, the textbook value, would lose "Stephen" / "Steven".
It also lets "Jones" / "Johns" (0.893) through: acceptable, because SIMILAR only ever
leads to a *possible* match or a *similar* verification, never to an exact one.
"Ann" / "Anna-Marie" is SIMILAR by the short-form rule: "Ann" is a common short form, and
a similar name alone never identifies a learner.
"""

from __future__ import annotations

import re
from enum import Enum
from functools import lru_cache

from lrs_soap.domain.names import name_key

MIN_FUZZY_LENGTH = 4  # shortest key on which edit distance or Jaro-Winkler may apply
MIN_PREFIX_LENGTH = 3  # shortest key that may count as a short form of a longer one
JARO_WINKLER_THRESHOLD = 0.88
_PART_SEPARATORS = re.compile(r"[\s\-\u2010\u2011\u2012\u2013\u2014]+")


class Comparison(Enum):
    EXACT = "exact"
    SIMILAR = "similar"
    DIFFERENT = "different"


@lru_cache(maxsize=65536)  # names repeat: a search compares the same few against many
def compare_names(supplied: str | None, held: str | None) -> Comparison:
    """Compare a supplied name with a held one (symmetric: the order does not matter)."""
    a, b = name_key(supplied), name_key(held)
    if not a or not b:
        return Comparison.DIFFERENT
    if a == b:
        return Comparison.EXACT
    if _shares_whole_part(supplied or "", held or "") or _close(a, b):
        return Comparison.SIMILAR
    return Comparison.DIFFERENT


def name_parts(name: str) -> tuple[str, ...]:
    """The keyed parts of a name split on whitespace and hyphens, empty parts dropped."""
    return tuple(k for k in (name_key(p) for p in _PART_SEPARATORS.split(name)) if k)


def _shares_whole_part(a: str, b: str) -> bool:
    parts_a, parts_b = set(name_parts(a)), set(name_parts(b))
    if len(parts_a) > 1 or len(parts_b) > 1:
        return parts_a <= parts_b or parts_b <= parts_a
    return False


def _close(a: str, b: str) -> bool:
    shorter, longer = sorted((a, b), key=len)
    if len(shorter) >= MIN_PREFIX_LENGTH and longer.startswith(shorter):
        return True
    if len(shorter) < MIN_FUZZY_LENGTH:
        return False
    if len(longer) - len(shorter) <= 1 and damerau_levenshtein(a, b) <= 1:
        return True  # one edit changes the length by at most one
    return (_jaro_winkler_bound(a, b) >= JARO_WINKLER_THRESHOLD
            and jaro_winkler(a, b) >= JARO_WINKLER_THRESHOLD)


def _jaro_winkler_bound(a: str, b: str) -> float:
    """An upper bound of jaro_winkler(a, b), cheap enough to skip most exact computations:
    Jaro can match no more characters than the two names have in common (with counts),
    and counts no transposition at best; Winkler's prefix bonus is then exact."""
    common = sum(min(a.count(c), b.count(c)) for c in set(a))
    if common == 0:
        return 0.0
    best = (common / len(a) + common / len(b) + 1) / 3
    prefix = 0
    for x, y in zip(a[:4], b[:4], strict=False):
        if x != y:
            break
        prefix += 1
    return best + prefix * 0.1 * (1 - best)


def damerau_levenshtein(a: str, b: str) -> int:
    """Edits (insert, delete, substitute, swap adjacent) turning a into b.

    The optimal-string-alignment variant: no substring is edited twice. It agrees with the
    unrestricted distance whenever the answer is 0 or 1, which is all the rules use.
    """
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]


def jaro(a: str, b: str) -> float:
    """Jaro similarity in [0, 1]; computed on the ordered pair so it is exactly symmetric."""
    if a > b:
        a, b = b, a
    if not a or not b:
        return 1.0 if a == b else 0.0
    window = max(max(len(a), len(b)) // 2 - 1, 0)
    taken = [False] * len(b)
    matched_a: list[str] = []
    for i, ca in enumerate(a):
        for j in range(max(0, i - window), min(len(b), i + window + 1)):
            if not taken[j] and b[j] == ca:
                taken[j] = True
                matched_a.append(ca)
                break
    m = len(matched_a)
    if m == 0:
        return 0.0
    matched_b = [cb for cb, t in zip(b, taken, strict=True) if t]
    transpositions = sum(x != y for x, y in zip(matched_a, matched_b, strict=True)) / 2
    return (m / len(a) + m / len(b) + (m - transpositions) / m) / 3


def jaro_winkler(a: str, b: str, scaling: float = 0.1) -> float:
    """Jaro similarity boosted by a shared prefix of up to four characters (Winkler 1990)."""
    similarity = jaro(a, b)
    prefix = 0
    for x, y in zip(a[:4], b[:4], strict=False):
        if x != y:
            break
        prefix += 1
    return similarity + prefix * scaling * (1 - similarity)
