"""A lean request reader for the native face's Spyne models: the values Spyne's protocol
would give, straight from the validated tree.

Spyne keeps the contract (the models and operations); reading a request through its object
model cost more than the operation. Answers are written by soap.native.answer_text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache
from types import SimpleNamespace

from lxml import etree
from spyne import AnyXml, Date, DateTime, Integer
from spyne.model.complex import ComplexModelBase
from spyne.model.primitive import Boolean


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
