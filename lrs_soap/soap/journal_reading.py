"""What the request journal learns from a call's envelopes, and the one redaction rule.

The rule: an element or attribute whose local name ends in "password", "secret" or "token"
(any case, any namespace: OrgPassword, a:Password, wsse:Password, ...) keeps its name but
loses its value, and the values so removed are also masked wherever they appear in the
stored response (a schema fault may quote a value). It runs before anything is stored.
A request that is not well-formed XML cannot be redacted reliably, so it is not stored.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass

from lxml import etree

from lrs_soap.service.journal import REDACTED, SECRET_NAME, masked
from lrs_soap.soap import contract
from lrs_soap.soap.intake import Intake, WrittenAnswer

NOT_STORED_MALFORMED = b"(not stored: not well-formed XML, so it could not be redacted)"

_ORGANISATION_NAMES = frozenset({"ukprn", "organisationref", "orgref", "reference"})
_USER_NAMES = frozenset({"username"})
# R9's UpdateLearnerSubsetFields answers with the bare code as its result.
_CODE_TAGS = ("{*}ResponseCode", "{*}ErrorCode", "{*}UpdateLearnerSubsetFieldsResult",
              "ResponseCode", "ErrorCode")
_BODY = f"{{{contract.SOAP_ENV_NS}}}Body"
_ITERPARSE_OPTIONS = {k: v for k, v in contract.SAFE_PARSER_OPTIONS.items()
                      if k != "dtd_validation"}
# Credentials stand near the top of every request: reading further would let a huge or
# hostile body (one the intake refuses by its element budget) cost the journal a whole tree.
MAX_ELEMENTS_READ = 200


@dataclass(frozen=True)
class CallFacts:
    operation: str  # the WSDL operation's name, "?" when no known operation was named
    organisation: str | None
    user_name: str | None
    code: str  # response or fault code; "HTTP <status>" when the answer carries none


def _local(name: object) -> str:
    return str(name).rpartition("}")[2]


def _is_secret(name: object) -> bool:
    return bool(SECRET_NAME.search(_local(name)))


def read_request(body: bytes, operations: Mapping[str, str]) -> tuple[str, str | None,
                                                                      str | None]:
    """(operation, organisation, user name) from a request, reading only as far as needed."""
    return _request_facts(_parsed_events(body), operations)


def request_from_tree(envelope: etree._Element, operations: Mapping[str, str]
                      ) -> tuple[str, str | None, str | None]:
    """:func:`read_request` on the tree the intake built from the same bytes: the same
    events, walked in C (lxml's iterwalk) instead of parsed."""
    return _request_facts(etree.iterwalk(envelope, events=("start", "end")), operations)


def _parsed_events(body: bytes):
    """(event, element) while parsing; a syntax error ends them (what was read so far
    stands: the face has answered the caller already)."""
    try:
        yield from etree.iterparse(io.BytesIO(body), events=("start", "end"),
                                   **_ITERPARSE_OPTIONS)
    except etree.XMLSyntaxError:
        return


def _request_facts(events, operations: Mapping[str, str]) -> tuple[str, str | None,
                                                                   str | None]:
    operation, organisation, user = "?", None, None
    read = depth = 0
    for event, element in events:
        if event == "start":
            depth += 1
            if depth == 3:
                parent = element.getparent()
                if parent is not None and parent.tag == _BODY:
                    operation = operations.get(element.tag, "?")
            continue
        depth -= 1
        read += 1
        if read > MAX_ELEMENTS_READ:
            break
        name = _local(element.tag).lower()
        text = (element.text or "").strip() or None
        if organisation is None and name in _ORGANISATION_NAMES:
            organisation = text
        elif user is None and name in _USER_NAMES:
            user = text
        if organisation and user and operation != "?":
            break
    return operation, organisation, user


def code_from_tree(answer: etree._Element) -> str | None:
    """:func:`read_code` on the answer element the response was written from (None when it
    holds no code: the caller then reads the bytes, as the envelope may)."""
    for _event, element in etree.iterwalk(answer, events=("end",), tag=_CODE_TAGS):
        if element.text and element.text.strip():
            return element.text.strip()[:20]
    return None


def read_code(response: bytes, http_status: int) -> str:
    """The first response or fault code in an answer (the call's own, which comes first)."""
    if response.lstrip().startswith(b"<"):
        try:
            for _event, element in etree.iterparse(io.BytesIO(response), tag=_CODE_TAGS,
                                                   **_ITERPARSE_OPTIONS):
                if element.text and element.text.strip():
                    return element.text.strip()[:20]
        except etree.XMLSyntaxError:
            pass
    return f"HTTP {http_status}"


def redacted(request: bytes, response: bytes) -> tuple[bytes, bytes]:
    """Both envelopes with every secret removed: what the journal may store."""
    try:
        root = etree.fromstring(request, etree.XMLParser(**contract.SAFE_PARSER_OPTIONS))
    except etree.XMLSyntaxError:
        return NOT_STORED_MALFORMED, response
    secrets: set[str] = set()
    for element in root.iter():
        if isinstance(element.tag, str) and _is_secret(element.tag) and element.text:
            secrets.add(element.text)
            element.text = REDACTED
        for name, value in element.attrib.items():
            if _is_secret(name):
                secrets.add(value)
                element.attrib[name] = REDACTED
    clean_request = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return clean_request, masked(response, secrets)


class EnvelopeReader:
    """observability.journal.EnvelopeReader for the gateway's SOAP endpoints."""

    def __init__(self, operations_by_path: Mapping[str, Mapping[str, str]]):
        # path -> {Clark name of a request element: WSDL operation name}
        self.operations_by_path = operations_by_path

    @classmethod
    def for_gateway(cls, intakes: Mapping[str, Intake]) -> EnvelopeReader:
        """``intakes``: path -> the endpoint's intake (lrs_soap.soap.intake)."""
        return cls({path: {tag: operation.name for tag, operation in intake.operations.items()}
                    for path, intake in intakes.items()})

    def request(self, path: str, body: bytes, seen: dict | None = None
                ) -> tuple[str, str | None, str | None]:
        operations = self.operations_by_path.get(path, {})
        envelope = seen.get("envelope") if seen else None
        if envelope is not None:
            return request_from_tree(envelope, operations)
        return read_request(body, operations)

    def code(self, body: bytes, http_status: int, seen: dict | None = None) -> str:
        answer = seen.get("answer") if seen else None
        if isinstance(answer, WrittenAnswer):
            code = answer.code
        else:
            code = code_from_tree(answer) if answer is not None else None
        return code or read_code(body, http_status)

    def redacted(self, request: bytes, response: bytes) -> tuple[bytes, bytes]:
        return redacted(request, response)
