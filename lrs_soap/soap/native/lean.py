"""A lean response writer and request reader for the native face's Spyne models: the same
XML and the same values Spyne's protocol gives, straight with lxml.

Spyne keeps the contract (the models and operations). Turning a result into XML through its
object model (``to_parent`` for every field, attribute lookups per class) was a fifth of a
FindByULN call (docs/performance.md, R2); here each output message class gets a plan once,
and writing a response is a walk over the plan. The contract tests validate every response
the tests produce, so the wire cannot drift unnoticed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from operator import attrgetter
from types import SimpleNamespace

from lxml import etree
from spyne import AnyXml, Date, DateTime, Integer
from spyne.model.complex import ComplexModelBase
from spyne.model.primitive import Boolean

Writer = Callable[[etree._Element, str, object], None]


@dataclass(frozen=True)
class Field:
    tag: str
    many: bool
    write: Writer


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


def _leaf(parent: etree._Element, tag: str, value: object) -> None:
    etree.SubElement(parent, tag).text = value if type(value) is str else _text(value)


def _boolean(parent: etree._Element, tag: str, value: object) -> None:
    etree.SubElement(parent, tag).text = "true" if value else "false"


@cache
def plan(cls: type) -> tuple[Field, ...]:
    """How to write an instance of the Spyne complex model ``cls``: its fields in order
    (base class first), each qualified in the class's namespace."""
    namespace = cls.get_namespace()
    fields = []
    for name, kind in cls.get_flat_type_info(cls).items():
        many = (kind.Attributes.max_occurs or 1) > 1
        if issubclass(kind, ComplexModelBase):
            write = _complex(plan(kind))
        elif issubclass(kind, Boolean):
            write = _boolean
        else:
            write = _leaf
        fields.append(Field(f"{{{namespace}}}{name}", many, write))
    return tuple(fields)


def _complex(fields: tuple[Field, ...]) -> Writer:
    names = tuple(field.tag.rpartition("}")[2] for field in fields)
    # All the fields in one C call; a value that lacks one (optional, never set) is read
    # field by field, an absent field as None.
    every = attrgetter(*names) if len(names) > 1 else (
        lambda value: tuple(getattr(value, name) for name in names))

    def write(parent: etree._Element, tag: str, value: object) -> None:
        try:
            values = every(value)
        except AttributeError:
            values = [getattr(value, name, None) for name in names]
        _fill(etree.SubElement(parent, tag), fields, values)
    return write


def _fill(element: etree._Element, fields: tuple[Field, ...], values) -> None:
    for field, value in zip(fields, values, strict=False):
        if value is None:
            continue  # optional and absent: omitted, as Spyne does
        if field.many:
            for item in value:
                field.write(element, field.tag, item)
        else:
            field.write(element, field.tag, value)


def response(out_message: type, values) -> etree._Element:
    """The answer element of a wrapped operation: ``values`` in the order of the output
    message's fields, written by its plan (prefixes as Spyne's: the envelope declares tns)."""
    wrapper = etree.Element(f"{{{out_message.get_namespace()}}}{out_message.get_type_name()}",
                            nsmap={"tns": out_message.get_namespace()})
    _fill(wrapper, plan(out_message), values)
    return wrapper


# ----- requests -----

class Arguments(list):
    """A wrapped request's arguments in order, as Spyne passes them to the operation, and by
    name."""

    def __init__(self, names: tuple[str, ...], values: list[object]):
        super().__init__(values)
        self.__dict__.update(zip(names, values, strict=True))


Reader = Callable[[etree._Element], object]


def _read_text(element: etree._Element) -> object:
    return element.text or ""


def _reader(kind: type) -> Reader | None:
    """How to turn one validated element into the value Spyne would have given."""
    if issubclass(kind, ComplexModelBase):
        fields = {f"{{{kind.get_namespace()}}}{name}": (name, _reader(sub))
                  for name, sub in kind.get_flat_type_info(kind).items()}
        names = tuple(name for name, _ in fields.values())

        def read_complex(element: etree._Element) -> object:
            values = dict.fromkeys(names)
            for child in element:
                found = fields.get(child.tag)
                if found is not None and found[1] is not None:
                    values[found[0]] = found[1](child)
            return SimpleNamespace(**values)
        return read_complex
    if issubclass(kind, AnyXml):
        return None  # records are read from the tree by the operation itself
    if issubclass(kind, Boolean):
        return lambda element: (element.text or "").strip() in ("true", "1")
    if issubclass(kind, Integer):
        return lambda element: int(element.text)
    if issubclass(kind, Date):  # before DateTime: Spyne's Date is one
        return lambda element: dt.date.fromisoformat(element.text.strip())
    if issubclass(kind, DateTime):
        return lambda element: dt.datetime.fromisoformat(element.text.strip())
    return _read_text


def element_reader(kind: type) -> Reader:
    """How to read one validated element of the complex model ``kind``."""
    return _reader(kind)


@cache
def request_plan(in_message: type) -> tuple[tuple[str, ...], dict[str, tuple[int, Reader]]]:
    namespace = in_message.get_namespace()
    names = tuple(in_message._type_info)
    return names, {f"{{{namespace}}}{name}": (index, _reader(kind))
                   for index, (name, kind) in enumerate(in_message._type_info.items())}


def read_arguments(in_message: type, body: etree._Element) -> Arguments:
    """The arguments of a schema-valid wrapped request, straight from the tree."""
    names, readers = request_plan(in_message)
    values: list[object] = [None] * len(names)
    for child in body:
        found = readers.get(child.tag)
        if found is not None and found[1] is not None and values[found[0]] is None:
            values[found[0]] = found[1](child)
    return Arguments(names, values)
