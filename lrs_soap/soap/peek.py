"""A quick look into a SOAP request before a face handles it: which operation, and which
organisation (harness control's fault gate matches its rules on these).

Only used while a fault is armed. The parser resolves no entities and fetches nothing; a body
that is not XML is (None, no organisations), and the face then answers it as usual.
"""

from __future__ import annotations

import io

from lxml import etree

SOAP_BODY = "{http://schemas.xmlsoap.org/soap/envelope/}Body"
# Local names of the elements that name the calling organisation, on every face.
ORGANISATION_ELEMENTS = frozenset({"ukprn", "organisationref", "reference"})


def request_element_and_organisations(body: bytes) -> tuple[str | None, frozenset[str]]:
    """The Body's first element (Clark notation) and the organisation keys inside it."""
    operation, organisations, depth_in_body = None, set(), None
    try:
        for event, element in etree.iterparse(
                io.BytesIO(body), events=("start", "end"), resolve_entities=False,
                no_network=True, huge_tree=False, load_dtd=False):
            if event == "start":
                if depth_in_body is not None:
                    depth_in_body += 1
                    if depth_in_body == 1 and operation is None:
                        operation = element.tag
                elif element.tag == SOAP_BODY:
                    depth_in_body = 0
                continue
            if depth_in_body is not None:
                if etree.QName(element).localname.lower() in ORGANISATION_ELEMENTS \
                        and element.text and element.text.strip():
                    organisations.add(element.text.strip())
                depth_in_body -= 1
                element.clear()
    except etree.XMLSyntaxError:
        return None, frozenset()
    return operation, frozenset(organisations)
