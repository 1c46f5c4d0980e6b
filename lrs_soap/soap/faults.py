"""The one place where a domain error becomes a SOAP fault (native face).

faultcode Client for problems with the request (WSEC0001–0006, 0136…), Server for our own
failures (WSEC0999). The detail is LrsFault in the native namespace.
"""

from __future__ import annotations

import datetime as dt

from lxml import etree
from spyne import Fault

from lrs_soap.domain.codes import DESCRIPTIONS, ErrorCode
from lrs_soap.domain.errors import LrsError
from lrs_soap.soap.contract import NATIVE_NS


class LrsSoapFault(Fault):
    """A spyne Fault whose detail is our typed LrsFault element."""

    def __init__(self, code: ErrorCode, further_details: str = "", *, server: bool = False,
                 now: dt.datetime | None = None):
        self.code = code
        detail = etree.Element(f"{{{NATIVE_NS}}}LrsFault", nsmap={"lrs": NATIVE_NS})
        now = now or dt.datetime.now(dt.UTC)
        description = DESCRIPTIONS.get(code, "")
        for name, value in (
            ("ErrorCode", code.value),
            ("Description", description),
            ("FurtherDetails", further_details),
            ("ErrorTimestamp", now.strftime("%Y-%m-%dT%H:%M:%SZ")),
        ):
            etree.SubElement(detail, f"{{{NATIVE_NS}}}{name}").text = value
        super().__init__(faultcode="Server" if server else "Client",
                         faultstring=f"{code.value}: {description}",
                         detail=detail)


def from_error(error: LrsError, now: dt.datetime | None = None) -> LrsSoapFault:
    return LrsSoapFault(error.code, error.further_details,
                        server=error.code is ErrorCode.UNKNOWN_EXCEPTION, now=now)


def unexpected() -> LrsSoapFault:
    # Never echo the exception: it may carry SQL or personal data.
    return LrsSoapFault(ErrorCode.UNKNOWN_EXCEPTION, "an unexpected error occurred", server=True)


SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"


def envelope(fault: LrsSoapFault) -> bytes:
    """The whole response envelope Spyne writes for ``fault`` (the same elements and
    prefixes), for answers given before Spyne sees the request (harness control)."""
    root = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"soap11env": SOAP_ENV,
                                                          "tns": NATIVE_NS})
    body = etree.SubElement(root, f"{{{SOAP_ENV}}}Body")
    element = etree.SubElement(body, f"{{{SOAP_ENV}}}Fault")
    etree.SubElement(element, "faultcode").text = f"soap11env:{fault.faultcode}"
    etree.SubElement(element, "faultstring").text = fault.faultstring
    etree.SubElement(element, "faultactor").text = ""
    etree.SubElement(element, "detail").append(fault.detail)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
