"""A zeep reply as plain data, and how one value of it reads in a table cell."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from zeep.xsd.valueobjects import CompoundValue


def to_data(obj: Any) -> Any:
    """A zeep reply as plain JSON-able data, keys in contract order.

    Dates become YYYY-MM-DD; a wrapper whose only child repeats (``LinkedULNs`` holding
    ``ULN`` elements) becomes the list itself, ``[]`` when the wrapper is empty.
    """
    if isinstance(obj, CompoundValue | dict):
        wrappers = _list_wrappers(obj)
        data = {key: [] if obj[key] is None and key in wrappers else to_data(obj[key])
                for key in obj}
        if len(data) == 1 and isinstance(only := next(iter(data.values())), list):
            return only
        return data
    if isinstance(obj, list):
        return [to_data(item) for item in obj]
    if isinstance(obj, dt.date):  # datetime is a date too
        return obj.isoformat()
    if isinstance(obj, Decimal):
        return str(obj)
    return obj


def _list_wrappers(obj: Any) -> set[str]:
    """Names of child elements whose type holds nothing but one repeating element.

    zeep reads an empty ``<LinkedULNs/>`` as None; the schema says it is an empty list.
    """
    names = set()
    for name, element in getattr(getattr(obj, "_xsd_type", None), "elements", ()):
        children = getattr(element.type, "elements", None)
        if children and len(children) == 1 and children[0][1].accepts_multiple:
            names.add(name)
    return names


def cell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(cell(item) for item in value)
    return str(value)


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}
