"""Achievement batch records stored by the domain's attribute names, not the native face's
element names (lrs_soap.domain.sent_achievement): the records of every achievement job,
waiting ones included, so that a worker and a job report read one form.

Revision ID: 3b7e0c2a9d41
Revises: fea6e7617139
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3b7e0c2a9d41"
down_revision: str | Sequence[str] | None = "fea6e7617139"
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
                    sa.column("job_id", sa.Integer), sa.column("payload", sa.JSON))


def _rename(names: dict[str, str]) -> None:
    """Rename the keys of every achievement record's payload (blank values dropped, as the
    record reader drops them; keys not in ``names`` dropped, as the reader ignores them)."""
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(_records.c.id, _records.c.payload)
        .join(_jobs, _jobs.c.id == _records.c.job_id)
        .where(_jobs.c.kind == "achievement").order_by(_records.c.id)).all()
    update = (sa.update(_records).where(_records.c.id == sa.bindparam("record_id"))
              .values(payload=sa.bindparam("renamed", type_=sa.JSON)))
    for start in range(0, len(rows), CHUNK):
        connection.execute(update, [
            {"record_id": record_id,
             "renamed": {names[key]: text for key, text in (payload or {}).items()
                         if key in names and text is not None and str(text).strip()}}
            for record_id, payload in rows[start:start + CHUNK]])


def upgrade() -> None:
    _rename(ATTRIBUTES)


def downgrade() -> None:
    _rename(ELEMENTS)
