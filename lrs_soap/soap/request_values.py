"""Reading values out of a validated request tree: the one set of helpers every SOAP face
uses (an unqualified child is named with namespace ``""``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from lxml import etree

from lrs_soap.domain.errors import InvalidRequest
from lrs_soap.soap.contract import XSI_NS

NIL = f"{{{XSI_NS}}}nil"


def is_nil(element: etree._Element | None) -> bool:
    return element is not None and element.get(NIL) in ("true", "1")


def child(parent: etree._Element | None, namespace: str, name: str) -> etree._Element | None:
    """The named child, or None when it is absent or nil."""
    if parent is None:
        return None
    # iterchildren, not find: find goes through lxml's ElementPath (2.2 against 0.8 µs)
    found = next(parent.iterchildren(f"{{{namespace}}}{name}"), None)
    return None if found is None or is_nil(found) else found


def child_text(parent: etree._Element | None, namespace: str, name: str) -> str | None:
    """The named child's text ("" for an empty element), or None when absent or nil."""
    found = child(parent, namespace, name)
    return None if found is None else (found.text or "")


def iter_children(parent: etree._Element | None, namespace: str,
                  name: str) -> Iterable[etree._Element]:
    return () if parent is None else parent.iterchildren(f"{{{namespace}}}{name}")


def blank_to_none(value: str | None) -> str | None:
    value = value.strip() if value is not None else None
    return value or None


def date_in(text: str | None, name: str) -> dt.date | None:
    """A date's text (whitespace around it allowed, as xs:date allows it); None when blank."""
    text = blank_to_none(text)
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidRequest(f"{name} {text!r} is not a date (yyyy-MM-dd)") from None
