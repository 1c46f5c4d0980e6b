"""What the mirror endpoints add to the one intake (lrs_soap.soap.intake): the live service's
fault shapes and envelope prefixes, its wording of schema errors, WCF's envelope checks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from lxml import etree

from lrs_soap.domain.codes import ErrorCode
from lrs_soap.domain.errors import LrsError
from lrs_soap.service.context import ServiceContext
from lrs_soap.soap import contract, schema_wording
from lrs_soap.soap.intake import Face, Intake, Operation
from lrs_soap.soap.lrs import wcf_envelope
from lrs_soap.soap.lrs.wcf_envelope import ProtocolFault

SOAP_ENV = contract.SOAP_ENV_NS


# Live's own descriptions where a capture exists (lrs-wire 2.7: WSEC0001); clients show them
# to people. Other codes keep ours (domain/codes.py).
CAPTURED_DESCRIPTIONS = {
    ErrorCode.INVALID_REQUEST: "Invalid request, The request was badly formed - this may "
                               "include missing mandatory parameters, or invalid data types.",
}


def description(error: LrsError) -> str:
    """The Description a mirror fault carries for ``error``."""
    return CAPTURED_DESCRIPTIONS.get(error.code, error.description)


@dataclass(frozen=True)
class FaultStyle:
    """A mirror endpoint's fault shape (lrs_soap.soap.intake.FaultShape)."""

    faultstring: Callable[[LrsError], str]
    detail: Callable[[LrsError, dt.datetime], etree._Element]  # the endpoint's own detail
    # SOAP envelope prefix the live endpoint writes (Java back end: soapenv; WCF: s)
    prefix: str = "soapenv"
    # faultcode's local name for an error (the Java back end: always Server)
    faultcode: Callable[[LrsError], str] = lambda error: "Server"
    lang: str | None = None  # xml:lang of the faultstring (WCF: en-US)

    def envelope(self, payload: etree._Element) -> bytes:
        envelope = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={self.prefix: SOAP_ENV})
        etree.SubElement(envelope, f"{{{SOAP_ENV}}}Body").append(payload)
        return etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")

    def fault(self, error: LrsError, now: dt.datetime) -> bytes:
        fault = etree.Element(f"{{{SOAP_ENV}}}Fault")
        etree.SubElement(fault, "faultcode").text = f"{self.prefix}:{self.faultcode(error)}"
        reason = etree.SubElement(fault, "faultstring")
        reason.text = self.faultstring(error)
        if self.lang:
            reason.set("{http://www.w3.org/XML/1998/namespace}lang", self.lang)
        etree.SubElement(fault, "detail").append(self.detail(error, now))
        return self.envelope(fault)

    def refused(self, refusal: ProtocolFault) -> bytes:
        fault = etree.Element(f"{{{SOAP_ENV}}}Fault")
        refusal.write(fault, self.prefix)
        return self.envelope(fault)


def mirror_intake(services: ServiceContext, name: str, *, xsd_name: str,
                  operations: Sequence[Operation], faults: FaultStyle,
                  wcf: bool) -> Intake:
    """A mirror endpoint behind the one intake; ``wcf``: a WCF endpoint's envelope checks."""
    def schema_problem(schema: etree.XMLSchema) -> str:
        # The element, the value and the broken facet in plain words (live: Xerces's).
        return contract.schema_errors(schema, line_numbers=False, separator="; ",
                                      word=schema_wording.wording(xsd_name))

    check = partial(wcf_envelope.check, refused=faults.refused) if wcf else None
    return Intake(services, Face(name, operations, xsd_name, schema_problem, faults, check))
