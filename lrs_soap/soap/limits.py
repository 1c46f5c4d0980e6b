"""How many elements a request may have for its size, checked on the raw bytes before any
tree is built.

A parsed element costs lxml about 120 bytes (more with its text), so a 16 MiB body of tiny
elements (``<a/>`` is 4 bytes) cost 650-750 MiB in one worker. Real messages spend at least
20 bytes an element (``<v:Gender>2</v:Gender>`` is 22; a 10,000-record achievement batch
averages over 30), so allowing one element per 20 bytes refuses nothing real and keeps any
request within the size limit under 10 times its size in memory. Depth needs no check of
ours: libxml2 refuses documents nested deeper than 256 (huge_tree is off).
"""

from __future__ import annotations

from collections.abc import Iterable

BYTES_PER_ELEMENT = 20
SMALL_DOCUMENT_ELEMENTS = 64  # any body may have this many, however short


def element_budget(size: int) -> int:
    return SMALL_DOCUMENT_ELEMENTS + size // BYTES_PER_ELEMENT


def too_many_elements(chunks: Iterable[bytes]) -> str | None:
    """Why the body has too many elements for its size (None: it has not).

    Counts start tags from below: every ``<`` that does not open an end tag, a comment,
    CDATA, a declaration or a processing instruction. Text in CDATA or comments can only
    add to the count, never hide an element, so the count is never low.
    """
    size = starts = 0
    for chunk in chunks:
        size += len(chunk)
        starts += (chunk.count(b"<") - chunk.count(b"</") - chunk.count(b"<!")
                   - chunk.count(b"<?"))
    budget = element_budget(size)
    if starts <= budget:
        return None
    return (f"the request has about {starts} elements in {size} bytes; at most "
            f"{budget} are accepted for its size (one per {BYTES_PER_ELEMENT} bytes)")
