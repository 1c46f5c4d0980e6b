"""LearnerService.svc wire conventions (lrs-wire.md 2.4-2.7): namespaces, prefixes, how
values are written, and reading a validated request. No rules here.

Responses as the live Java back end writes them: the root element qualified in its message
namespace with the prefix ``ns2``, every descendant unqualified, absent optional values
omitted (never xsi:nil), dates ``YYYY-MM-DD`` and timestamps ``YYYY-MM-DD HH:MM:SS`` in UK
time.
"""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape

from lxml import etree

from lrs_soap.domain.calendar import UK
from lrs_soap.record_elements import DATE_FIELDS
from lrs_soap.service.accounts import Credentials
from lrs_soap.soap import request_values

MIAP = "http://api.lrs.miap.gov.uk"
FINDMSG = f"{MIAP}/findmsg"
REGMSG = f"{MIAP}/regmsg"
BATCHMSG = f"{MIAP}/batchmsg"
VLDMSG = f"{MIAP}/vldmsg"
REPORTMSG = f"{MIAP}/reportmsg"
LEARNER = f"{MIAP}/learner"
EXCEPTIONS = f"{MIAP}/exceptions"

ROOT_PREFIX = "ns2"  # as in the captured live responses
FAULT_PREFIX = "ns10"  # a live client finds faults with a regex on "ns10:MIAPAPIException"


def root(namespace: str, name: str) -> etree._Element:
    """A response's root element, qualified in its message namespace."""
    return etree.Element(f"{{{namespace}}}{name}", nsmap={ROOT_PREFIX: namespace})


def text_of(value: object) -> str | None:
    """A value as the wire writes it; None (left out) when there is nothing to write."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return timestamp(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def add(parent: etree._Element, tag: str, value: object) -> etree._Element | None:
    """An unqualified child holding ``value``; nothing when the value is absent or empty."""
    text = text_of(value)
    if text is None:
        return None
    child = etree.SubElement(parent, tag)
    child.text = text
    return child


def linked_ulns(parent: etree._Element, ulns: tuple[str, ...]) -> None:
    """``<LinkedULNs xmlns="…/learner">`` with unqualified ``<ULN xmlns="">`` children,
    present even when empty. Parsed rather than built: lxml writes no ``xmlns=""`` for an
    unqualified child of a default-namespace element, which would put ULN in the learner
    namespace."""
    items = "".join(f'<ULN xmlns="">{escape(uln)}</ULN>' for uln in ulns)
    parent.append(etree.fromstring(f'<LinkedULNs xmlns="{LEARNER}">{items}</LinkedULNs>'))


# ----- requests (already valid against xsd/lrs-learner-service.xsd) -----

def child_text(element: etree._Element, tag: str) -> str | None:
    """The text of an unqualified child; None when absent, empty or xsi:nil."""
    return request_values.child_text(element, "", tag) or None


def children(element: etree._Element) -> dict[str, str | None]:
    """Every child as {element name: text}, absent and empty values as None; dates without
    the surrounding whitespace the schema allows them (xs:date collapses it)."""
    values = {}
    for child in element:
        if isinstance(child.tag, str):
            name = etree.QName(child).localname
            text = child.text.strip() if child.text and name in DATE_FIELDS else child.text
            values[name] = text or None
    return values


def date_in(element: etree._Element, tag: str) -> dt.date | None:
    return request_values.date_in(child_text(element, tag), tag)


def credentials(request: etree._Element) -> Credentials:
    return Credentials(user_name=child_text(request, "UserName") or "",
                       password=child_text(request, "OrgPassword") or "",
                       ukprn=child_text(request, "UKPRN"),
                       organisation_ref=child_text(request, "OrganisationRef"))


def timestamp(moment: dt.datetime) -> str:
    """``yyyy-MM-dd HH:mm:ss`` in UK time."""
    return moment.astimezone(UK).strftime("%Y-%m-%d %H:%M:%S")
