"""One mirror endpoint: parse safely, make the WCF envelope checks where the live endpoint is
WCF (lrs_soap.soap.lrs.wcf_envelope), validate, dispatch on the body's root element (an empty
or missing SOAPAction is fine: live clients send it so), call a handler, write the answer or
the endpoint's own fault shape."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from lrs_soap.domain.codes import ErrorCode
from lrs_soap.domain.errors import LrsError
from lrs_soap.service import tracing
from lrs_soap.service.context import ServiceContext
from lrs_soap.service.request_scope import RequestScope
from lrs_soap.soap import contract, schema_wording
from lrs_soap.soap.limits import too_many_elements
from lrs_soap.soap.lrs import wcf_envelope
from lrs_soap.soap.lrs.wcf_envelope import ProtocolFault

log = logging.getLogger(__name__)

SOAP_ENV = contract.SOAP_ENV_NS
Handler = Callable[[ServiceContext, etree._Element], etree._Element]
# Writes a fault's detail element (the endpoint's own shape) for an error.
FaultDetail = Callable[[LrsError, dt.datetime], etree._Element]


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
class Operation:
    name: str  # the WSDL operation name
    request: str  # Clark name of the body's root element, e.g. {ns}FindLearnerByULN
    handle: Handler
    action: str | None = None  # the SOAPAction a WCF endpoint dispatches on


@dataclass(frozen=True)
class FaultStyle:
    faultstring: Callable[[LrsError], str]
    detail: FaultDetail
    # SOAP envelope prefix the live endpoint writes (Java back end: soapenv; WCF: s)
    prefix: str = "soapenv"
    # faultcode's local name for an error (the Java back end: always Server)
    faultcode: Callable[[LrsError], str] = lambda error: "Server"
    lang: str | None = None  # xml:lang of the faultstring (WCF: en-US)


class MirrorFace:
    def __init__(self, services: ServiceContext, *, xsd_name: str | None,
                 operations: list[Operation], faults: FaultStyle):
        self.services = services
        self.xsd_name = xsd_name
        self.operations = {operation.request: operation for operation in operations}
        self.actions = {operation.request: operation.action for operation in operations
                        if operation.action}
        self.faults = faults
        self._parser_options = dict(contract.SAFE_PARSER_OPTIONS)

    def answer(self, body: bytes, soap_action: str | None = None) -> tuple[int, bytes]:
        """(HTTP status, response envelope) for one request body and its SOAPAction header."""
        try:
            envelope, request = self._request_element(body)
            if self.actions:  # a WCF endpoint
                wcf_envelope.check_action(wcf_envelope.soap_action(soap_action), request.tag,
                                          self.actions)
                wcf_envelope.check_headers(envelope)
            operation = self.operations.get(request.tag)
            if operation is None:
                raise LrsError(f"no operation takes the element {request.tag}",
                               code=ErrorCode.UNKNOWN_REQUEST)
            self._validate(request)
            with RequestScope(self.services) as services:
                return 200, self._envelope(operation.handle(services, request))
        except ProtocolFault as refused:
            log.info("mirror face refused the envelope: %s", refused.code)
            fault = etree.Element(f"{{{SOAP_ENV}}}Fault")
            refused.write(fault, self.faults.prefix)
            return 500, self._envelope(fault)
        except LrsError as error:
            log.info("mirror face answered with fault %s", error.code.value)
            return 500, self._fault(error)
        except Exception:
            log.exception("mirror face: unexpected failure")
            return 500, self._fault(LrsError("an unexpected error occurred"))

    @tracing.traced("parse")
    def _request_element(self, body: bytes) -> tuple[etree._Element, etree._Element]:
        """(the envelope, the body's root element)"""
        if not body:
            raise LrsError("the request body is empty", code=ErrorCode.INVALID_REQUEST)
        crowded = too_many_elements([body])
        if crowded:  # before building any tree
            raise LrsError(crowded, code=ErrorCode.INVALID_REQUEST)
        try:
            root = etree.fromstring(body, etree.XMLParser(**self._parser_options))
        except etree.XMLSyntaxError as error:
            raise LrsError(f"not well-formed XML: {error}",
                           code=ErrorCode.INVALID_REQUEST) from None
        docinfo = root.getroottree().docinfo
        if docinfo.doctype or docinfo.internalDTD is not None:
            raise LrsError("document type declarations are not accepted",
                           code=ErrorCode.INVALID_REQUEST)
        body_element = root.find(f"{{{SOAP_ENV}}}Body")
        if root.tag != f"{{{SOAP_ENV}}}Envelope" or body_element is None \
                or len(body_element) == 0:
            raise LrsError("not a SOAP 1.1 envelope with a body",
                           code=ErrorCode.INVALID_REQUEST)
        return root, body_element[0]

    @tracing.traced("validate")
    def _validate(self, request: etree._Element) -> None:
        if self.xsd_name is None:
            return
        schema = contract.schema(self.xsd_name)
        try:
            valid = schema.validate(request)
        except etree.XMLSchemaValidateError:
            valid = False
        if not valid:
            # The element, the value and the broken facet in plain words (live: Xerces's).
            raise LrsError(contract.schema_errors(
                schema, line_numbers=False, separator="; ",
                word=schema_wording.wording(self.xsd_name)), code=ErrorCode.INVALID_REQUEST)

    @tracing.traced("serialise")
    def _envelope(self, payload: etree._Element) -> bytes:
        envelope = etree.Element(f"{{{SOAP_ENV}}}Envelope",
                                 nsmap={self.faults.prefix: SOAP_ENV})
        etree.SubElement(envelope, f"{{{SOAP_ENV}}}Body").append(payload)
        return etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")

    def fault_envelope(self, error: LrsError) -> bytes:
        """The whole fault response for ``error`` (also for harness-injected faults)."""
        return self._fault(error)

    def _fault(self, error: LrsError) -> bytes:
        fault = etree.Element(f"{{{SOAP_ENV}}}Fault")
        etree.SubElement(fault, "faultcode").text = (
            f"{self.faults.prefix}:{self.faults.faultcode(error)}")
        reason = etree.SubElement(fault, "faultstring")
        reason.text = self.faults.faultstring(error)
        if self.faults.lang:
            reason.set("{http://www.w3.org/XML/1998/namespace}lang", self.faults.lang)
        detail = etree.SubElement(fault, "detail")
        detail.append(self.faults.detail(error, self.services.clock()))
        return self._envelope(fault)
