"""Writing and reading WCF DataContractSerializer XML, as LearnerServiceR9.svc and
ExternalService.svc put it on the wire (lrs-wire 2.5, 2.6).

- A data contract's members come in ordinal (code point) order of their names, the base
  class's members first (:class:`Contract` checks its tables at import time).
- Each member is qualified in its contract's namespace; prefixes are given out as WCF does:
  ``a`` for the result's contract namespace on the ``<Op>Result`` element (with ``i`` for
  XML Schema instance), then ``b``, ``c``... declared on the element whose children first need
  a new namespace.
- A null member is ``<x i:nil="true"/>`` (:data:`NIL`) unless it is annotated
  EmitDefaultValue=false, when it is left out (:data:`OMIT`); a value-type member (int, long,
  bool, non-nullable dateTime, enum) is never null: WCF writes its default (:func:`value`).
- Empty strings are empty elements; an empty list is an empty element; enums go by name.
- Date-times: an aware datetime is written in UTC with ``Z``; a date (no time of day, no
  zone: a date of birth) as ``YYYY-MM-DDT00:00:00``, as a DateTime of kind Unspecified.
"""

from __future__ import annotations

import base64
import datetime as dt
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from lxml import etree

from lrs_soap.domain.codes import ErrorCode
from lrs_soap.domain.errors import LrsError
from lrs_soap.soap.contract import XSI_NS
from lrs_soap.soap.lrs.face import FaultStyle, description
from lrs_soap.soap.request_values import NIL as NIL_ATTRIBUTE

TEMPURI_NS = "http://tempuri.org/"
MODEL_NS = "http://api.lrs.qcf.gov.uk/model"
SERVICES_NS = "http://api.lrs.qcf.gov.uk/services"
FAULTS_NS = "http://api.lrs.qcf.gov.uk/faults"
COMMON_NS = "http://schemas.datacontract.org/2004/07/Amor.Qcf.Common"
SERVICE_INTERFACE_NS = "http://schemas.datacontract.org/2004/07/Amor.Qcf.Service.Interface"
MIAP_MODEL_NS = "http://schemas.datacontract.org/2004/07/Amor.Qcf.MIAPModel"
ARRAYS_NS = "http://schemas.microsoft.com/2003/10/Serialization/Arrays"

NIL = "nil"  # null written as i:nil="true" (EmitDefaultValue=true, the WCF default)
OMIT = "omit"  # null left out (EmitDefaultValue=false)
_VALUE = "value"  # a value type: null never happens, the type's default is written


@dataclass(frozen=True)
class Member:
    name: str
    when_null: str = NIL
    default: object = None


def nil(name: str) -> Member:
    return Member(name, NIL)


def omit(name: str) -> Member:
    return Member(name, OMIT)


def value(name: str, default: object) -> Member:
    """A value-type member (int, long, bool, dateTime, enum): ``default`` when null."""
    return Member(name, _VALUE, default)


@dataclass(frozen=True)
class Contract:
    """A data contract: its namespace and members, base class members first."""

    name: str
    namespace: str
    groups: tuple[tuple[Member, ...], ...]  # (base members, ..., own members)

    def __post_init__(self):
        for group in self.groups:
            names = [member.name for member in group]
            if names != sorted(names):
                raise ValueError(f"{self.name}: members out of ordinal order: {names}")

    # Worked out once: a record writes one contract per event (cached_property writes the
    # instance's __dict__ directly, which a frozen dataclass allows).
    @cached_property
    def members(self) -> tuple[Member, ...]:
        return tuple(member for group in self.groups for member in group)

    @cached_property
    def names(self) -> frozenset[str]:
        return frozenset(member.name for member in self.members)

    @cached_property
    def tagged(self) -> tuple[tuple[Member, str], ...]:
        """Each member with its element's Clark name."""
        return tuple((member, f"{{{self.namespace}}}{member.name}") for member in self.members)


@dataclass(frozen=True)
class Nested:
    """A member holding another data contract."""

    contract: Contract
    values: Mapping[str, Any]


@dataclass(frozen=True)
class Items:
    """A member holding a list (ArrayOfX): one ``item`` element per value, in ``namespace``."""

    namespace: str
    item: str
    values: Sequence[Any]


def text(value: object) -> str:
    """A scalar as DataContractSerializer writes it."""
    if value.__class__ is str:  # most values: nothing to convert
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
            return value.replace(microsecond=0).isoformat() + "Z"
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, dt.date):
        return f"{value.isoformat()}T00:00:00"
    if isinstance(value, float):
        return format(round(value, 2), "g")
    return str(value)


class Writer:
    """Writes one response's data contracts, handing out namespace prefixes like WCF."""

    def __init__(self):
        self._letters = iter(string.ascii_lowercase.replace("i", ""))

    def declare(self, parent: etree._Element, namespace: str) -> dict[str, str]:
        """The nsmap a new child of ``parent`` needs so that ``namespace`` is in scope."""
        if namespace in parent.nsmap.values():
            return {}
        return {next(self._letters): namespace}

    def result(self, wrapper_ns: str, operation: str,
               contract: Contract | None = None) -> tuple[etree._Element, etree._Element]:
        """``<Op>Response xmlns=wrapper_ns><Op>Result ...>``; the result declares ``a`` (the
        contract's namespace) and ``i`` when it holds a data contract."""
        response = etree.Element(f"{{{wrapper_ns}}}{operation}Response", nsmap={None: wrapper_ns})
        nsmap = {}
        if contract is not None:
            nsmap = {next(self._letters): contract.namespace, "i": XSI_NS}
        return response, etree.SubElement(response, f"{{{wrapper_ns}}}{operation}Result",
                                          nsmap=nsmap)

    def members(self, element: etree._Element, contract: Contract,
                values: Mapping[str, Any]) -> etree._Element:
        unknown = set(values) - contract.names
        if unknown:
            raise KeyError(f"{contract.name} has no member(s) {sorted(unknown)}")
        for member, tag in contract.tagged:
            content = values.get(member.name)
            if content.__class__ is str:  # the usual member, written here without a call
                etree.SubElement(element, tag).text = content or None  # "" -> <x/>
            else:
                self._member(element, contract.namespace, member, content)
        return element

    def _member(self, parent: etree._Element, namespace: str, member: Member,
                content: Any) -> None:
        tag = f"{{{namespace}}}{member.name}"
        if content is None:
            if member.when_null == OMIT:
                return
            if member.when_null == NIL:
                etree.SubElement(parent, tag).set(NIL_ATTRIBUTE, "true")
                return
            content = member.default
        if isinstance(content, Nested):
            child = etree.SubElement(parent, tag,
                                     nsmap=self.declare(parent, content.contract.namespace))
            self.members(child, content.contract, content.values)
        elif isinstance(content, Items):
            child = etree.SubElement(parent, tag, nsmap=self.declare(parent, content.namespace))
            for item in content.values:
                self._item(child, content, item)
        else:
            etree.SubElement(parent, tag).text = text(content) or None  # "" -> <x/>

    def _item(self, parent: etree._Element, items: Items, content: Any) -> None:
        tag = f"{{{items.namespace}}}{items.item}"
        if isinstance(content, Nested):
            self.members(etree.SubElement(parent, tag), content.contract, content.values)
        elif content is None:
            etree.SubElement(parent, tag).set(NIL_ATTRIBUTE, "true")
        else:
            etree.SubElement(parent, tag).text = text(content) or None

# ----- faults -----

def domain_fault_style() -> FaultStyle:
    """WCF FaultException<DomainFault>: envelope prefix ``s``, faultstring the error's
    description, detail ``DomainFault`` in the faults namespace (default-namespaced, as WCF
    writes it) with ErrorCode and ErrorDetail (the UTF-8 text "CODE: description[: further
    details]", base64-encoded as the xs:base64Binary it is declared; :func:`error_text`)."""

    def detail(error: LrsError, now: dt.datetime) -> etree._Element:
        fault = etree.Element(f"{{{FAULTS_NS}}}DomainFault", nsmap={None: FAULTS_NS, "i": XSI_NS})
        etree.SubElement(fault, f"{{{FAULTS_NS}}}ErrorCode").text = error.code.value
        etree.SubElement(fault, f"{{{FAULTS_NS}}}ErrorDetail").text = (
            base64.b64encode(error_text(error).encode()).decode("ascii"))
        return fault

    # WCF's FaultException<T> is a Sender (SOAP 1.1 Client) fault unless the service says
    # otherwise: the caller's mistakes are Client, our own failure (WSEC0999) Server.
    return FaultStyle(faultstring=lambda error: description(error) or error.code.value,
                      detail=detail, prefix="s", lang="en-US",
                      faultcode=lambda error: "Server"
                      if error.code is ErrorCode.UNKNOWN_EXCEPTION else "Client")


def error_text(error: LrsError) -> str:
    """"CODE: description further details" (a colon after a description without a full stop)."""
    text = ": ".join(part for part in (error.code.value, description(error)) if part)
    if error.further_details:
        text += (" " if text.endswith(".") else ": ") + error.further_details
    return text

