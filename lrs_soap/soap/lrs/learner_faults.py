"""LearnerService.svc faults, shaped as the live service's (lrs-wire.md 2.7, 8.5).

HTTP 500; ``faultcode`` soapenv:Server; ``faultstring`` the Java exception class; detail
``ns10:MIAPAPIException`` in the exceptions namespace with UNQUALIFIED children ErrorCode,
ErrorActor, Description, FurtherDetails and ErrorTimestamp (``yyyy-MM-dd HH:mm:ss``, UK
time), as captured from the live service (the WCF WSDL declares them qualified; the wire and
the legacy fault.xsd do not).
"""

from __future__ import annotations

import datetime as dt

from lxml import etree

from lrs_soap.domain.codes import ErrorCode
from lrs_soap.domain.errors import LrsError
from lrs_soap.soap.lrs import learner_xml as xml
from lrs_soap.soap.lrs.face import FaultStyle, description

FAULTSTRING = "uk.gov.miap.lrs.api.exceptions.MIAPAPIException"

# ErrorActor: the live one names the Java method that refused the request. Schema violations
# carry the one captured; for the others we name our own component rather than invent Java.
VALIDATOR_ACTOR = "uk.gov.miap.lrs.api.learner.utils.MSGValidator.validateSOAPMSG()"
SERVICE_ACTOR = "lrs-soap LearnerService.svc"


def actor(error: LrsError) -> str:
    return VALIDATOR_ACTOR if error.code is ErrorCode.INVALID_REQUEST else SERVICE_ACTOR


def detail(error: LrsError, now: dt.datetime) -> etree._Element:
    exception = etree.Element(f"{{{xml.EXCEPTIONS}}}MIAPAPIException",
                              nsmap={xml.FAULT_PREFIX: xml.EXCEPTIONS})
    for tag, value in (("ErrorCode", error.code.value), ("ErrorActor", actor(error)),
                       ("Description", description(error)),
                       ("FurtherDetails", error.further_details),
                       ("ErrorTimestamp", xml.timestamp(now))):
        etree.SubElement(exception, tag).text = value or None
    return exception


FAULTS = FaultStyle(faultstring=lambda error: FAULTSTRING, detail=detail, prefix="soapenv")
