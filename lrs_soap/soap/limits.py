"""How many tree nodes a request may build for its size, counted on the raw bytes before any
tree is built.

What a parsed request costs is its nodes: libxml2 spends 128 bytes on an element or a text
node (short text is kept inside the node) and about twice that on an attribute or a namespace
declaration. A 16 MiB body of tiny elements (``<a/>`` is 4 bytes) cost 650-750 MiB in one
worker; one of attributes at one element per 20 bytes still cost 46 times its size. So the
budget counts nodes, not elements: every element, every text node the parser keeps (it drops
the blanks between elements: request_reading parses with remove_blank_text), and two for each
``=`` (an attribute or a namespace declaration). One node per 16 bytes keeps the densest
allowed tree at 8 times the body's size, and the whole request, body included, under 10
(tests/hostile/test_request_memory.py measures every shape); real messages spend 18 bytes a
node or more (a 10,000-record achievement batch as the native face, PHP's SoapClient or WCF
write it), and the few shorter ones are small (SMALL_DOCUMENT_NODES), so nothing real is
refused. Depth needs no check of ours: libxml2 refuses documents
nested deeper than 256 (huge_tree is off).
"""

from __future__ import annotations

import re

BYTES_PER_NODE = 16
# Any body may build this many, however short (half a MiB of tree): short records, such as a
# 200-record verification batch of short names at 14 bytes a node, are taken whole.
SMALL_DOCUMENT_NODES = 4096
_BLANKS = b" \t\r\n"
# Blanks the parser keeps: an element's whole content (``<a> </a>``); counted wherever blanks
# stand before an end tag, which can only count too many.
_KEPT_BLANKS = re.compile(rb">[ \t\r\n]+</")


def node_budget(size: int) -> int:
    return SMALL_DOCUMENT_NODES + size // BYTES_PER_NODE


def nodes_at_most(body: bytes) -> int:
    """How many nodes parsing ``body`` can build, counted so that it is never too few.

    Elements: every ``<`` that opens no end tag, comment, CDATA, declaration or processing
    instruction (text in CDATA or comments can only add to the count). Text nodes: every ``>``
    not followed by a ``<`` once blanks are gone, the kept blanks, and every CDATA section.
    Attributes and namespace declarations: every ``=``, twice.
    """
    elements = (body.count(b"<") - body.count(b"</") - body.count(b"<!")
                - body.count(b"<?"))
    bare = body.translate(None, _BLANKS)
    texts = (bare.count(b">") - bare.count(b"><") + len(_KEPT_BLANKS.findall(body))
             + body.count(b"<![CDATA["))
    return elements + texts + 2 * body.count(b"=")


def too_many_nodes(body: bytes) -> str | None:
    """Why the body would build too big a tree for its size (None: it would not)."""
    if 2 * len(body) <= node_budget(len(body)):
        # nodes_at_most never exceeds two per byte (each term counts a distinct "<", ">" or
        # "=", at most twice): a short body cannot be over budget, so it is not scanned.
        return None
    nodes, budget = nodes_at_most(body), node_budget(len(body))
    if nodes <= budget:
        return None
    return (f"the request has about {nodes} elements, texts and attributes in {len(body)} "
            f"bytes; at most {budget} are accepted for its size (one per {BYTES_PER_NODE} "
            "bytes)")
