"""End to end: a zeep client built from wsdl/ calls the real WSGI app over HTTP, down to the
database with the demo data."""

from __future__ import annotations

import pytest
import requests
import zeep
from lxml import etree
from zeep.exceptions import Fault

from tests.conftest import DEMO_AO, DEMO_LRB, NATIVE_NS, REPO

BINDING = f"{{{NATIVE_NS}}}LrsNativeBinding"


@pytest.fixture(scope="module")
def native(gateway):
    client = zeep.Client(str(REPO / "wsdl" / "lrs-native-v1.wsdl"))
    return client.create_service(BINDING, f"{gateway.url}/soap/v1")


def credentials(who=DEMO_LRB, **changes):
    values = {"UKPRN": who["ukprn"], "UserName": who["user"], "OrgPassword": who["password"]}
    values.update(changes)
    return {k: v for k, v in values.items() if v is not None}


def find(native, uln="1026893096", given="Sam", family="Example", find_type="FUL", **creds):
    return native.FindByULN(Credentials=credentials(**creds), FindType=find_type, ULN=uln,
                            GivenName=given, FamilyName=family)


def fault_code(call) -> str:
    with pytest.raises(Fault) as raised:
        call()
    detail = raised.value.detail
    return detail.find(f"{{{NATIVE_NS}}}LrsFault/{{{NATIVE_NS}}}ErrorCode").text


def test_exact_match_returns_the_whole_learner(native):
    response = find(native)
    assert response.ResponseCode == "WSRC0004"
    learner = response.Learner
    assert (learner.ULN, learner.GivenName, learner.FamilyName) == ("1026893096", "Sam", "Example")
    assert learner.DateOfBirth.isoformat() == "2000-01-31"
    assert learner.LastKnownPostCode == "AB12 3DF"
    assert learner.VersionNumber == 1
    assert learner.MasterSubstituted is False


def test_names_are_compared_without_case_or_accents(native):
    assert find(native, uln="4444599390", given="CHLOE", family="dupont").ResponseCode == "WSRC0004"


def test_wrong_names_get_no_match_and_no_data(native):
    response = find(native, given="Samantha")
    assert response.ResponseCode == "WSRC0001"
    assert response.Learner is None


def test_check_find_type_returns_no_personal_data(native):
    response = find(native, find_type="CHK")
    assert response.ResponseCode == "WSRC0004"
    assert response.Learner is None


def test_organisation_ref_is_accepted_instead_of_ukprn(native):
    response = find(native, UKPRN=None, OrganisationRef="DEMLRB")
    assert response.ResponseCode == "WSRC0004"


def test_wrong_password_is_wsec0005(native):
    assert fault_code(lambda: find(native, OrgPassword="WrongPassword!!!")) == "WSEC0005"


def test_unknown_organisation_is_wsec0003(native):
    assert fault_code(lambda: find(native, UKPRN="99999999")) == "WSEC0003"


def test_awarding_organisation_cannot_find_wsec0006(native):
    assert fault_code(lambda: find(native, who=DEMO_AO)) == "WSEC0006"


def test_bad_check_digit_is_wsec0136(native):
    assert fault_code(lambda: find(native, uln="1026893097")) == "WSEC0136"


def post(gateway, body: str, content_type="text/xml; charset=utf-8"):
    return requests.post(f"{gateway.url}/soap/v1", data=body.encode(),
                         headers={"Content-Type": content_type}, timeout=10)


def envelope(inner: str) -> str:
    return ('<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" '
            f'xmlns:v="{NATIVE_NS}"><s:Body>{inner}</s:Body></s:Envelope>')


CREDS = ("<v:Credentials><v:UKPRN>10000001</v:UKPRN><v:UserName>demo</v:UserName>"
         "<v:OrgPassword>DemoCollege2026!</v:OrgPassword></v:Credentials>")


def fault_of(response) -> tuple[str, str]:
    tree = etree.fromstring(response.content)
    ns = {"v": NATIVE_NS}
    return (tree.findtext(".//v:LrsFault/v:ErrorCode", namespaces=ns),
            tree.findtext(".//v:LrsFault/v:FurtherDetails", namespaces=ns))


def test_malformed_uln_is_wsec0001_naming_the_element(gateway):
    response = post(gateway, envelope(
        f"<v:FindByULN>{CREDS}<v:FindType>FUL</v:FindType><v:ULN>12345</v:ULN>"
        "<v:GivenName>Sam</v:GivenName><v:FamilyName>Example</v:FamilyName></v:FindByULN>"))
    assert response.status_code == 500
    code, details = fault_of(response)
    assert code == "WSEC0001"
    assert "ULN" in details and "pattern" in details


def test_missing_mandatory_element_is_wsec0001_naming_it(gateway):
    response = post(gateway, envelope(
        f"<v:FindByULN>{CREDS}<v:FindType>FUL</v:FindType><v:ULN>1026893096</v:ULN>"
        "<v:FamilyName>Example</v:FamilyName></v:FindByULN>"))
    code, details = fault_of(response)
    assert code == "WSEC0001"
    assert "GivenName" in details


def test_unknown_operation_is_wsec0002(gateway):
    code, _ = fault_of(post(gateway, envelope("<v:DeleteEverything/>")))
    assert code == "WSEC0002"


def test_served_wsdl_carries_the_configured_address_not_the_host_header(gateway):
    response = requests.get(gateway.wsdl_url, headers={"Host": "evil.example"}, timeout=10)
    assert response.status_code == 200
    tree = etree.fromstring(response.content)
    address = tree.find(".//{http://schemas.xmlsoap.org/wsdl/soap/}address").get("location")
    assert address == f"{gateway.url}/soap/v1"
    assert "evil.example" not in response.text


def test_zeep_can_build_a_client_from_the_served_wsdl_and_its_xsd(gateway):
    client = zeep.Client(gateway.wsdl_url)
    response = client.service.FindByULN(
        Credentials=credentials(), FindType="FUL", ULN="1026893096", GivenName="Sam",
        FamilyName="Example")
    assert response.ResponseCode == "WSRC0004"


def test_healthz_reports_the_database(gateway):
    response = requests.get(f"{gateway.url}/healthz", timeout=10)
    assert response.status_code == 200
    health = response.json()
    assert {key: health[key] for key in ("status", "database", "batch_workers_alive")} == {
        "status": "ok", "database": "ok", "batch_workers_alive": []}  # none run in this test
    waiting = health["oldest_waiting_job_seconds"]  # other tests may have left jobs waiting
    assert waiting is None or waiting >= 0


def test_wsdl_query_is_case_insensitive_like_wcf(gateway):
    for query in ("WSDL", "singleWsdl"):
        response = requests.get(f"{gateway.url}/soap/v1?{query}", timeout=10)
        assert response.status_code == 200 and b"LrsNativeService" in response.content
