"""harness control tables: control_settings, control_counters, control_faults

Revision ID: 44e5d83880a5
Revises: 0001
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "44e5d83880a5"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "control_settings",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_control_settings")),
    )
    op.create_table(
        "control_counters",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_control_counters")),
    )
    op.create_table(
        "control_faults",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("operation", sa.String(length=100), nullable=True),
        sa.Column("organisation", sa.String(length=20), nullable=True),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=True),
        sa.Column("delay_ms", sa.Integer(), nullable=True),
        sa.Column("remaining", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_control_faults")),
    )


def downgrade() -> None:
    op.drop_table("control_faults")
    op.drop_table("control_counters")
    op.drop_table("control_settings")
