"""The mirror endpoints: URL path -> (its intake, WSDL file served at ?wsdl and ?singleWsdl)."""

from __future__ import annotations

from lrs_soap.service.context import ServiceContext
from lrs_soap.soap.intake import Intake
from lrs_soap.soap.lrs import external_service, learner_service, r9_service

ENDPOINTS = (
    # path, module building the face, WSDL file in wsdl/
    ("/LearnerService.svc", learner_service, "LearnerService.wsdl"),
    ("/LearnerServiceR9.svc", r9_service, "LearnerServiceR9.wsdl"),
    ("/ExternalService.svc", external_service, "ExternalService.wsdl"),
)


def mirror_endpoints(services: ServiceContext) -> dict[str, tuple[Intake, str]]:
    return {path: (module.build(services), wsdl) for path, module, wsdl in ENDPOINTS}
