"""Normalised forms of names and postcodes, used to store match keys and compare demographics.

lrs-rules 2.4 suggests case-insensitive, whitespace-normalised comparison and postcodes
compared without spaces (clients send ``CV49EE`` for ``CV4 9EE``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_BFPO = re.compile(r"BFPO(\d{1,4})")
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
