"""A learner or verification batch record's outcome is kept by attribute
(``mis_identifier``, ``uln``, ``possible_match_ulns``, ``searched_uln``, ``failure_flags``)
and a refusal's Reason as its broken rules, ``problems``: {field, rule} pairs (``sentence``
when the rule is said without the field's name), not the native face's element names and
worded text; each face names and words them on the way out. Every job's, finished ones too.

Revision ID: c4d81f2e6a95
Revises: b7e4a19c6d30
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c4d81f2e6a95"
down_revision: str | Sequence[str] | None = "b7e4a19c6d30"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here (a migration must not change when the code does): a learner's element ->
# attribute (how a Reason named a field), the outcome's keys, and the Reasons that were
# one sentence each (rule -> the field it concerns, None: no one field).
ATTRIBUTES = {
    "ULN": "uln", "MISIdentifier": "mis_identifier", "VersionNumber": "submitted_version",
    "Title": "title", "GivenName": "given_name", "MiddleOtherName": "middle_other_name",
    "FamilyName": "family_name", "PreferredGivenName": "preferred_given_name",
    "PreviousFamilyName": "previous_family_name", "FamilyNameAtAge16": "family_name_at_16",
    "SchoolAtAge16": "school_at_age_16", "LastKnownAddressLine1": "address_line1",
    "LastKnownAddressLine2": "address_line2", "LastKnownAddressTown": "address_town",
    "LastKnownAddressCountyOrCity": "address_county_or_city",
    "LastKnownPostCode": "postcode", "DateOfAddressCapture": "date_of_address_capture",
    "DateOfBirth": "date_of_birth", "PlaceOfBirth": "place_of_birth", "Gender": "gender",
    "EmailAddress": "email_address", "Nationality": "nationality",
    "ScottishCandidateNumber": "scottish_candidate_number",
    "VerificationType": "verification_type",
    "OtherVerificationDescription": "other_verification_description",
    "AbilityToShare": "ability_to_share", "Notes": "notes"}
LABELS = {attribute: element for element, attribute in ATTRIBUTES.items()}
KEYS = {"MISIdentifier": "mis_identifier", "ULN": "uln",
        "PossibleMatchULNs": "possible_match_ulns", "SearchedULN": "searched_uln",
        "FailureFlags": "failure_flags"}
ELEMENTS = {attribute: element for element, attribute in KEYS.items()}
SENTENCES = {"fails its check digit": "uln",
             "no learner with this ULN and these names": "uln",
             "another learner already has these five demographics": None}
AGE_WINDOW = "The learner must be aged "
KINDS = ("learner_registration", "verification")
CHUNK = 1000

_jobs = sa.table("batch_jobs", sa.column("id", sa.Integer), sa.column("kind", sa.String))
_records = sa.table("batch_records", sa.column("id", sa.Integer),
                    sa.column("job_id", sa.Integer), sa.column("result", sa.JSON))


def _problem(part: str) -> dict:
    """One "; "-separated part of a Reason as a {field, rule} pair; a part it cannot read
    is kept whole as a sentence, so going back words it as it was."""
    if part in SENTENCES:
        return {"field": SENTENCES[part], "rule": part, "sentence": True}
    if part.startswith(AGE_WINDOW):
        return {"field": "date_of_birth", "rule": part, "sentence": True}
    element, _, rule = part.partition(" ")
    if element in ATTRIBUTES and rule:
        return {"field": ATTRIBUTES[element], "rule": rule}
    return {"field": None, "rule": part, "sentence": True}


def _reason(problems: list[dict]) -> str:
    return "; ".join(problem["rule"] if problem.get("sentence")
                     else f"{LABELS.get(problem['field'], problem['field'])} {problem['rule']}"
                     for problem in problems)


def _by_attribute(result: dict) -> dict:
    kept = {KEYS.get(key, key): value for key, value in result.items() if key != "Reason"}
    if result.get("Reason") is not None:
        kept["problems"] = [_problem(part) for part in result["Reason"].split("; ")]
    return kept


def _by_element(result: dict) -> dict:
    kept = {ELEMENTS.get(key, key): value for key, value in result.items()
            if key != "problems"}
    if result.get("problems"):
        kept["Reason"] = _reason(result["problems"])
    return kept


def _convert(convert) -> None:
    """Convert the outcome of every processed learner and verification record."""
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(_records.c.id, _records.c.result)
        .join(_jobs, _jobs.c.id == _records.c.job_id)
        .where(_jobs.c.kind.in_(KINDS)).order_by(_records.c.id)).all()
    rows = [(record_id, result) for record_id, result in rows if isinstance(result, dict)]
    update = (sa.update(_records).where(_records.c.id == sa.bindparam("record_id"))
              .values(result=sa.bindparam("converted", type_=sa.JSON)))
    for start in range(0, len(rows), CHUNK):
        connection.execute(update, [{"record_id": record_id, "converted": convert(result)}
                                    for record_id, result in rows[start:start + CHUNK]])


def upgrade() -> None:
    _convert(_by_attribute)


def downgrade() -> None:
    _convert(_by_element)
