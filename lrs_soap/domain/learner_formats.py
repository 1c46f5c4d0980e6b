"""The contract XSD's formats for a learner's details, for the faces that have no schema.

A SOAP request is checked against xsd/lrs-native-v1.xsd before it reaches a rule; an
administrator's `lrs-soap learners split` is not, so the same formats are checked here
(the facets of the XSD's Gender, PostCode, VerificationType, ZeroOneTwo and NameNonEmpty
types; tests/unit/test_learner_formats.py holds the two to the same answers).
"""

from __future__ import annotations

import re

from lrs_soap.domain.model import LearnerDetails

GENDERS = frozenset({"0", "1", "2", "9"})
VERIFICATION_TYPES = frozenset({"0", "1", "2", "3", "4", "5", "6", "7", "999"})
ABILITY_TO_SHARE = frozenset({"0", "1", "2"})
MAX_NAME = 35
POSTCODE = re.compile(r"[A-Za-z]{1,2}[0-9Rr][0-9A-Za-z]? ?[0-9][ABD-HJLNP-UW-Zabd-hjlnp-uw-z]{2}"
                      r" {0,4}|BFPO ?[0-9]{1,4}")
MAX_POSTCODE = 9
POSTCODE_FORMAT = ("a UK postcode such as SW1A 1AA, M1 1AE or CV4 9EE (outward code, an "
                   "optional space, a digit and two letters), or BFPO and up to 4 digits")


def format_problems(details: LearnerDetails) -> list[str]:
    """What the XSD would refuse in these details, one sentence each."""
    problems = []
    for element, value in (("GivenName", details.given_name),
                           ("FamilyName", details.family_name)):
        if len(value or "") > MAX_NAME:
            problems.append(f"{element} is at most {MAX_NAME} characters")
    if details.gender not in GENDERS:
        problems.append(f"Gender {details.gender!r} is not 0 (not known), 1 (male), "
                        "2 (female) or 9 (not specified)")
    postcode = details.postcode or ""
    if len(postcode) > MAX_POSTCODE or not POSTCODE.fullmatch(postcode):
        problems.append(f"PostCode {postcode!r} is not {POSTCODE_FORMAT}")
    if details.verification_type not in VERIFICATION_TYPES:
        problems.append(f"VerificationType {details.verification_type!r} is not one of "
                        + ", ".join(sorted(VERIFICATION_TYPES, key=int)))
    if details.ability_to_share not in ABILITY_TO_SHARE:
        problems.append(f"AbilityToShare {details.ability_to_share!r} is not 0, 1 or 2")
    return problems
