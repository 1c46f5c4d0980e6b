"""request journal: every SOAP call as received and answered, secrets redacted

Revision ID: 412dbe467b72
Revises: fc0a252614b6
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "412dbe467b72"
down_revision: str | Sequence[str] | None = "fc0a252614b6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "request_journal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("request_id", sa.String(64), nullable=False),
        sa.Column("face", sa.String(10), nullable=False),
        sa.Column("endpoint", sa.String(40), nullable=False),
        sa.Column("operation", sa.String(60), nullable=False),
        sa.Column("organisation", sa.String(20), nullable=True),
        sa.Column("user_name", sa.String(64), nullable=True),
        sa.Column("code", sa.String(20), nullable=False),
        sa.Column("http_status", sa.Integer(), nullable=False),
        sa.Column("latency_ms", sa.Float(), nullable=False),
        sa.Column("request_envelope", sa.LargeBinary(), nullable=True),
        sa.Column("response_envelope", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_journal")),
    )
    op.create_index(op.f("ix_request_journal_at"), "request_journal", ["at"])
    op.create_index(op.f("ix_request_journal_operation"), "request_journal", ["operation"])


def downgrade() -> None:
    op.drop_table("request_journal")
