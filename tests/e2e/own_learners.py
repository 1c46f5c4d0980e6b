"""Helpers for end-to-end tests that change learners' records: a zeep client of the native
face, and learners of the test's own (ULNs outside the demo's), so that tests sharing the
session's demo gateway never see each other's changes."""

from __future__ import annotations

import zeep

from lrs_soap.bootstrap import build_runtime
from lrs_soap.domain.model import LearnerDetails
from tests.conftest import NATIVE_NS, REPO

BINDING = f"{{{NATIVE_NS}}}LrsNativeBinding"


def native_service(gateway):
    client = zeep.Client(str(REPO / "wsdl" / "lrs-native-v1.wsdl"))
    return client.create_service(BINDING, f"{gateway.url}/soap/v1")


def add_learners(gateway, learners: dict[str, LearnerDetails]) -> None:
    """Register these learners under these ULNs directly in the gateway's database."""
    with build_runtime(gateway.settings) as services, services.uow_factory() as uow:
        now = services.clock()
        for uln, details in learners.items():
            uow.uln_registry.claim(uln, now)
            uow.learners.add(uln, details, registered_by=None, now=now)
        uow.commit()
