"""Assemble the native face: Spyne application, contract validation, auth and faults."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from lxml import etree
from spyne import BODY_STYLE_WRAPPED, Application, Fault
from spyne.protocol.soap import Soap11
from spyne.server.wsgi import WsgiApplication

from lrs_soap.domain.codes import ErrorCode
from lrs_soap.domain.errors import LrsError
from lrs_soap.service import accounts, tracing
from lrs_soap.service.context import ServiceContext
from lrs_soap.service.request_scope import RequestScope
from lrs_soap.soap import contract, faults
from lrs_soap.soap.lean import LeanSoap11, read_arguments
from lrs_soap.soap.limits import too_many_elements
from lrs_soap.soap.native import mapping
from lrs_soap.soap.native.achievement_services import ACHIEVEMENT_CAPABILITIES, AchievementService
from lrs_soap.soap.native.batch_services import BATCH_CAPABILITIES, BatchService
from lrs_soap.soap.native.entry_services import ENTRY_CAPABILITIES, EntryService
from lrs_soap.soap.native.exception_services import EXCEPTION_CAPABILITIES, ExceptionService
from lrs_soap.soap.native.job_services import JOB_CAPABILITIES, JobService
from lrs_soap.soap.native.plan_services import PLAN_CAPABILITIES, PlanService
from lrs_soap.soap.native.plr_services import PLR_CAPABILITIES, PlrService
from lrs_soap.soap.native.services import IDENTITY_CAPABILITIES, NativeService

# operation -> capability it needs (lrs_soap.domain.access)
CAPABILITIES = {**IDENTITY_CAPABILITIES, **BATCH_CAPABILITIES, **PLR_CAPABILITIES,
                **ACHIEVEMENT_CAPABILITIES, **EXCEPTION_CAPABILITIES, **ENTRY_CAPABILITIES,
                **PLAN_CAPABILITIES, **JOB_CAPABILITIES}

log = logging.getLogger(__name__)

# Spyne logs every fault at ERROR with a traceback, and a malformed request's whole text
# (personal data) at ERROR: faults are answers, not our errors, and requests are not logged.
for _name in ("spyne.application", "spyne.application.client", "spyne.application.server",
              "spyne.protocol.soap.soap11.invalid", "spyne.protocol.xml.invalid"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)


@dataclass(frozen=True)
class CallContext:
    """What an operation receives in ``ctx.udc``."""

    services: ServiceContext
    caller: accounts.Caller


class ContractSoap11(Soap11):
    """SOAP 1.1 that validates each request body against the hand-written XSD.

    Spyne's own validator would use the schema it generates (which differs from our contract)
    and share one compiled schema across threads; this one uses a per-thread copy of ours.
    """

    def __init__(self, xsd_name: str, **kwargs):
        super().__init__(validator=None, **kwargs)
        self.xsd_name = xsd_name
        self.parser_kwargs.update(contract.SAFE_PARSER_OPTIONS)

    @tracing.traced("parse")
    def create_in_document(self, ctx, charset=None):
        """Parse with spyne's safe parser, then refuse what we never accept: DTDs (so no
        entity declarations at all) and text that is not in its declared encoding; and
        bodies with more elements than their size allows, before building any tree."""
        ctx.in_string = list(ctx.in_string)
        crowded = too_many_elements(ctx.in_string)
        if crowded:
            raise faults.LrsSoapFault(ErrorCode.INVALID_REQUEST, crowded)
        try:
            super().create_in_document(ctx, charset)
        except Fault as fault:
            if fault.faultcode == "Client.XMLSyntaxError":
                raise faults.LrsSoapFault(ErrorCode.INVALID_REQUEST,
                                          f"not well-formed XML: {fault.faultstring}") from None
            raise
        except StopIteration:  # spyne's parser assumes at least one chunk of body
            raise faults.LrsSoapFault(ErrorCode.INVALID_REQUEST,
                                      "the request body is empty") from None
        except (UnicodeError, ValueError, LookupError):
            raise faults.LrsSoapFault(ErrorCode.INVALID_REQUEST,
                                      "the request is not text in its declared encoding") from None
        root = ctx.in_document[0]
        docinfo = root.getroottree().docinfo
        if docinfo.doctype or docinfo.internalDTD is not None:
            raise faults.LrsSoapFault(ErrorCode.INVALID_REQUEST,
                                      "document type declarations are not accepted")

    def decompose_incoming_envelope(self, ctx, message=Soap11.REQUEST):
        try:
            super().decompose_incoming_envelope(ctx, message)
        except faults.LrsSoapFault:
            raise
        except Fault as fault:  # no SOAP 1.1 Envelope/Body: SOAP 1.2 or not SOAP at all
            raise faults.LrsSoapFault(ErrorCode.INVALID_REQUEST,
                                      f"not a SOAP 1.1 envelope: {fault.faultstring}") from None

    def deserialize(self, ctx, message):
        """Read a (schema-valid) request's arguments with lxml, not Spyne's object model:
        the hand-written XSD has already checked every value (docs/performance.md, R3)."""
        descriptor = ctx.descriptor
        if (message is not self.REQUEST or descriptor is None or ctx.in_error is not None
                or descriptor.body_style is not BODY_STYLE_WRAPPED):
            return super().deserialize(ctx, message)
        self.event_manager.fire_event("before_deserialize", ctx)
        ctx.in_object = read_arguments(descriptor.in_message, ctx.in_body_doc)
        self.event_manager.fire_event("after_deserialize", ctx)
        return None

    @tracing.traced("validate")
    def validate_body(self, ctx, message):
        if message is not self.REQUEST:
            return
        body = ctx.in_body_doc
        schema = contract.schema(self.xsd_name)
        if not isinstance(body.tag, str) or body.tag not in _operation_elements(self):
            raise faults.LrsSoapFault(ErrorCode.UNKNOWN_REQUEST,
                                      f"no operation takes the element {_plain(body.tag)}")
        try:
            valid = schema.validate(body)
        except etree.XMLSchemaValidateError:
            valid = False
        if not valid:
            raise faults.LrsSoapFault(ErrorCode.INVALID_REQUEST, contract.schema_errors(
                schema, strip_namespace=f"{{{contract.NATIVE_NS}}}"))


def _operation_elements(protocol: ContractSoap11) -> frozenset[str]:
    elements = getattr(protocol, "_operation_elements", None)
    if elements is None:
        elements = frozenset(f"{{{contract.NATIVE_NS}}}{name}" for name in CAPABILITIES)
        protocol._operation_elements = elements
    return elements


def _plain(text: object) -> str:
    return str(text).replace(f"{{{contract.NATIVE_NS}}}", "")


class NativeApplication(Application):
    def __init__(self, services: ServiceContext):
        super().__init__(
            [NativeService, BatchService, PlrService, AchievementService, ExceptionService,
             EntryService, PlanService, JobService],
            tns=contract.NATIVE_NS,
            name="LrsNativeService",
            in_protocol=ContractSoap11(contract.NATIVE_XSD),
            out_protocol=LeanSoap11(),
        )
        self.service_context = services

    def call_wrapper(self, ctx):
        try:
            capability = CAPABILITIES[ctx.descriptor.name]
            credentials = mapping.credentials_in(getattr(ctx.in_object, "Credentials", None))
            with RequestScope(self.service_context) as services:
                caller = accounts.authenticate(services, credentials, capability)
                ctx.udc = CallContext(services, caller)
                return super().call_wrapper(ctx)
        except LrsError as error:
            log.info("%s answered with fault %s", ctx.descriptor.name, error.code.value)
            raise faults.from_error(error, self.service_context.clock()) from None
        except Fault:
            raise
        except Exception:
            log.exception("%s failed", ctx.descriptor.name)
            raise faults.unexpected() from None


def native_wsgi_app(services: ServiceContext, max_request_bytes: int) -> WsgiApplication:
    return WsgiApplication(NativeApplication(services), max_content_length=max_request_bytes)
