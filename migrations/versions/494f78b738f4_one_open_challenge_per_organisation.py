"""one open challenge per organisation per event (and per ULN and type): unique indexes

Revision ID: 494f78b738f4
Revises: ada35c4259a5
Create Date: 2026-12-04

Two racing raises of the same challenge both saw none open and both inserted; the database
now settles it. A database already holding such duplicates must have them resolved first.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "494f78b738f4"
down_revision: str | Sequence[str] | None = "ada35c4259a5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EVENT = sa.text("kind = 'event' AND status = 'open'")
ULN = sa.text("kind = 'uln' AND status = 'open'")


def upgrade() -> None:
    op.create_index("uq_data_challenges_open_event", "data_challenges",
                    ["learning_event_id", "raised_by_organisation_id"], unique=True,
                    sqlite_where=EVENT, postgresql_where=EVENT)
    op.create_index("uq_data_challenges_open_uln", "data_challenges",
                    ["uln", "challenge_type", "raised_by_organisation_id"], unique=True,
                    sqlite_where=ULN, postgresql_where=ULN)


def downgrade() -> None:
    op.drop_index("uq_data_challenges_open_uln", table_name="data_challenges")
    op.drop_index("uq_data_challenges_open_event", table_name="data_challenges")
