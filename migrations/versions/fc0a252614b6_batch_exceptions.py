"""batch_exceptions: learner batch records left for their organisation to resolve

Revision ID: fc0a252614b6
Revises: 55cc7c985753
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "fc0a252614b6"
down_revision: str | Sequence[str] | None = "55cc7c985753"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "batch_exceptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("record_number", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("possible_ulns", sa.JSON(), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("resolved_uln", sa.String(length=10), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by", sa.String(length=35), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_batch_exceptions")),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                name=op.f("fk_batch_exceptions_organisation_id_organisations")),
        sa.ForeignKeyConstraint(["job_id"], ["batch_jobs.id"], ondelete="CASCADE",
                                name=op.f("fk_batch_exceptions_job_id_batch_jobs")),
        sa.UniqueConstraint("job_id", "record_number",
                            name=op.f("uq_batch_exceptions_job_id_record_number")),
    )
    op.create_index(op.f("ix_batch_exceptions_organisation_status"), "batch_exceptions",
                    ["organisation_id", "status"], unique=False)


def downgrade() -> None:
    op.drop_table("batch_exceptions")
