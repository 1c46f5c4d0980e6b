"""The pytest plugin as a harness author uses it: a fresh gateway per test from the
``lrs_gateway`` fixture, a fixture file with chosen ULNs, a frozen and moved clock."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
import requests
import zeep
from lxml import etree
from zeep.exceptions import Fault

from tests.conftest import NATIVE_NS, REPO

COLLEGE_FIXTURE = str(REPO / "tests" / "control" / "data" / "college.yaml")
ALICE = {"UKPRN": "10012345", "UserName": "alice", "OrgPassword": "HarnessCollege1!"}
WSDL = "{http://schemas.xmlsoap.org/wsdl/}"
NINE = dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC)


def native(gateway):
    return zeep.Client(gateway.wsdl_url).service


def demo_lrb(gateway) -> dict:
    lrb = gateway.credentials["lrb"]
    return {"UKPRN": lrb.ukprn, "UserName": lrb.user, "OrgPassword": lrb.password}


def person(postcode="LS2 9JT") -> dict:
    return {"GivenName": "Robin", "FamilyName": "Newlearner",
            "DateOfBirth": dt.date(2005, 2, 3), "Gender": "2", "LastKnownPostCode": postcode}


@pytest.mark.lrs_gateway(state=COLLEGE_FIXTURE)
def test_a_fixture_gives_the_harness_its_own_ulns(lrs_gateway):
    service = native(lrs_gateway)
    found = service.FindByULN(Credentials=ALICE, FindType="FUL", ULN="1000000027",
                              GivenName="Alan", FamilyName="Turing")
    assert (found.ResponseCode, found.Learner.LastKnownPostCode) == ("WSRC0004", "M13 9PL")
    merged = service.FindByULN(Credentials=ALICE, FindType="FUL", ULN="1000000035",
                               GivenName="Ada", FamilyName="Lovelace")
    assert (merged.ResponseCode, merged.Learner.ULN) == ("WSRC0022", "1000000019")
    assert lrs_gateway.credentials == {}  # a fixture's credentials are the harness's own


@pytest.mark.lrs_gateway(frozen_at="2026-09-01T09:00:00+00:00")
def test_a_frozen_clock_dates_the_answers(lrs_gateway):
    wrong = {**demo_lrb(lrs_gateway), "OrgPassword": "WrongPassword123"}
    with pytest.raises(Fault) as raised:
        native(lrs_gateway).FindByULN(Credentials=wrong, FindType="FUL", ULN="1026893096",
                                      GivenName="Sam", FamilyName="Example")
    fault = raised.value.detail.find(f"{{{NATIVE_NS}}}LrsFault")
    assert fault.findtext(f"{{{NATIVE_NS}}}ErrorCode") == "WSEC0005"
    assert fault.findtext(f"{{{NATIVE_NS}}}ErrorTimestamp") == "2026-09-01T09:00:00Z"


@pytest.mark.lrs_gateway(frozen_at=NINE)
def test_moving_the_clock_past_the_find_before_register_window(lrs_gateway):
    service, credentials = native(lrs_gateway), demo_lrb(lrs_gateway)
    search = service.FindByDemographics(Credentials=credentials, FindType="FUL",
                                        Demographics=person())
    assert search.ResponseCode == "WSRC0001"
    lrs_gateway.control.move(dt.timedelta(minutes=61))  # the window is one hour
    learner = {**person(), "VerificationType": "1", "AbilityToShare": "1"}
    late = service.RegisterLearner(Credentials=credentials, Learner=learner)
    assert late.ResponseCode == "WSRC0021"
    assert "FindByDemographics" in late.Reason
    lrs_gateway.control.move(dt.timedelta(minutes=-2))  # back inside the window
    assert service.RegisterLearner(Credentials=credentials,
                                   Learner=learner).ResponseCode == "WSRC0005"


def test_a_reset_between_steps_forgets_what_the_client_did(lrs_gateway):
    service, credentials = native(lrs_gateway), demo_lrb(lrs_gateway)
    learner = {**person("LS3 1AB"), "VerificationType": "1", "AbilityToShare": "1"}
    service.FindByDemographics(Credentials=credentials, FindType="FUL",
                               Demographics=person("LS3 1AB"))
    uln = service.RegisterLearner(Credentials=credentials, Learner=learner).ULN
    found = service.FindByULN(Credentials=credentials, FindType="FUL", ULN=uln,
                              GivenName="Robin", FamilyName="Newlearner")
    assert found.ResponseCode == "WSRC0004"
    lrs_gateway.control.reset("demo")
    again = service.FindByULN(Credentials=credentials, FindType="FUL", ULN=uln,
                              GivenName="Robin", FamilyName="Newlearner")
    assert again.ResponseCode == "WSRC0001"


def test_the_mirror_face_is_served_too(lrs_gateway):
    response = requests.get(lrs_gateway.mirror_url("LearnerService") + "?singleWsdl",
                            timeout=10)
    assert response.status_code == 200
    services = etree.fromstring(response.content).findall(f"{WSDL}service")
    assert [service.get("name") for service in services] == ["LearnerServiceProxy"]


@pytest.mark.slow  # a second pytest process: imports everything again (5-15 s)
def test_the_readme_example_runs_in_a_harness_of_its_own(tmp_path):
    """The README's example, as a harness author copies it (its fixture file beside its
    test): a new pytest run finds the plugin through its entry point, starts the gateway,
    loads the fixture, freezes the clock, injects a fault and asserts on the journal and
    the metrics."""
    readme = (REPO / "README.md").read_text()
    section = readme.split("## Testing against lrs-soap", 1)[1]
    fixture = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    example = section.split("```python\n", 1)[1].split("```", 1)[0]
    (tmp_path / "lrs-fixture.yaml").write_text(fixture)
    (tmp_path / "test_example.py").write_text(example)
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          "-W", "ignore::DeprecationWarning", "test_example.py"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed" in run.stdout
