"""The native face writes its answers as text (soap.native.answer_text): the bytes must be
the ones lxml writes for the same answer built as a tree, for every operation's answer and
for any text a field may hold; and the code the journal takes from the text must be the one
it would read from the tree."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from spyne import Date, DateTime, Integer
from spyne.model.complex import ComplexModelBase
from spyne.model.primitive import Boolean

from lrs_soap.domain.access import NATIVE, OPERATIONS
from lrs_soap.soap.faults import NativeFaults
from lrs_soap.soap.journal_reading import EnvelopeReader
from lrs_soap.soap.native import answer_text
from lrs_soap.soap.native.app import NativeApplication

APPLICATION = NativeApplication()
OUT_MESSAGES = {name: APPLICATION.descriptor(name).out_message for name in OPERATIONS[NATIVE]}
FAULTS = NativeFaults()
READER = EnvelopeReader({})

# Text XML 1.0 can hold, with what must be escaped and what must not, made likely.
XML_TEXT = st.text(st.one_of(
    st.sampled_from("&<>\r\n\t\"' ;#]]>"),
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00",
                  min_codepoint=0x20)))


def tree_answer(cls: type, values) -> etree._Element:
    """The oracle: the answer built with lxml, as the native face built it before it wrote
    text (spyne's field order, absent fields omitted, booleans as true/false)."""
    namespace = cls.get_namespace()
    answer = etree.Element(f"{{{namespace}}}{cls.get_type_name()}", nsmap={"tns": namespace})
    _tree_fields(answer, cls, values)
    return answer


def _tree_fields(element: etree._Element, cls: type, values) -> None:
    namespace = cls.get_namespace()
    for (name, kind), value in zip(cls.get_flat_type_info(cls).items(), values, strict=False):
        if value is None:
            continue
        for item in (value if (kind.Attributes.max_occurs or 1) > 1 else [value]):
            child = etree.SubElement(element, f"{{{namespace}}}{name}")
            if issubclass(kind, ComplexModelBase):
                _tree_fields(child, kind, [getattr(item, field, None)
                                           for field in kind.get_flat_type_info(kind)])
            elif isinstance(item, bool):
                child.text = "true" if item else "false"
            elif isinstance(item, dt.date | dt.datetime):
                child.text = item.isoformat()
            else:
                child.text = str(item)


def _value(kind: type, draw, depth: int):
    if issubclass(kind, ComplexModelBase):
        return SimpleNamespace(**{name: _field(sub, draw, depth + 1)
                                  for name, sub in kind.get_flat_type_info(kind).items()})
    if issubclass(kind, Boolean):
        return draw(st.booleans())
    if issubclass(kind, Integer):
        return draw(st.integers(-10**12, 10**12))
    if issubclass(kind, Date):
        return draw(st.dates())
    if issubclass(kind, DateTime):
        return draw(st.datetimes(timezones=st.none() | st.just(dt.UTC)))
    return draw(XML_TEXT)


def _field(kind: type, draw, depth: int):
    if depth > 4 or draw(st.integers(0, 4)) == 0:
        return None  # optional and absent
    if (kind.Attributes.max_occurs or 1) > 1:
        return [_value(kind, draw, depth) for _ in range(draw(st.integers(0, 2)))]
    return _value(kind, draw, depth)


def values_for(cls: type, draw) -> list:
    return [_field(kind, draw, 0) for kind in cls.get_flat_type_info(cls).values()]


@pytest.mark.parametrize("operation", sorted(OUT_MESSAGES))
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_every_answer_is_written_as_lxml_writes_it(operation, data):
    cls = OUT_MESSAGES[operation]
    values = values_for(cls, data.draw)
    written = answer_text.response(cls, values)
    tree = tree_answer(cls, values)
    assert FAULTS.envelope(written) == FAULTS.envelope(tree)
    # The journal's code for the call: taken from the text (or, when its top level holds
    # none, from the bytes), the same as from the tree.
    body = FAULTS.envelope(written)
    assert READER.code(body, 200, {"answer": written}) == READER.code(body, 200,
                                                                      {"answer": tree})


@settings(max_examples=300, deadline=None)
@given(text=XML_TEXT)
def test_any_text_is_escaped_as_libxml2_escapes_it(text):
    cls = OUT_MESSAGES["RegisterLearner"]
    values = ["WSRC0000", "1026893096", text]
    assert FAULTS.envelope(answer_text.response(cls, values)) == FAULTS.envelope(
        tree_answer(cls, values))


@pytest.mark.parametrize("bad", ["\x00", "a\x01b", "\x1f", "\ufffe", "\ud800"])
def test_text_xml_cannot_hold_is_refused_as_lxml_refuses_it(bad):
    cls = OUT_MESSAGES["RegisterLearner"]
    with pytest.raises(ValueError):
        tree_answer(cls, ["WSRC0000", None, bad])
    with pytest.raises(ValueError):
        FAULTS.envelope(answer_text.response(cls, ["WSRC0000", None, bad]))


def test_an_answer_with_no_fields_is_an_empty_element():
    cls = OUT_MESSAGES["FindByULN"]
    written = answer_text.response(cls, [None, None])
    assert written.xml == "<tns:FindByULNResponse/>"
    assert FAULTS.envelope(written) == FAULTS.envelope(tree_answer(cls, [None, None]))
