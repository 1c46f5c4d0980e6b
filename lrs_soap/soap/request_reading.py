"""What every SOAP request must be before any face looks at it, read safely from its bytes.

Refused (WSEC0001), in order: an empty body; a body that would build more nodes than its size
allows (counted on the bytes, before any tree is built: soap.limits); text that is not well-formed
XML in the encoding its declaration names; any document type declaration (so no entity is
ever declared, let alone resolved); anything but a SOAP 1.1 Envelope whose Body has an
element.
"""

from __future__ import annotations

import threading

from lxml import etree

from lrs_soap.domain.errors import InvalidRequest
from lrs_soap.service import tracing
from lrs_soap.soap import contract
from lrs_soap.soap.limits import too_many_nodes

SOAP_ENV = contract.SOAP_ENV_NS
# Keep no more than a request needs (soap.limits counts on this): no blank text between
# elements, no table of xml:id values.
REQUEST_PARSER_OPTIONS = dict(contract.SAFE_PARSER_OPTIONS, remove_blank_text=True,
                              collect_ids=False)
_BODY = f"{{{SOAP_ENV}}}Body"
_parsers = threading.local()  # a parser is built once per thread (lxml's are not shared)


def _parser() -> etree.XMLParser:
    parser = getattr(_parsers, "parser", None)
    if parser is None:
        parser = _parsers.parser = etree.XMLParser(**REQUEST_PARSER_OPTIONS)
    return parser


@tracing.traced("parse")
def envelope_and_request(body: bytes) -> tuple[etree._Element, etree._Element]:
    """(the Envelope, the Body's element) of a request, or InvalidRequest saying why not."""
    if not body:
        raise InvalidRequest("the request body is empty")
    crowded = too_many_nodes(body)
    if crowded:
        raise InvalidRequest(crowded)
    try:
        root = etree.fromstring(body, _parser())
    except etree.XMLSyntaxError as error:
        raise InvalidRequest(f"not well-formed XML: {error}") from None
    except (UnicodeError, ValueError, LookupError):
        raise InvalidRequest("the request is not text in its declared encoding") from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise InvalidRequest("document type declarations are not accepted")
    body_element = next(root.iterchildren(_BODY), None)  # not find: no ElementPath
    if root.tag != f"{{{SOAP_ENV}}}Envelope" or body_element is None or len(body_element) == 0:
        raise InvalidRequest("not a SOAP 1.1 envelope with a body")
    return root, body_element[0]
