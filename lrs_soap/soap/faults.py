"""The native face's fault shape: the one place where a domain error becomes its SOAP fault.

faultcode Client for problems with the request (WSEC0001–0006, 0136…), Server for our own
failures (WSEC0999). The detail is LrsFault in the native namespace; the envelope has the
elements and prefixes Spyne wrote for it (soap11env, tns, an empty faultactor).
"""

from __future__ import annotations

import datetime as dt

from lxml import etree

from lrs_soap.domain.codes import DESCRIPTIONS, ErrorCode
from lrs_soap.domain.errors import LrsError
from lrs_soap.soap.contract import NATIVE_NS, SOAP_ENV_NS
from lrs_soap.soap.intake import Answer, WrittenAnswer

SOAP_ENV = SOAP_ENV_NS
NSMAP = {"soap11env": SOAP_ENV, "tns": NATIVE_NS}


def detail(code: ErrorCode, further_details: str, now: dt.datetime) -> etree._Element:
    """The typed LrsFault element."""
    element = etree.Element(f"{{{NATIVE_NS}}}LrsFault", nsmap={"lrs": NATIVE_NS})
    for name, value in (
        ("ErrorCode", code.value),
        ("Description", DESCRIPTIONS.get(code, "")),
        ("FurtherDetails", further_details),
        ("ErrorTimestamp", now.strftime("%Y-%m-%dT%H:%M:%SZ")),
    ):
        etree.SubElement(element, f"{{{NATIVE_NS}}}{name}").text = value
    return element


# An envelope around an answer written as text: what lxml writes around it (the same
# declaration, prefixes and namespace declarations as envelope() below).
_TEXT_ENVELOPE = ("<?xml version='1.0' encoding='UTF-8'?>\n<soap11env:Envelope"
                  + "".join(f' xmlns:{prefix}="{uri}"' for prefix, uri in NSMAP.items())
                  + "><soap11env:Body>{}</soap11env:Body></soap11env:Envelope>")


class NativeFaults:
    """lrs_soap.soap.intake.FaultShape for /soap/v1."""

    def envelope(self, payload: Answer) -> bytes:
        if isinstance(payload, WrittenAnswer):
            return _TEXT_ENVELOPE.format(payload.xml).encode()
        root = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap=NSMAP)
        etree.SubElement(root, f"{{{SOAP_ENV}}}Body").append(payload)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8")

    def fault(self, error: LrsError, now: dt.datetime) -> bytes:
        server = error.code is ErrorCode.UNKNOWN_EXCEPTION
        element = etree.Element(f"{{{SOAP_ENV}}}Fault")
        etree.SubElement(element, "faultcode").text = (
            f"soap11env:{'Server' if server else 'Client'}")
        etree.SubElement(element, "faultstring").text = (
            f"{error.code.value}: {DESCRIPTIONS.get(error.code, '')}")
        etree.SubElement(element, "faultactor").text = ""
        etree.SubElement(element, "detail").append(
            detail(error.code, error.further_details, now))
        return self.envelope(element)
