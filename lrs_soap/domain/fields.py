"""Contract element names of a learner's details and the LearnerDetails attributes they fill.

Shared by the SOAP faces and by batch processing, whose stored records are keyed by these
element names.
"""

import datetime as dt

from lrs_soap.domain.model import LearnerDetails

# LearnerToRegister element -> LearnerDetails attribute, in the contract's order
DETAIL_FIELDS: tuple[tuple[str, str], ...] = (
    ("Title", "title"),
    ("GivenName", "given_name"),
    ("MiddleOtherName", "middle_other_name"),
    ("FamilyName", "family_name"),
    ("PreferredGivenName", "preferred_given_name"),
    ("PreviousFamilyName", "previous_family_name"),
    ("FamilyNameAtAge16", "family_name_at_16"),
    ("SchoolAtAge16", "school_at_age_16"),
    ("LastKnownAddressLine1", "address_line1"),
    ("LastKnownAddressLine2", "address_line2"),
    ("LastKnownAddressTown", "address_town"),
    ("LastKnownAddressCountyOrCity", "address_county_or_city"),
    ("LastKnownPostCode", "postcode"),
    ("DateOfAddressCapture", "date_of_address_capture"),
    ("DateOfBirth", "date_of_birth"),
    ("PlaceOfBirth", "place_of_birth"),
    ("Gender", "gender"),
    ("EmailAddress", "email_address"),
    ("Nationality", "nationality"),
    ("ScottishCandidateNumber", "scottish_candidate_number"),
    ("VerificationType", "verification_type"),
    ("OtherVerificationDescription", "other_verification_description"),
    ("AbilityToShare", "ability_to_share"),
    ("Notes", "notes"),
)
DATE_FIELDS = frozenset({"DateOfBirth", "DateOfAddressCapture"})


def parse_date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def details_from_payload(payload: dict[str, str | None]) -> LearnerDetails:
    """A batch record (already schema-valid) as LearnerDetails; absent optionals are None."""
    values = {}
    for element, attribute in DETAIL_FIELDS:
        value = payload.get(element)
        values[attribute] = parse_date(value) if element in DATE_FIELDS else (value or None)
    values.setdefault("verification_type", "0")
    return LearnerDetails(**values)
