"""The hand-written contract: file locations, namespaces, compiled schemas, served WSDL/XSD.

lxml's XMLSchema is not safe to share between threads (stack-notes: a shared schema leaked one
request's error text into another's fault), so each thread compiles its own copy, once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import cache
from pathlib import Path

from lxml import etree

from lrs_soap import resources

SOAP_ENV_NS = "http://schemas.xmlsoap.org/soap/envelope/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
NATIVE_NS = "urn:lrs-soap:native:v1"
NATIVE_XSD = "lrs-native-v1.xsd"
NATIVE_WSDL = "lrs-native-v1.wsdl"
NATIVE_PATH = "/soap/v1"

WSDL_SOAP_NS = "http://schemas.xmlsoap.org/wsdl/soap/"
XS_NS = "http://www.w3.org/2001/XMLSchema"

# Parser for anything that comes off the network: no entities, no DTDs, no network.
SAFE_PARSER_OPTIONS = dict(resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, huge_tree=False, remove_comments=True,
                           remove_pis=True)

_local = threading.local()


def xsd_path(name: str) -> Path:
    path = (resources.xsd_dir() / name).resolve()
    if path.parent != resources.xsd_dir().resolve() or path.suffix != ".xsd":
        raise FileNotFoundError(name)
    return path


def schema(name: str = NATIVE_XSD) -> etree.XMLSchema:
    """This thread's compiled copy of the named XSD."""
    schemas = getattr(_local, "schemas", None)
    if schemas is None:
        schemas = _local.schemas = {}
    compiled = schemas.get(name)
    if compiled is None:
        compiled = schemas[name] = etree.XMLSchema(etree.parse(str(xsd_path(name))))
    return compiled


def served_xsd_names() -> list[str]:
    return sorted(p.name for p in resources.xsd_dir().glob("*.xsd"))


@cache
def served_wsdl(wsdl_name: str, endpoint_url: str) -> bytes:
    """The WSDL with its address and schema imports pointing at ``endpoint_url``.

    Built from configuration only, never from a request's Host header.
    """
    tree = etree.parse(str(resources.wsdl_dir() / wsdl_name))
    for address in tree.iterfind(f".//{{{WSDL_SOAP_NS}}}address"):
        address.set("location", endpoint_url)
    for imported in tree.iterfind(f".//{{{XS_NS}}}import"):
        location = imported.get("schemaLocation")
        if location:
            imported.set("schemaLocation", f"{endpoint_url}?xsd={Path(location).name}")
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")


@cache
def served_xsd(name: str, endpoint_url: str) -> bytes:
    """An XSD, with any relative imports rewritten to be fetched from the same endpoint."""
    tree = etree.parse(str(xsd_path(name)))
    for imported in tree.iterfind(f".//{{{XS_NS}}}import"):
        location = imported.get("schemaLocation")
        if location:
            imported.set("schemaLocation", f"{endpoint_url}?xsd={Path(location).name}")
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")


MAX_REPORTED_ERRORS = 100


def schema_errors(schema: etree.XMLSchema, strip_namespace: str = "", *,
                  line_numbers: bool = True, separator: str = "\n",
                  word: Callable[[str], str] = str) -> str:
    """Every violation in the schema's error log, up to a hundred: by default one per line,
    "line N: Element 'X': why", the namespace stripped so that names read as in the XSD;
    ``word`` rewrites each message (the mirror face: schema_wording's plain words)."""
    errors = []
    for error in schema.error_log:
        message = word(str(error.message))
        if strip_namespace:
            message = message.replace(strip_namespace, "")
        errors.append(f"line {error.line}: {message}" if line_numbers else message)
    if len(errors) > MAX_REPORTED_ERRORS:
        hidden = len(errors) - MAX_REPORTED_ERRORS
        errors = [*errors[:MAX_REPORTED_ERRORS], f"... and {hidden} more"]
    return separator.join(errors)
