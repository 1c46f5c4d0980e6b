"""Issue 18 item 6: the served mirror WSDLs carry the live WS-Policy (an HTTPS
TransportBinding referenced from each binding) when their address is https, and none when it
is http, so that svcutil generates a binding that works in either set-up. (Served over real
TLS: tests/e2e/test_mutual_tls_clients.py.)"""

from __future__ import annotations

import requests
from lxml import etree

from lrs_soap.soap.lrs.endpoints import ENDPOINTS
from lrs_soap.soap.lrs.wsdl_policy import served_wsdl

WSP = "{http://schemas.xmlsoap.org/ws/2004/09/policy}"
SP = "{http://schemas.xmlsoap.org/ws/2005/07/securitypolicy}"
WSDL = "{http://schemas.xmlsoap.org/wsdl/}"
WSU_ID = "{http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd}Id"
MIRRORS = tuple(path for path, _, _ in ENDPOINTS)


def policy_of(wsdl: bytes) -> dict[str, str]:
    """binding name -> the TransportBinding's HttpsToken attributes, following the
    binding's PolicyReference to the policy it names."""
    root = etree.fromstring(wsdl)
    policies = {policy.get(WSU_ID): policy for policy in root.findall(f"{WSP}Policy")}
    found = {}
    for binding in root.findall(f"{WSDL}binding"):
        reference = binding.find(f"{WSP}PolicyReference")
        if reference is not None:
            policy = policies[reference.get("URI").lstrip("#")]
            token = policy.find(f".//{SP}TransportBinding//{SP}TransportToken//{SP}HttpsToken")
            found[binding.get("name")] = dict(token.attrib)
    return found


def test_an_https_address_brings_the_live_transport_policy():
    for path, _, wsdl_name in ENDPOINTS:
        wsdl = served_wsdl(wsdl_name, f"https://lrs.example.org{path}")
        root = etree.fromstring(wsdl)
        (binding,) = root.findall(f"{WSDL}binding")
        assert policy_of(wsdl) == {binding.get("name"): {"RequireClientCertificate": "false"}}
        policy = root[0]  # first in the definitions, as WCF writes it
        assert policy.get(WSU_ID) == f"{binding.get('name')}_policy"
        layout = policy.find(f".//{SP}TransportBinding/{WSP}Policy")
        assert [etree.QName(child).localname for child in layout] == [
            "TransportToken", "AlgorithmSuite", "Layout"]
        assert layout.find(f"{SP}AlgorithmSuite/{WSP}Policy/{SP}Basic256") is not None
        assert layout.find(f"{SP}Layout/{WSP}Policy/{SP}Strict") is not None


def test_the_served_wsdls_carry_no_policy_without_tls(gateway):
    for path in MIRRORS:
        served = requests.get(f"{gateway.url}{path}?singleWsdl", timeout=30)
        assert served.status_code == 200 and policy_of(served.content) == {}
        assert etree.fromstring(served.content).find(f".//{WSP}Policy") is None
