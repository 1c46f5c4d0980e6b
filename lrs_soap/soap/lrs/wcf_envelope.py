"""The envelope checks a WCF BasicHttpBinding endpoint makes before any operation runs, as
LearnerServiceR9.svc and ExternalService.svc do (issue 18 item 5): dispatch by SOAPAction,
and SOAP 1.1's mustUnderstand rule (section 4.2.3).

No R9 or ExternalService fault has ever been captured (lrs-wire 2.7, 11.5): the shapes here
are WCF's own protocol faults, faultcode in WCF's namespaces, an ``xml:lang`` faultstring in
WCF's wording and no detail [inferred from WCF's documented behaviour].

- A SOAPAction naming no operation of the contract: ``a:ActionNotSupported`` (WCF's
  ContractFilter mismatch at the EndpointDispatcher).
- A SOAPAction naming another operation than the body's: WCF dispatches on the action and
  its formatter then finds the wrong wrapper element: ``a:DeserializationFailed``.
- An empty or missing SOAPAction is dispatched on the body's element (a deviation: WCF
  would answer ActionNotSupported; docs/compatibility.md), so hand-built clients work.
- A header entry marked ``mustUnderstand="1"`` for this node: ``s:MustUnderstand`` (we
  process no SOAP header at all).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from lxml import etree

from lrs_soap.soap import contract
from lrs_soap.soap.intake import EnvelopeRefused

SOAP_ENV = contract.SOAP_ENV_NS
ADDRESSING_NONE = "http://schemas.microsoft.com/ws/2005/05/addressing/none"
DISPATCHER = "http://schemas.microsoft.com/net/2005/12/windowscommunicationfoundation/dispatcher"
_NEXT_ACTOR = "http://schemas.xmlsoap.org/soap/actor/next"


def check(envelope: etree._Element, request: etree._Element, header: str | None,
          actions: Mapping[str, str], *, refused: Callable[[ProtocolFault], bytes]) -> None:
    """Both checks for the intake (its Face.check_envelope): the SOAPAction ``header``, then
    the header entries; a refusal is the response ``refused`` writes for it."""
    try:
        check_action(soap_action(header), request.tag, actions)
        check_headers(envelope)
    except ProtocolFault as refusal:
        raise EnvelopeRefused(refusal.code, refused(refusal)) from None


class ProtocolFault(Exception):
    """A fault WCF itself writes (no DomainFault detail)."""

    def __init__(self, namespace: str, code: str, text: str):
        super().__init__(text)
        self.namespace, self.code, self.text = namespace, code, text

    def write(self, fault: etree._Element, envelope_prefix: str) -> None:
        if self.namespace == SOAP_ENV:
            code = etree.SubElement(fault, "faultcode")
            code.text = f"{envelope_prefix}:{self.code}"
        else:
            code = etree.SubElement(fault, "faultcode", nsmap={"a": self.namespace})
            code.text = f"a:{self.code}"
        reason = etree.SubElement(fault, "faultstring")
        reason.set("{http://www.w3.org/XML/1998/namespace}lang", "en-US")
        reason.text = self.text


def soap_action(header: str | None) -> str:
    """The SOAPAction HTTP header's value without the quotes .NET and PHP put around it."""
    value = (header or "").strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    return value.strip()


def check_action(action: str, body_element: str, operations: Mapping[str, str]) -> None:
    """``operations``: the body element (Clark name) of each operation -> its action."""
    if not action or operations.get(body_element) == action:
        return
    by_action = {wanted: element for element, wanted in operations.items()}
    if action not in by_action:
        raise ProtocolFault(ADDRESSING_NONE, "ActionNotSupported", (
            f"The message with Action '{action}' cannot be processed at the receiver, due to "
            "a ContractFilter mismatch at the EndpointDispatcher. This may be because of "
            "either a contract mismatch (mismatched Actions between sender and receiver) or "
            "a binding/security mismatch between the sender and the receiver.  Check that "
            "sender and receiver have the same contract and the same binding (including "
            "security requirements, e.g. Message, Transport, None)."))
    expected, found = etree.QName(by_action[action]), etree.QName(body_element)
    raise ProtocolFault(DISPATCHER, "DeserializationFailed", (
        "The formatter threw an exception while trying to deserialize the message: Error in "
        f"deserializing body of request message for operation '{expected.localname}'. "
        "OperationFormatter encountered an invalid Message body. Expected to find node type "
        f"'Element' with name '{expected.localname}' and namespace '{expected.namespace}'. "
        f"Found node type 'Element' with name '{found.localname}' and namespace "
        f"'{found.namespace or ''}'"))


def check_headers(envelope: etree._Element) -> None:
    header = envelope.find(f"{{{SOAP_ENV}}}Header")
    for entry in header if header is not None else ():
        if not isinstance(entry.tag, str):
            continue
        must = entry.get(f"{{{SOAP_ENV}}}mustUnderstand", "0").strip()
        actor = entry.get(f"{{{SOAP_ENV}}}actor", _NEXT_ACTOR)
        if must in ("1", "true") and actor == _NEXT_ACTOR:
            name = etree.QName(entry)
            raise ProtocolFault(SOAP_ENV, "MustUnderstand", (
                f"The header '{name.localname}' from the namespace '{name.namespace or ''}' "
                "was not understood by the recipient of this message, causing the message to "
                "not be processed.  This error typically indicates that the sender of this "
                "message has enabled a communication protocol that the receiver cannot "
                "process.  Please ensure that the configuration of the client's binding is "
                "consistent with the service's binding. "))
