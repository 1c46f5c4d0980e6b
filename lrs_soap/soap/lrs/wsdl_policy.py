"""The WS-Policy of the live WSDLs (lrs-wire 2.3): a TransportBinding (HttpsToken, Basic256,
Strict layout) for each binding, which tells svcutil to generate an HTTPS binding.

It belongs in a WSDL whose address is https (the gateway serves TLS, or LRS_PUBLIC_URL names
the TLS proxy in front of it) and nowhere else: a .NET client generated from a WSDL with an
http address and this policy would insist on https, one without it on an https address would
refuse the scheme. ``RequireClientCertificate`` is "false" as live publishes it, although
live clients present one (live enforces it outside WCF's policy; so does ``--tls-client-ca``).
"""

from __future__ import annotations

from functools import cache

from lxml import etree

from lrs_soap.soap import contract

WSDL_NS = "http://schemas.xmlsoap.org/wsdl/"
WSP_NS = "http://schemas.xmlsoap.org/ws/2004/09/policy"
WSU_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
SP_NS = "http://schemas.xmlsoap.org/ws/2005/07/securitypolicy"


@cache
def served_wsdl(wsdl_name: str, endpoint_url: str) -> bytes:
    """A mirror WSDL as served (contract.served_wsdl), with the transport policy when the
    address is https."""
    served = contract.served_wsdl(wsdl_name, endpoint_url)
    if not endpoint_url.startswith("https://"):
        return served
    tree = etree.fromstring(served)
    for position, binding in enumerate(tree.findall(f"{{{WSDL_NS}}}binding")):
        policy_id = f"{binding.get('name')}_policy"
        tree.insert(position, _policy(policy_id))
        reference = etree.Element(f"{{{WSP_NS}}}PolicyReference", nsmap={"wsp": WSP_NS})
        reference.set("URI", f"#{policy_id}")
        binding.insert(0, reference)
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")


def _policy(policy_id: str) -> etree._Element:
    policy = etree.Element(f"{{{WSP_NS}}}Policy", nsmap={"wsp": WSP_NS, "wsu": WSU_NS})
    policy.set(f"{{{WSU_NS}}}Id", policy_id)
    every = etree.SubElement(etree.SubElement(policy, f"{{{WSP_NS}}}ExactlyOne"),
                             f"{{{WSP_NS}}}All")
    transport = etree.SubElement(every, f"{{{SP_NS}}}TransportBinding", nsmap={"sp": SP_NS})
    inner = etree.SubElement(transport, f"{{{WSP_NS}}}Policy")
    for assertion, content in (("TransportToken", "HttpsToken"),
                               ("AlgorithmSuite", "Basic256"), ("Layout", "Strict")):
        holder = etree.SubElement(etree.SubElement(inner, f"{{{SP_NS}}}{assertion}"),
                                  f"{{{WSP_NS}}}Policy")
        token = etree.SubElement(holder, f"{{{SP_NS}}}{content}")
        if content == "HttpsToken":
            token.set("RequireClientCertificate", "false")
    return policy
