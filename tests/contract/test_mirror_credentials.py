"""Issue 18 item 1: OrganisationRef set to the caller's UKPRN, as the DfE T Levels PLR client
sends it on every call, is served on LearnerServiceR9.svc and ExternalService.svc; two fields
naming two different organisations are still refused (WSEC0003)."""

from __future__ import annotations

import pytest

from tests.contract.conftest import EXTERNAL_PATH, R9_PATH
from tests.contract.mirror_data import golden, parse, seed
from tests.contract.test_mirror_r9_external import (
    EXTERNAL_ACTION,
    R9_ACTION,
    call,
    check,
    values,
)

NIL_REF = b'<a:OrganisationRef i:nil="true"/>'
FAULTS = "{http://api.lrs.qcf.gov.uk/faults}"


@pytest.fixture(scope="module")
def people(gateway):
    return seed(gateway.settings, 3)


def _glle(people, reference: str) -> bytes:
    request = golden("r9/glle_full_wcf.request.xml", **values(people))
    assert NIL_REF in request
    return request.replace(NIL_REF, f"<a:OrganisationRef>{reference}</a:OrganisationRef>"
                           .encode())


@pytest.mark.parametrize("reference", ["10000001", "DEMLRB"])
def test_r9_serves_an_organisation_ref_naming_the_caller(gateway, people, schemas, reference):
    response = call(gateway, R9_PATH, _glle(people, reference),
                    f'"{R9_ACTION}GetLearnerLearningEvents"')
    check(response, "r9/glle_full.response.xml", schemas[R9_PATH], values(people))


@pytest.mark.parametrize("reference", ["10000002", "DEMOAO", "10000099"])
def test_r9_refuses_an_organisation_ref_naming_another(gateway, people, reference):
    response = call(gateway, R9_PATH, _glle(people, reference),
                    f'"{R9_ACTION}GetLearnerLearningEvents"')
    assert response.status_code == 500
    fault = parse(response.content)[0][0]
    assert fault.findtext(f"detail/{FAULTS}DomainFault/{FAULTS}ErrorCode") == "WSEC0003"


def test_external_serves_the_ukprn_in_organisation_ref(gateway, people, schemas):
    request = golden("external/get_unknown_job_wcf.request.xml", **values(people))
    assert b">DEMOAO<" in request
    response = call(gateway, EXTERNAL_PATH, request.replace(b">DEMOAO<", b">10000002<"),
                    f'"{EXTERNAL_ACTION}GetAchievementBatchJob"')
    check(response, "external/get_unknown_job.response.xml", schemas[EXTERNAL_PATH],
          values(people))
