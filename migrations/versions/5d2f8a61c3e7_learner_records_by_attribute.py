"""Learner registration and verification batch records stored by the domain's attribute
names (lrs_soap.domain.sent_learner), not the faces' element names: the records of every
learner and verification job, finished ones included (their reports read them back), so
that the worker, the reports and the exceptions process read one form. The learner's
version kept with a record at submission ("VersionNumber", text) becomes
``submitted_version`` (a number).

Revision ID: 5d2f8a61c3e7
Revises: 3b7e0c2a9d41
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5d2f8a61c3e7"
down_revision: str | Sequence[str] | None = "3b7e0c2a9d41"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here (a migration must not change when the code does): element -> attribute.
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
ELEMENTS = {attribute: element for element, attribute in ATTRIBUTES.items()}
VERSION = ("VersionNumber", "submitted_version")
KINDS = ("learner_registration", "verification")
CHUNK = 1000

_jobs = sa.table("batch_jobs", sa.column("id", sa.Integer), sa.column("kind", sa.String))
_records = sa.table("batch_records", sa.column("id", sa.Integer),
                    sa.column("job_id", sa.Integer), sa.column("payload", sa.JSON))


def _value(new_key: str, value):
    """The version is a number by attribute name and text by element name."""
    if new_key == "submitted_version":
        return int(value)
    return str(value) if new_key == "VersionNumber" else value


def _rename(names: dict[str, str]) -> None:
    """Rename the keys of every learner and verification record's payload (absent and
    empty values dropped, as the record reader drops them; keys not in ``names`` dropped,
    as the reader ignores them)."""
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(_records.c.id, _records.c.payload)
        .join(_jobs, _jobs.c.id == _records.c.job_id)
        .where(_jobs.c.kind.in_(KINDS)).order_by(_records.c.id)).all()
    update = (sa.update(_records).where(_records.c.id == sa.bindparam("record_id"))
              .values(payload=sa.bindparam("renamed", type_=sa.JSON)))
    for start in range(0, len(rows), CHUNK):
        connection.execute(update, [
            {"record_id": record_id,
             "renamed": {names[key]: _value(names[key], value)
                         for key, value in (payload or {}).items()
                         if key in names and value not in (None, "")}}
            for record_id, payload in rows[start:start + CHUNK]])


def upgrade() -> None:
    _rename(ATTRIBUTES)


def downgrade() -> None:
    _rename(ELEMENTS)
