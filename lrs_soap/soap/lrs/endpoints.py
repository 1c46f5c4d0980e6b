"""The mirror endpoints: URL path -> (face, WSDL file served at ?wsdl and ?singleWsdl).

Each endpoint module offers ``build(services) -> MirrorFace``; an endpoint whose module does
not exist yet is simply not served.
"""

from __future__ import annotations

from lrs_soap.service.context import ServiceContext
from lrs_soap.soap.lrs.face import MirrorFace

ENDPOINTS = (
    # path, module in lrs_soap.soap.lrs, WSDL file in wsdl/
    ("/LearnerService.svc", "learner_service", "LearnerService.wsdl"),
    ("/LearnerServiceR9.svc", "r9_service", "LearnerServiceR9.wsdl"),
    ("/ExternalService.svc", "external_service", "ExternalService.wsdl"),
)


def mirror_endpoints(services: ServiceContext) -> dict[str, tuple[MirrorFace, str]]:
    import importlib

    served = {}
    for path, module_name, wsdl in ENDPOINTS:
        try:
            module = importlib.import_module(f"lrs_soap.soap.lrs.{module_name}")
        except ModuleNotFoundError as error:
            if error.name != f"lrs_soap.soap.lrs.{module_name}":
                raise
            continue
        served[path] = (module.build(services), wsdl)
    return served
