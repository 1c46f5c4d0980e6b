"""The record elements of the native contract and the domain attributes they are read into.

A learner's details (LearnerToRegister, BatchLearner: LearnerService's too), an achievement
(Achievement), an entry and a result (Entry, Result: the portal's entries files too), the
batch files the portal takes and the offline validator checks (their
records are these elements) and the portal's job output files share the names. Wire names
stay in the faces: this is the one table they share (the SOAP faces, the portal, lrs-client's
validator), outside the layers so each may read it; the domain and the service may not
(import-linter), and it imports nothing.
"""

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

# A learner batch record's element (BatchLearner, VerifyBatchLearner, a batch file's
# Learner) -> its SentLearner attribute; and the other way, for the face's output
LEARNER_RECORD = {"ULN": "uln", "MISIdentifier": "mis_identifier", **dict(DETAIL_FIELDS)}
LEARNER_LABELS = {attribute: element for element, attribute in LEARNER_RECORD.items()} | {
    "submitted_version": "VersionNumber"}


# A learner or verification batch record's stored outcome (domain.learner_outcomes) ->
# the element each face names it by (its problems worded as one Reason)
LEARNER_OUTCOME_ELEMENTS = {
    "mis_identifier": "MISIdentifier", "uln": "ULN", "problems": "Reason",
    "possible_match_ulns": "PossibleMatchULNs", "searched_uln": "SearchedULN",
    "failure_flags": "FailureFlags"}



# An Achievement element -> its SentAchievement attribute; and the other way: how the
# native face (its job outputs, the portal, the offline validator) names a record's field
ACHIEVEMENT_RECORD = {
    "Action": "action", "ULN": "uln", "GivenName": "given_name", "FamilyName": "family_name",
    "QualificationReference": "qualification_reference", "DateOfBirth": "date_of_birth",
    "Gender": "gender", "Grade": "grade", "AwardDate": "award_date",
    "ActionDate": "action_date", "ActionReason": "action_reason",
    "ProviderUKPRN": "provider_ukprn", "LanguageForAssessment": "language_for_assessment",
    "MISIdentifier": "mis_identifier"}
ACHIEVEMENT_LABELS = {attribute: element for element, attribute in ACHIEVEMENT_RECORD.items()}

# An Entry or Result element -> its SentEntry or SentResult attribute, in the order of the
# columns of an entries or results file (the portal's upload, lrs-client's submit-entries)
ENTRY_RECORD = {
    "MISIdentifier": "mis_identifier", "ULN": "uln", "GivenName": "given_name",
    "FamilyName": "family_name", "DateOfBirth": "date_of_birth", "Gender": "gender",
    "QualificationReference": "qualification_reference", "EntryDate": "entry_date",
    "ExpectedAwardDate": "expected_award_date", "ProviderUKPRN": "provider_ukprn"}
RESULT_RECORD = {
    "MISIdentifier": "mis_identifier", "EntryID": "entry_id", "Action": "action",
    "Grade": "grade", "AwardDate": "award_date", "EntryVersion": "entry_version"}
# how every face names a record's field (an attribute means one element in every table)
RECORD_LABELS = LEARNER_LABELS | {attribute: element
                                  for table in (ACHIEVEMENT_RECORD, ENTRY_RECORD, RESULT_RECORD)
                                  for element, attribute in table.items()}


def element_label(field: str) -> str:
    """How every face (and the portal, and the offline validator) names a record's field in
    a refusal or a Reason (the LRS's own names, lrs-wire 3.7): a learner's, achievement's,
    entry's or result's attribute by its element; anything else (a file's "row") as it is."""
    return RECORD_LABELS.get(field, field)


def by_attribute(table: dict[str, str], values: dict) -> dict:
    """A record's {element: text} as {attribute: text}, by ``table`` (e.g. ENTRY_RECORD;
    other elements dropped)."""
    return {table[name]: text for name, text in values.items() if name in table}


def learner_record(values: dict) -> dict:
    """A learner record's {element: text} as {attribute: text} (other elements dropped)."""
    return by_attribute(LEARNER_RECORD, values)
