"""The node budget (soap/limits.py) counts on the raw bytes: never fewer nodes than the
request parser really builds, whatever the shape, so nothing can slip past it."""

from __future__ import annotations

import pytest
from lxml import etree

from lrs_soap.soap.limits import nodes_at_most
from lrs_soap.soap.request_reading import REQUEST_PARSER_OPTIONS

SHAPES = {
    "compact record": b"<r><a>1</a><b>two</b><c/></r>",
    "indented record": b"<r>\n  <a>1</a>\n  <b> two </b>\n  <c/>\n</r>",
    "blank leaves": b"<r><a> </a><b>\n\t</b></r>",
    "mixed content": b"<r><a/>x<a/>y<a/> z </r>",
    "attributes": b'<r a="1" b="2"><c d="&amp;"/></r>',
    "namespace declarations": b'<p:r xmlns:p="u" xmlns:q="v"><q:a xmlns:s="w"/></p:r>',
    "cdata and comments": b"<r><![CDATA[a<b]]><!-- <x/> --><?pi x?><a>t</a></r>",
    "entities": b"<r>a &lt; b<a>&#x41;</a></r>",
}


def built_nodes(body: bytes) -> int:
    root = etree.fromstring(body, etree.XMLParser(**REQUEST_PARSER_OPTIONS))
    nodes = 0
    for element in root.iter():
        nodes += 1 + bool(element.text) + bool(element.tail and element is not root)
        nodes += 2 * (len(element.attrib) + len(element.nsmap)
                      - len(element.getparent().nsmap if element.getparent() is not None
                            else {}))
    return nodes


@pytest.mark.parametrize("shape", SHAPES)
def test_the_count_is_never_below_what_the_parser_builds(shape):
    body = SHAPES[shape]
    assert nodes_at_most(body) >= built_nodes(body)


def test_blanks_between_elements_build_nothing_and_count_almost_nothing():
    compact, indented = b"<r><a/><b/></r>", b"<r>\n  <a/>\n  <b/>\n</r>"
    assert built_nodes(indented) == built_nodes(compact) == 3
    # the blanks before an end tag count once (they are kept in <a> </a>)
    assert nodes_at_most(indented) <= nodes_at_most(compact) + 1
