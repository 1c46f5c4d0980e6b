"""learner plans and the OLASS role: the tables of domain.plans (docs/learner-plans.md)

Revision ID: 19883421adf1
Revises: 13a8c97417eb
Create Date: 2026-12-04 17:04:55.968476
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "19883421adf1"
down_revision: str | Sequence[str] | None = "13a8c97417eb"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "learner_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("uln", sa.String(length=10), nullable=False),
        sa.Column("goals", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("aims", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=35), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_learner_plans_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learner_plans")),
        sa.UniqueConstraint(
            "organisation_id", "uln", name=op.f("uq_learner_plans_organisation_id_uln")
        ),
    )
    with op.batch_alter_table("learner_plans", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_learner_plans_uln"), ["uln"], unique=False)

    op.create_table(
        "learner_plan_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("user_name", sa.String(length=35), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_learner_plan_history_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["learner_plans.id"],
            name=op.f("fk_learner_plan_history_plan_id_learner_plans"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learner_plan_history")),
    )
    with op.batch_alter_table("learner_plan_history", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_learner_plan_history_plan_id"), ["plan_id"], unique=False
        )

    op.create_table(
        "learner_plan_shares",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("shared_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("shared_by", sa.String(length=35), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_learner_plan_shares_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["learner_plans.id"],
            name=op.f("fk_learner_plan_shares_plan_id_learner_plans"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learner_plan_shares")),
        sa.UniqueConstraint(
            "plan_id",
            "organisation_id",
            name=op.f("uq_learner_plan_shares_plan_id_organisation_id"),
        ),
    )
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_olass", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_column("is_olass")

    op.drop_table("learner_plan_shares")
    with op.batch_alter_table("learner_plan_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_learner_plan_history_plan_id"))

    op.drop_table("learner_plan_history")
    with op.batch_alter_table("learner_plans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_learner_plans_uln"))

    op.drop_table("learner_plans")
