"""The errors of processed achievement batch records name the record's field by the domain's
attribute name (``uln``), not the native face's element name (``ULN``): each face names it
in its own words on the way out (the native face and the portal by element, ExternalService
by live member). The outcomes of every processed achievement record, finished jobs' too
(their reports read them back).

Revision ID: 8c41e07b2d95
Revises: 09ce63d91a38
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "8c41e07b2d95"
down_revision: str | Sequence[str] | None = "09ce63d91a38"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here (a migration must not change when the code does): element -> attribute.
ATTRIBUTES = {
    "ULN": "uln", "Action": "action", "GivenName": "given_name", "FamilyName": "family_name",
    "DateOfBirth": "date_of_birth", "Gender": "gender",
    "QualificationReference": "qualification_reference", "Grade": "grade",
    "AwardDate": "award_date", "ActionDate": "action_date", "ActionReason": "action_reason",
    "ProviderUKPRN": "provider_ukprn", "LanguageForAssessment": "language_for_assessment",
    "MISIdentifier": "mis_identifier"}
ELEMENTS = {attribute: element for element, attribute in ATTRIBUTES.items()}
CHUNK = 1000

_jobs = sa.table("batch_jobs", sa.column("id", sa.Integer), sa.column("kind", sa.String))
_records = sa.table("batch_records", sa.column("id", sa.Integer),
                    sa.column("job_id", sa.Integer), sa.column("result", sa.JSON))


def _rename(names: dict[str, str]) -> None:
    """Rename the field of every error in an achievement record's result (a field not in
    ``names`` is left as it is)."""
    connection = op.get_bind()
    rows = [(record_id, result) for record_id, result in connection.execute(
        sa.select(_records.c.id, _records.c.result)
        .join(_jobs, _jobs.c.id == _records.c.job_id)
        .where(_jobs.c.kind == "achievement").order_by(_records.c.id)).all()
        if isinstance(result, dict) and result.get("errors")]
    update = (sa.update(_records).where(_records.c.id == sa.bindparam("record_id"))
              .values(result=sa.bindparam("renamed", type_=sa.JSON)))
    for start in range(0, len(rows), CHUNK):
        connection.execute(update, [
            {"record_id": record_id,
             "renamed": {**result, "errors": [
                 {**error, "field": names.get(error.get("field"), error.get("field"))}
                 for error in result["errors"]]}}
            for record_id, result in rows[start:start + CHUNK]])


def upgrade() -> None:
    _rename(ATTRIBUTES)


def downgrade() -> None:
    _rename(ELEMENTS)
