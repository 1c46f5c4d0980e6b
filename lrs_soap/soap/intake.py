"""The one request intake every SOAP endpoint goes through, from request bytes to answer bytes.

In order: read the request safely (lrs_soap.soap.request_reading: its refusals come first);
let the face check the envelope (WCF: SOAPAction, mustUnderstand); find the operation by the
Body's element;
validate it against the face's XSD; authenticate the caller once, for the operation's
capability (domain.access.OPERATIONS), and run the operation in the same unit of work
(RequestScope); write the answer, or the error in the face's own fault shape.

A face supplies only its operation table, its schema and its fault shape (:class:`Face`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from lxml import etree

from lrs_soap.domain import access
from lrs_soap.domain.errors import InvalidRequest, LrsError, UnknownRequest
from lrs_soap.service import accounts, tracing
from lrs_soap.service.accounts import Caller, Credentials
from lrs_soap.service.context import ServiceContext
from lrs_soap.service.journal import SEEN_ENVIRON_KEY
from lrs_soap.service.request_scope import RequestScope
from lrs_soap.soap import contract, request_reading

log = logging.getLogger(__name__)

SOAP_ENV = contract.SOAP_ENV_NS


@dataclass(frozen=True)
class WrittenAnswer:
    """An answer element already written as text (the native face's: soap.native.answer_text),
    in the envelope's prefixes, with the call's code (None: none at its top level)."""

    xml: str
    code: str | None


# An answer element: a tree, or written as text.
Answer = etree._Element | WrittenAnswer
# (the services of this request, the authenticated caller, the Body's element) -> the answer
Handler = Callable[[ServiceContext, Caller, etree._Element], Answer]


@dataclass(frozen=True)
class Operation:
    name: str  # the WSDL operation name; its capability is in domain.access.OPERATIONS
    request: str  # Clark name of the Body's element, e.g. {ns}FindLearnerByULN
    credentials: Callable[[etree._Element], Credentials]  # read from the Body's element
    handle: Handler
    action: str | None = None  # the SOAPAction a WCF endpoint dispatches on


class EnvelopeRefused(Exception):
    """A face's refusal of the SOAP envelope itself (WCF's protocol faults), with the whole
    response the face wrote for it."""

    def __init__(self, code: str, response: bytes):
        super().__init__(code)
        self.code, self.response = code, response


class FaultShape(Protocol):
    def envelope(self, payload: Answer) -> bytes:
        """The whole response for an answer (or a SOAP Fault element). Only a face whose
        handlers write text is given a WrittenAnswer."""

    def fault(self, error: LrsError, now: dt.datetime) -> bytes:
        """The whole fault response for ``error``."""


@dataclass(frozen=True)
class Face:
    name: str  # its key in domain.access.OPERATIONS
    operations: Sequence[Operation]
    xsd_name: str
    schema_problem: Callable[[etree.XMLSchema], str]  # the schema's errors, in the face's words
    faults: FaultShape
    # raises EnvelopeRefused: (envelope, Body's element, SOAPAction, element -> action)
    check_envelope: Callable[[etree._Element, etree._Element, str | None, dict[str, str]],
                             None] | None = None
    plain_namespace: str = ""  # element names in it are written without it in fault texts


class Intake:
    """One SOAP endpoint: a face behind the intake; a WSGI application (the gateway limits the
    body's size before it)."""

    def __init__(self, services: ServiceContext, face: Face):
        capabilities = access.OPERATIONS[face.name]  # a face serves only what is listed there
        self.services, self.face = services, face
        self.operations = {operation.request: operation for operation in face.operations}
        self.capabilities = {operation.request: capabilities[operation.name]
                             for operation in face.operations}
        self.actions = {operation.request: operation.action for operation in face.operations
                        if operation.action}

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        length = environ.get("CONTENT_LENGTH")
        stream = environ["wsgi.input"]
        status, body = self.answer(stream.read(int(length)) if length else stream.read(),
                                   environ.get("HTTP_SOAPACTION"), environ.get(SEEN_ENVIRON_KEY))
        start_response("200 OK" if status == 200 else "500 Internal Server Error",
                       [("Content-Type", "text/xml; charset=utf-8"),
                        ("Content-Length", str(len(body)))])
        return [body]

    def answer(self, body: bytes, soap_action: str | None = None,
               seen: dict | None = None) -> tuple[int, bytes]:
        """(HTTP status, response envelope) for one request body and its SOAPAction header.
        ``seen`` (the journal's, service.journal.SEEN_ENVIRON_KEY) gets the trees built."""
        operation = None
        try:
            envelope, request = request_reading.envelope_and_request(body)
            if seen is not None:
                seen["envelope"] = envelope
            if self.face.check_envelope is not None:
                self.face.check_envelope(envelope, request, soap_action, self.actions)
            operation = self.operations.get(request.tag)
            if operation is None:
                raise UnknownRequest(f"no operation takes the element "
                                     f"{self._plain(request.tag)}")
            self._validate(request)
            with RequestScope(self.services) as services:  # one unit of work: auth + operation
                caller = accounts.authenticate(services, operation.credentials(request),
                                               self.capabilities[request.tag])
                answer = operation.handle(services, caller, request)
            written = self._write(answer)
            if seen is not None:
                seen["answer"] = answer
            return 200, written
        except EnvelopeRefused as refused:
            log.info("%s refused the envelope: %s", self.face.name, refused.code)
            return 500, refused.response
        except LrsError as error:
            log.info("%s %s answered with fault %s", self.face.name,
                     operation.name if operation else "?", error.code.value)
            return 500, self.fault_envelope(error)
        except Exception:
            log.exception("%s %s failed", self.face.name, operation.name if operation else "?")
            # Never echo the exception: it may carry SQL or personal data.
            return 500, self.fault_envelope(LrsError("an unexpected error occurred"))

    def fault_envelope(self, error: LrsError, now: dt.datetime | None = None) -> bytes:
        """The whole fault response for ``error`` (also for harness-injected faults)."""
        return self.face.faults.fault(error, now or self.services.clock())

    @tracing.traced("validate")
    def _validate(self, request: etree._Element) -> None:
        schema = contract.schema(self.face.xsd_name)
        try:
            valid = schema.validate(request)
        except etree.XMLSchemaValidateError:
            valid = False
        if not valid:
            raise InvalidRequest(self.face.schema_problem(schema))

    @tracing.traced("serialise")
    def _write(self, answer: Answer) -> bytes:
        return self.face.faults.envelope(answer)

    def _plain(self, tag: object) -> str:
        namespace = self.face.plain_namespace
        return str(tag).replace(f"{{{namespace}}}", "") if namespace else str(tag)
