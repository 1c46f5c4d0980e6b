"""A WSEC0001's schema messages in the words of the person who typed the values.

The server lists each violation as libxml2 words it, about a line of the SOAP envelope the
user never saw: ``line 2: Element 'ULN': [facet 'pattern'] The value '12345' is not accepted
by the pattern '[1-9][0-9]{9}'.`` For a single call, ``explain`` turns that into
``ULN '12345': must be 10 digits, the first not 0``: the field as the commands call it, the
value, and what a valid one looks like. A message of a shape we do not know is kept as it
is. ``--json`` keeps the server's exact text (FurtherDetails) beside these.
"""

from __future__ import annotations

import re

# What a valid value looks like, by element (the contract's simple types, in plain words).
POSTCODE = ("a UK postcode such as SW1A 1AA, M1 1AE or CV4 9EE (the outward code, a space, "
            "then a digit and two letters), or BFPO and up to 4 digits")
DATE = "a date written YYYY-MM-DD, from 1800-01-01 to 2099-12-31"
FORMATS = {
    "ULN": "10 digits, the first not 0",
    "SearchedULN": "10 digits, the first not 0",
    "UKPRN": "8 letters or digits",
    "OrganisationRef": "6 letters or digits",
    "PostCode": POSTCODE,
    "LastKnownPostCode": POSTCODE,
    "DateOfBirth": DATE,
    "DateOfAddressCapture": DATE,
    "FromDate": DATE,
    "ToDate": DATE,
    "AwardDate": DATE,
    "EmailAddress": "an e-mail address such as name@example.org",
    "ContactEmail": "an e-mail address such as name@example.org",
    "ScottishCandidateNumber": "9 digits",
    "Gender": "0 (not known), 1 (male), 2 (female) or 9 (not specified)",
    "JobID": "a whole number from 1",
    "GivenName": "1 to 35 characters, not all spaces",
    "FamilyName": "1 to 35 characters, not all spaces",
    "UserName": "1 to 35 characters, not all spaces",
    "OrgPassword": "16 characters, not all spaces",
}
# The field as the commands and their help call it (others: the element name in words).
LABELS = {
    "ULN": "ULN", "UKPRN": "UKPRN (--ukprn)", "OrganisationRef": "OrganisationRef (--org-ref)",
    "UserName": "user name (--user)", "OrgPassword": "password (--password)",
    "GivenName": "given name", "FamilyName": "family name", "DateOfBirth": "date of birth",
    "PostCode": "postcode", "LastKnownPostCode": "postcode", "EmailAddress": "e-mail address",
}

_LINE = re.compile(r"(?:line \d+: )?Element '(?:\{[^}]*\})?(?P<element>[^']+)'"
                   r"(?:, attribute '[^']+')?: (?P<why>.*)", re.S)
_VALUE = re.compile(r"The value '(?P<value>.*?)' |^'(?P<bare>.*?)' is not a valid value")
_FACETS = (
    (re.compile(r"\[facet 'enumeration'\].*the set \{(?P<set>.*)\}"),
     lambda m: "must be one of " + ", ".join(re.findall(r"'([^']*)'", m["set"]))),
    (re.compile(r"\[facet 'maxLength'\] The value has a length of '(?P<n>\d+)'.*'(?P<max>\d+)'"),
     lambda m: f"is {m['n']} characters long: at most {m['max']} are allowed"),
    (re.compile(r"\[facet 'minLength'\].*'(?P<min>\d+)'\.$"),
     lambda m: "must not be empty" if m["min"] == "1" else
     f"must be at least {m['min']} characters long"),
    (re.compile(r"\[facet '(?:min|max)Inclusive'\].*\('(?P<limit>[^']*)'\)"),
     lambda m: f"is outside the allowed range (limit {m['limit']})"),
    (re.compile(r"This element is not expected|Missing child element"),
     lambda m: "is missing or in the wrong place"),
)


def label(element: str) -> str:
    if element in LABELS:
        return LABELS[element]
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", element).lower()
    return words


def explain_one(message: str) -> str:
    """One schema message in plain words (unchanged when its shape is unknown)."""
    found = _LINE.fullmatch(message.strip())
    if found is None:
        return message
    element, why = found["element"], found["why"].strip()
    value = _VALUE.search(why)
    given = value["value"] if value and value["value"] is not None else (
        value["bare"] if value else None)
    subject = label(element) + (f" {given!r}" if given is not None else "")
    fmt = FORMATS.get(element)
    for pattern, words in _FACETS:
        matched = pattern.search(why)
        if matched:
            problem = words(matched)
            if fmt and "enumeration" in why:
                problem = f"must be {fmt}"
            elif fmt and "Missing" not in why and "not expected" not in why:
                problem += f"; it must be {fmt}"
            return f"{subject}: {problem}"
    if "[facet 'pattern']" in why or "is not a valid value" in why:
        return f"{subject}: must be {fmt}" if fmt else f"{subject}: is not in the required format"
    return message


def explain(further_details: str) -> list[str]:
    """Each line of a WSEC0001's FurtherDetails, explained (the "... and N more" kept)."""
    return [explain_one(line) for line in further_details.splitlines() if line.strip()]
