from pathlib import Path

import pytest
import zeep
from zeep.exceptions import Fault

FIXTURE = str(Path(__file__).with_name("lrs-fixture.yaml"))  # your organisations and ULNs
ME = {"UKPRN": "10012345", "UserName": "alice", "OrgPassword": "HarnessCollege1!"}


def my_client_find(service, uln, faults):  # stands for your system: one retry on WSEC0004
    for attempt in (1, 2):
        try:
            return service.FindByULN(Credentials=ME, FindType="FUL", ULN=uln,
                                     GivenName="Ada", FamilyName="Lovelace")
        except Fault as fault:
            faults.append((fault.detail.findtext(".//{*}ErrorCode"),
                           fault.detail.findtext(".//{*}ErrorTimestamp")))
            if attempt == 2 or faults[-1][0] != "WSEC0004":
                raise


@pytest.mark.lrs_gateway(state=FIXTURE, frozen_at="2026-09-01T09:00:00+00:00")
def test_my_client_retries_when_the_lrs_is_out_of_hours(lrs_gateway):
    lrs_gateway.control.add_fault(action="fault", code="WSEC0004", count=1,
                                  operation="FindByULN")
    faults = []
    found = my_client_find(zeep.Client(lrs_gateway.wsdl_url).service, "1000000019", faults)

    assert (found.ResponseCode, found.Learner.ULN) == ("WSRC0004", "1000000019")
    assert faults == [("WSEC0004", "2026-09-01T09:00:00Z")]  # dated by the frozen clock
    assert [(call.operation, call.organisation, call.code)
            for call in lrs_gateway.control.journal()] == [
        ("FindByULN", "10012345", "WSEC0004"), ("FindByULN", "10012345", "WSRC0004")]
    assert lrs_gateway.metric("lrs_soap_requests_total", code="WSEC0004") == 1
