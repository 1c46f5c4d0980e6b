"""Assemble the native face (/soap/v1): its operations behind the one intake.

Spyne defines the operations (the services below) and their messages; a request goes through
lrs_soap.soap.intake like every other endpoint's, and its operation is called straight, with
its arguments read by lrs_soap.soap.native.lean (none of Spyne's per-request machinery).
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree
from spyne import BODY_STYLE_WRAPPED, Application
from spyne.protocol.soap import Soap11

from lrs_soap.domain.access import NATIVE, OPERATIONS
from lrs_soap.service import accounts
from lrs_soap.service.context import ServiceContext
from lrs_soap.soap import contract
from lrs_soap.soap.faults import NativeFaults
from lrs_soap.soap.intake import Face, Intake, Operation, WrittenAnswer
from lrs_soap.soap.native import answer_text, lean, mapping, types
from lrs_soap.soap.native.achievement_services import AchievementService
from lrs_soap.soap.native.batch_services import BatchService
from lrs_soap.soap.native.entry_services import EntryService
from lrs_soap.soap.native.exception_services import ExceptionService
from lrs_soap.soap.native.job_services import JobService
from lrs_soap.soap.native.plan_services import PlanService
from lrs_soap.soap.native.plr_services import PlrService
from lrs_soap.soap.native.services import NativeService

SERVICES = (NativeService, BatchService, PlrService, AchievementService, ExceptionService,
            EntryService, PlanService, JobService)
CREDENTIALS = f"{{{contract.NATIVE_NS}}}Credentials"


@dataclass(frozen=True)
class CallContext:
    """What an operation receives in ``ctx.udc``."""

    services: ServiceContext
    caller: accounts.Caller


@dataclass(frozen=True)
class NativeCall:
    """What an operation receives as ``ctx``: the fields of Spyne's MethodContext it reads."""

    udc: CallContext
    in_body_doc: etree._Element  # the Body's element (batch records are read from it)


class NativeApplication(Application):
    """The operations and their messages, as Spyne defines them (never asked to serve)."""

    def __init__(self):
        super().__init__(list(SERVICES), tns=contract.NATIVE_NS, name="LrsNativeService",
                         in_protocol=Soap11(), out_protocol=Soap11())

    def descriptor(self, operation: str):
        return self.interface.service_method_map[f"{{{contract.NATIVE_NS}}}{operation}"][0]


def credentials(request: etree._Element) -> accounts.Credentials:
    holder = next(request.iterchildren(CREDENTIALS), None)  # not find: no ElementPath
    return mapping.credentials_in(None if holder is None else _read_credentials(holder))


_read_credentials = lean.element_reader(types.Credentials)


def _operation(descriptor) -> Operation:
    """Call a wrapped Spyne operation as Spyne would: arguments in order, the context first,
    a lone return value as a one-item sequence."""
    if descriptor.body_style is not BODY_STYLE_WRAPPED or descriptor.no_ctx:
        raise TypeError(f"{descriptor.name}: native operations are wrapped and take ctx")
    in_message, out_message = descriptor.in_message, descriptor.out_message
    single = len(out_message._type_info) <= 1

    def handle(services: ServiceContext, caller: accounts.Caller,
               request: etree._Element) -> WrittenAnswer:
        result = descriptor.function(NativeCall(CallContext(services, caller), request),
                                     *lean.read_arguments(in_message, request))
        return answer_text.response(out_message, [result] if single else result)

    return Operation(descriptor.name, f"{{{contract.NATIVE_NS}}}{descriptor.name}",
                     credentials, handle)


def native_face() -> Face:
    application = NativeApplication()
    operations = [_operation(application.descriptor(name)) for name in OPERATIONS[NATIVE]]
    return Face(NATIVE, operations, contract.NATIVE_XSD, _schema_problem, NativeFaults(),
                plain_namespace=contract.NATIVE_NS)


def _schema_problem(schema: etree.XMLSchema) -> str:
    return contract.schema_errors(schema, strip_namespace=f"{{{contract.NATIVE_NS}}}")


def native_intake(services: ServiceContext) -> Intake:
    return Intake(services, native_face())
