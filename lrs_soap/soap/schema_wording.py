"""Schema violations in plain words, for a WSEC0001's FurtherDetails: the element, the value
and the broken facet, as a person reading a client's error message needs them.

libxml2's own messages quote a pattern, and for a type with several patterns (a postcode is
a UK postcode OR a BFPO number) they quote only the last alternative tried, which is wrong
for the value at hand. So a pattern is never quoted: the type's ``xs:documentation`` says
what the format is, and a type without one is named instead. Messages we do not recognise
pass through unchanged. Any SOAP face can pass :func:`wording` to
``contract.schema_errors``.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from lrs_soap.soap import contract

_XS = "{http://www.w3.org/2001/XMLSchema}"
_MESSAGE = re.compile(r"Element '(?P<element>[^']+)'(?P<attribute>, attribute '[^']+')?: "
                      r"(?P<rest>.*)", re.S)
_CLARK = re.compile(r"\{[^}'\s]*\}")  # {namespace}name -> name
BUILT_IN = {"int": "a whole number", "long": "a whole number", "short": "a whole number",
            "decimal": "a number", "float": "a number", "double": "a number",
            "boolean": "true or false", "date": "a date (yyyy-MM-dd)",
            "dateTime": "a date and time (yyyy-MM-ddTHH:mm:ss)",
            "base64Binary": "base64 text", "string": "text"}


@dataclass
class Formats:
    """What each element's type requires, from the ``xs:documentation`` of the named simple
    types in a schema and everything it imports."""

    by_type: dict[str, str] = field(default_factory=dict)  # type local name -> format
    types_of: dict[str, set[str]] = field(default_factory=dict)  # element -> type names

    def of_element(self, element: str) -> tuple[str | None, str | None]:
        """(type name, what its format is) when the element name has one type."""
        types = self.types_of.get(element, set())
        if len(types) != 1:
            return None, None
        (type_name,) = types
        return type_name, self.by_type.get(type_name) or BUILT_IN.get(type_name)


_formats: dict[str, Formats] = {}
_lock = threading.Lock()


def formats(xsd_name: str) -> Formats:
    with _lock:
        if xsd_name not in _formats:
            found = Formats()
            _read(contract.xsd_path(xsd_name), found, set())
            _formats[xsd_name] = found
        return _formats[xsd_name]


def _read(path: Path, found: Formats, seen: set[Path]) -> None:
    if path in seen:
        return
    seen.add(path)
    tree = etree.parse(str(path))
    for simple in tree.iter(f"{_XS}simpleType"):
        text = simple.findtext(f"{_XS}annotation/{_XS}documentation")
        if simple.get("name") and text:
            found.by_type[simple.get("name")] = " ".join(text.split())
    for element in tree.iter(f"{_XS}element"):
        if element.get("name") and element.get("type"):
            found.types_of.setdefault(element.get("name"), set()).add(
                element.get("type").rpartition(":")[2])
    for imported in tree.iter(f"{_XS}import", f"{_XS}include"):
        if imported.get("schemaLocation"):
            _read(path.parent / Path(imported.get("schemaLocation")).name, found, seen)


def _values(text: str) -> str:
    return ", ".join(value or "(empty)" for value in re.findall(r"'([^']*)'", text))


# (a libxml2 message after "Element 'X': ", what to write) in plain words
_RULES: list[tuple[re.Pattern, Callable[[re.Match, str | None, str | None], str]]] = [
    (re.compile(r"\[facet 'pattern'\] The value '(.*)' is not accepted by the pattern .*", re.S),
     lambda m, name, what: f"'{m[1]}' is not in the required format"
     + (f": {what}" if what else f" of {name}" if name else "")),
    (re.compile(r"\[facet 'enumeration'\] The value '(.*)' is not an element of the set "
                r"\{(.*)\}\."),
     lambda m, name, what: f"'{m[1]}' is not one of the allowed values: {_values(m[2])}"),
    (re.compile(r"\[facet 'maxLength'\] The value has a length of '(\d+)'; .* of '(\d+)'\."),
     lambda m, name, what: f"the value is {m[1]} characters long; at most {m[2]} are allowed"),
    (re.compile(r"\[facet 'minLength'\] The value has a length of '(\d+)'; .* of '(\d+)'\."),
     lambda m, name, what: f"the value is {m[1]} characters long; at least {m[2]} are needed"),
    (re.compile(r"\[facet 'length'\] The value has a length of '(\d+)'; .* of '(\d+)'\."),
     lambda m, name, what: f"the value is {m[1]} characters long; it must be exactly {m[2]}"),
    (re.compile(r"\[facet '(?:max|min)(?:In|Ex)clusive'\] The value '(.*)' is (greater|less) "
                r"than the (?:maximum|minimum) value allowed \('(.*)'\)\."),
     lambda m, name, what: f"'{m[1]}' is {'more' if m[2] == 'greater' else 'less'} than "
                           f"the {'largest' if m[2] == 'greater' else 'smallest'} value "
                           f"allowed, {m[3]}"),
    (re.compile(r"'(.*)' is not a valid value of the (?:local )?(?:atomic|union|list) type"
                r"(?: '(.*)')?\.", re.S),
     lambda m, name, what: f"'{m[1]}' is not " + (what or "a valid value")),
    (re.compile(r"This element is not expected\. Expected is (?:one of )?\( (.*) \)\."),
     lambda m, name, what: f"not expected here; the next element must be {_or(m[1])} "
                           "(missing or out of order)"),
    (re.compile(r"This element is not expected\."),
     lambda m, name, what: "not expected here"),
    (re.compile(r"Missing child element\(s\)\. Expected is (?:one of )?\( (.*) \)\."),
     lambda m, name, what: f"a mandatory element is missing: {_or(m[1])}"),
]


def _or(names: str) -> str:
    parts = [part.strip() for part in names.split(",")]
    return " or ".join(parts)


def plain(message: str, known: Formats | None = None) -> str:
    """One libxml2 schema message in plain words (unchanged when not recognised)."""
    message = _CLARK.sub("", message.strip())
    found = _MESSAGE.fullmatch(message)
    if found is None:
        return message
    if found["attribute"]:
        return message
    element, known = found["element"], known or Formats()
    type_name, what = known.of_element(element)
    named = re.search(r"type '([^']+)'\.$", found["rest"])  # the type libxml2 names
    if named:
        type_name = named[1]
        what = known.by_type.get(type_name) or BUILT_IN.get(type_name.rpartition(":")[2]) \
            or f"a valid {type_name}"
    for pattern, write in _RULES:
        matched = pattern.fullmatch(found["rest"].strip())
        if matched:
            return f"Element '{element}': {write(matched, type_name, what)}."
    return message


def wording(xsd_name: str) -> Callable[[str], str]:
    """:func:`plain` for the violations of the named schema."""
    known = formats(xsd_name)
    return lambda message: plain(message, known)
