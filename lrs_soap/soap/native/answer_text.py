"""The native face's answers written as text: the bytes lxml would serialise, without a tree.

Building an answer element by element with lxml cost about 12,000 instructions a field
(the Clark name parsed, its namespace looked up, a proxy made) and the whole answer about a
sixth of a FindByULN call: as much as the ceiling spends on its own answer
(docs/performance.md). Every native answer is in one namespace, written with the ``tns``
prefix the envelope declares (soap.faults.NSMAP), so each element is a pair of fixed strings
and each value is escaped as libxml2 escapes text: ``& < >`` and carriage return. A value
XML cannot hold (a control character, say) is refused with ValueError, as lxml refuses it.
tests/contract/test_native_answer_text.py compares these bytes with lxml's for every kind of
field and for generated text.

Each output message class gets a plan once (its fields in order, base class first); writing
an answer is a walk over the plan.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from operator import attrgetter

from spyne.model.complex import ComplexModelBase
from spyne.model.primitive import Boolean

from lrs_soap.soap.contract import NATIVE_NS
from lrs_soap.soap.intake import WrittenAnswer

PREFIX = "tns"  # the envelope's prefix for the native namespace (soap.faults.NSMAP)
# The elements whose text is the call's code, for the journal (soap.journal_reading).
CODE_ELEMENTS = frozenset({"ResponseCode", "ErrorCode"})
# What XML 1.0 cannot hold: refused, as lxml refuses it when a tree's text is set.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# What needs a second look: the escaped characters, or any XML cannot hold (most text has
# neither, and is written as it is after this one search).
_ATTENTION = re.compile("[&<>\r]|[^\t\n\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

Writer = Callable[[list, "Field", object], None]


def escaped(text: str) -> str:
    """``text`` as libxml2 writes an element's text."""
    if _ATTENTION.search(text) is None:
        return text
    if _NOT_XML.search(text):
        raise ValueError("All strings must be XML compatible: Unicode or ASCII, no NULL "
                         "bytes or control characters")
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\r", "&#13;"))


def _text(value: object) -> str:
    if type(value) is str:
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True)
class Field:
    name: str
    many: bool
    write: Writer
    opening: str  # "<tns:Name>"
    closing: str  # "</tns:Name>"
    empty: str  # "<tns:Name/>"
    code: bool  # its text is the call's code


def _leaf(out: list, field: Field, value: object) -> None:
    out += (field.opening, escaped(_text(value)), field.closing)


def _boolean(out: list, field: Field, value: object) -> None:
    out += (field.opening, "true" if value else "false", field.closing)


@cache
def plan(cls: type) -> tuple[Field, ...]:
    """How to write an instance of the Spyne complex model ``cls``: its fields in order."""
    if cls.get_namespace() != NATIVE_NS:
        raise TypeError(f"{cls.__name__} is not in the native namespace: written as text, "
                        "its elements would need a namespace declaration")
    fields = []
    for name, kind in cls.get_flat_type_info(cls).items():
        if issubclass(kind, ComplexModelBase):
            write = _complex(plan(kind))
        elif issubclass(kind, Boolean):
            write = _boolean
        else:
            write = _leaf
        fields.append(Field(name, (kind.Attributes.max_occurs or 1) > 1, write,
                            f"<{PREFIX}:{name}>", f"</{PREFIX}:{name}>", f"<{PREFIX}:{name}/>",
                            name in CODE_ELEMENTS and write is _leaf))
    return tuple(fields)


def _complex(fields: tuple[Field, ...]) -> Writer:
    names = tuple(field.name for field in fields)
    # All the fields in one C call; a value that lacks one (optional, never set) is read
    # field by field, an absent field as None.
    every = attrgetter(*names) if len(names) > 1 else (
        lambda value: tuple(getattr(value, name) for name in names))

    def write(out: list, field: Field, value: object) -> None:
        try:
            values = every(value)
        except AttributeError:
            values = [getattr(value, name, None) for name in names]
        _element(out, field.opening, field.closing, field.empty, fields, values)
    return write


def _element(out: list, opening: str, closing: str, empty: str, fields: tuple[Field, ...],
             values) -> None:
    start = len(out)
    out.append(opening)
    for field, value in zip(fields, values, strict=False):
        if value is None:
            continue  # optional and absent: omitted, as Spyne does
        if field.many:
            for item in value:
                field.write(out, field, item)
        else:
            field.write(out, field, value)
    if len(out) == start + 1:  # no children: lxml writes an empty element
        out[start] = empty
    else:
        out.append(closing)


def response(out_message: type, values) -> WrittenAnswer:
    """The answer element of a wrapped operation, as text: ``values`` in the order of the
    output message's fields; its code is the first code element's text."""
    name = out_message.get_type_name()
    fields = plan(out_message)
    out: list[str] = []
    _element(out, f"<{PREFIX}:{name}>", f"</{PREFIX}:{name}>", f"<{PREFIX}:{name}/>",
             fields, values)
    code = next((text.strip()[:20] for field, text in zip(fields, values, strict=False)
                 if field.code and isinstance(text, str) and text.strip()), None)
    return WrittenAnswer("".join(out), code)
