"""portal users: their own password hash and portal role

Revision ID: ada35c4259a5
Revises: 412dbe467b72
Create Date: 2026-12-04

The Organisation Portal signs individual users in with their own password (Argon2id, like
organisation passwords); a super user manages the organisation's users. Existing users get
no portal password (they cannot sign in until a super user or `lrs-soap user` sets one)
and the ordinary role.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ada35c4259a5"
down_revision: str | Sequence[str] | None = "412dbe467b72"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("portal_password_hash", sa.Text(), nullable=True))
        batch.add_column(sa.Column("portal_role", sa.String(length=20), nullable=False,
                                   server_default="USER"))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("portal_role")
        batch.drop_column("portal_password_hash")
