"""The reasons kept with entries and results name the record's field by the domain's
attribute (``entry_date``), not the native face's element (``EntryDate``): before, an
entry's and a result's own rules named elements while the achievement rules they pass named
attributes (since 8c41e07b2d95's code), so one column held two vocabularies. Each face names
the field in its own words on the way out. Every entry and result, closed ones too.

Revision ID: b7e4a19c6d30
Revises: 8c41e07b2d95
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b7e4a19c6d30"
down_revision: str | Sequence[str] | None = "8c41e07b2d95"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here (a migration must not change when the code does): element -> attribute, of an
# Entry, a Result and the Achievement whose rules an entry and a result pass.
ATTRIBUTES = {
    "ULN": "uln", "GivenName": "given_name", "FamilyName": "family_name",
    "DateOfBirth": "date_of_birth", "Gender": "gender",
    "QualificationReference": "qualification_reference", "EntryDate": "entry_date",
    "ExpectedAwardDate": "expected_award_date", "ProviderUKPRN": "provider_ukprn",
    "MISIdentifier": "mis_identifier", "EntryID": "entry_id", "Action": "action",
    "Grade": "grade", "AwardDate": "award_date", "EntryVersion": "entry_version",
    "ActionDate": "action_date", "ActionReason": "action_reason",
    "LanguageForAssessment": "language_for_assessment"}
ELEMENTS = {attribute: element for element, attribute in ATTRIBUTES.items()}
CHUNK = 1000
TABLES = [sa.table(name, sa.column("id", sa.Integer), sa.column("reasons", sa.JSON))
          for name in ("entries", "entry_results")]


def _rename(names: dict[str, str]) -> None:
    """Rename the field of every reason (a field not in ``names`` is left as it is)."""
    connection = op.get_bind()
    for table in TABLES:
        rows = [(row_id, reasons) for row_id, reasons in connection.execute(
            sa.select(table.c.id, table.c.reasons).order_by(table.c.id)).all()
            if isinstance(reasons, list) and reasons]
        update = (sa.update(table).where(table.c.id == sa.bindparam("row_id"))
                  .values(reasons=sa.bindparam("renamed", type_=sa.JSON)))
        for start in range(0, len(rows), CHUNK):
            connection.execute(update, [
                {"row_id": row_id,
                 "renamed": [{**reason, "field": names.get(reason.get("field"),
                                                           reason.get("field"))}
                             for reason in reasons]}
                for row_id, reasons in rows[start:start + CHUNK]])


def upgrade() -> None:
    _rename(ATTRIBUTES)


def downgrade() -> None:
    _rename(ELEMENTS)
