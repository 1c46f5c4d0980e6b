"""Issue 18 items 6 and 7: `lrs-soap serve` over real TLS with a generated CA, requiring
client certificates, as the live LRS is used: zeep and PHP SoapClient clients presenting a
certificate from the CA are served on the mirror endpoints; without one, or with one from
another CA, they are refused in the TLS handshake (no HTTP response at all); the served WSDLs
carry the live WS-Policy (HTTPS transport binding) because the address is https.

Certificates are not mapped to organisations (the organisation is named in the body, as on
the live service): docs/compatibility.md.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import requests
import trustme
import zeep
from lxml import etree
from zeep.transports import Transport

from tests.conftest import DEMO_LRB, REPO
from tests.contract.test_mirror_wsdl_policy import MIRRORS, WSDL, policy_of
from tests.e2e.servers import served_gateway

pytestmark = pytest.mark.slow  # a TLS server in its own processes

PHP_CLIENT = Path(__file__).resolve().parent / "php" / "mirror_client.php"


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    directory = tmp_path_factory.mktemp("pki")
    ca, stranger_ca = trustme.CA(), trustme.CA()
    issued = {"server": ca.issue_cert("127.0.0.1", "localhost"),
              "client": ca.issue_cert("college.example.org"),
              "stranger": stranger_ca.issue_cert("college.example.org")}
    files = {"ca": directory / "ca.pem"}
    ca.cert_pem.write_to_path(str(files["ca"]))
    for name, cert in issued.items():
        files[name] = directory / f"{name}.pem"
        cert.private_key_and_cert_chain_pem.write_to_path(str(files[name]))
    return {name: str(path) for name, path in files.items()}


@pytest.fixture(scope="module")
def tls_gateway(pki, tmp_path_factory):
    from lrs_soap.store import migrate

    url = f"sqlite:///{tmp_path_factory.mktemp('tlsdb') / 'lrs.db'}"
    migrate.upgrade(url)
    with served_gateway(url, "--tls-certfile", pki["server"], "--tls-keyfile", pki["server"],
                        "--tls-client-ca", pki["ca"], scheme="https", workers=1,
                        health={"verify": pki["ca"], "cert": pki["client"]}) as gateway:
        yield gateway


def session(pki, cert: str | None) -> requests.Session:
    http = requests.Session()
    http.trust_env = False  # else REQUESTS_CA_BUNDLE would override verify
    http.verify, http.cert = pki["ca"], cert
    return http


def test_zeep_with_a_client_certificate_is_served(pki, tls_gateway):
    transport = Transport(session=session(pki, pki["client"]), timeout=30)
    lrs = zeep.Client(f"{tls_gateway.url}/LearnerService.svc?singleWsdl", transport=transport)
    found = lrs.service.learnerByULN(
        FindType="FUL", OrganisationRef=None, UKPRN=DEMO_LRB["ukprn"],
        OrgPassword=DEMO_LRB["password"], UserName=DEMO_LRB["user"], ULN="1026893096",
        FamilyName="Example", GivenName="Sam")
    assert found.ResponseCode == "WSRC0004" and found.Learner[0].ULN == "1026893096"
    r9 = zeep.Client(f"{tls_gateway.url}/LearnerServiceR9.svc?singleWsdl", transport=transport)
    own = r9.service.GetOrganisation(
        invokingOrganisation={"Ukprn": DEMO_LRB["ukprn"], "Username": DEMO_LRB["user"],
                              "Password": DEMO_LRB["password"], "ChannelCode": "WebServices"},
        userType="ORG", vendorId=1, language="ENG", ukPrn=None, orgRef=None)
    assert (own.ResponseCode, own.Ukprn) == ("WSRC0004", DEMO_LRB["ukprn"])


@pytest.mark.parametrize("cert", [None, "stranger"], ids=["no-certificate", "another-ca"])
def test_zeep_without_a_certificate_of_the_ca_is_refused_in_the_handshake(pki, tls_gateway,
                                                                         cert):
    transport = Transport(session=session(pki, pki[cert] if cert else None), timeout=30)
    lrs = zeep.Client(str(REPO / "wsdl" / "LearnerService.wsdl"), transport=transport)
    service = lrs.create_service("{http://tempuri.org/}BasicHttpBinding_LearnerPortType",
                                 f"{tls_gateway.url}/LearnerService.svc")
    # No HTTP status at all: TLS 1.2 fails the handshake itself; under TLS 1.3 the client's
    # side of the handshake completes first and the server's refusal ends the connection
    # before any reply (an SSL error, a reset or "closed without response", by timing).
    with pytest.raises(requests.exceptions.ConnectionError):
        service.learnerByULN(FindType="FUL", OrganisationRef=None, UKPRN="10000001",
                             OrgPassword=DEMO_LRB["password"], UserName="demo",
                             ULN="1026893096", FamilyName="Example", GivenName="Sam")


def php(*args: str) -> dict:
    if shutil.which("php") is None:
        pytest.skip("php is not installed (Debian: apt-get install php-cli php-soap; "
                    ".ci/run installs them)")
    modules = subprocess.run(["php", "-m"], capture_output=True, text=True, check=True).stdout
    if "soap" not in modules.split():
        pytest.skip("PHP's soap extension is not installed (Debian: php-soap)")
    done = subprocess.run(["php", str(PHP_CLIENT), *args], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("path", ["/LearnerService.svc", "/LearnerServiceR9.svc"])
def test_php_soapclient_with_a_client_certificate_is_served(pki, tls_gateway, path):
    url = tls_gateway.url + path
    assert php(f"{url}?singleWsdl", url, pki["ca"], pki["client"]) == {"code": "WSRC0004"}


@pytest.mark.parametrize("cert", ["-", "stranger"], ids=["no-certificate", "another-ca"])
def test_php_soapclient_without_a_certificate_of_the_ca_is_refused_in_the_handshake(
        pki, tls_gateway, cert):
    url = f"{tls_gateway.url}/LearnerService.svc"
    answer = php(str(REPO / "wsdl" / "LearnerService.wsdl"), url, pki["ca"],
                 pki.get(cert, cert))
    # A transport failure with no HTTP reply at all ("Could not connect to host" or "Error
    # Fetching http headers", by when the TLS refusal reaches PHP)
    assert answer["fault"] == "HTTP" and answer["response"] == "", answer


def test_the_served_wsdls_carry_the_https_policy_under_tls(pki, tls_gateway):
    http = session(pki, pki["client"])
    for path in MIRRORS:
        served = http.get(f"{tls_gateway.url}{path}?singleWsdl", timeout=30)
        binding = etree.fromstring(served.content).find(f"{WSDL}binding").get("name")
        assert policy_of(served.content) == {binding: {"RequireClientCertificate": "false"}}
