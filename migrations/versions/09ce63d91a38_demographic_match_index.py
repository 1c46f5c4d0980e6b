"""ix_learners_match: the demographic search's shortlist read from one covering index
(replacing ix_learners_dob_family_key and ix_learners_dob_given_key), and the learners'
match keys recomputed, since the search now trusts them to narrow before it compares names.

Revision ID: 09ce63d91a38
Revises: 5d2f8a61c3e7
Create Date: 2026-12-05
"""

import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "09ce63d91a38"
down_revision: str | Sequence[str] | None = "5d2f8a61c3e7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MATCH_COLUMNS = ["date_of_birth", "gender", "postcode_key", "family_name_key",
                 "given_name_key", "status", "given_name", "family_name",
                 "previous_family_name", "id"]
NAME_KEY_LENGTH = 105
CHUNK = 5000

_learners = sa.table(
    "learners", sa.column("id", sa.Integer), sa.column("given_name", sa.String),
    sa.column("family_name", sa.String), sa.column("previous_family_name", sa.String),
    sa.column("postcode", sa.String), sa.column("given_name_key", sa.String),
    sa.column("family_name_key", sa.String), sa.column("previous_family_name_key", sa.String),
    sa.column("postcode_key", sa.String))
_KEYS = ("given_name_key", "family_name_key", "previous_family_name_key", "postcode_key")


# Frozen here (a migration must not change when the code does): lrs_soap.domain.names.
def _name_key(name: str | None) -> str:
    if not name:
        return ""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed
                   if c.isalnum() and not unicodedata.combining(c))[:NAME_KEY_LENGTH]


def _postcode_key(postcode: str | None) -> str:
    return "".join(postcode.split()).upper() if postcode else ""


def _keys(given: str, family: str, previous: str | None, postcode: str) -> tuple:
    return (_name_key(given), _name_key(family), _name_key(previous) or None,
            _postcode_key(postcode))


def _recompute_match_keys() -> None:
    """Rewrite the match keys of every learner whose stored keys differ from its names'."""
    connection = op.get_bind()
    c = _learners.c
    update = (sa.update(_learners).where(c.id == sa.bindparam("row_id"))
              .values({key: sa.bindparam(f"new_{key}") for key in _KEYS}))
    last = 0
    while True:
        rows = connection.execute(
            sa.select(c.id, c.given_name, c.family_name, c.previous_family_name, c.postcode,
                      *(c[key] for key in _KEYS))
            .where(c.id > last).order_by(c.id).limit(CHUNK)).all()
        if not rows:
            return
        changed = []
        for row in rows:
            keys = _keys(*row[1:5])
            if keys != tuple(row[5:9]):
                changed.append({"row_id": row[0],
                                **{f"new_{key}": value for key, value in zip(_KEYS, keys,
                                                                             strict=True)}})
        if changed:
            connection.execute(update, changed)
        last = rows[-1][0]


def upgrade() -> None:
    _recompute_match_keys()
    op.drop_index(op.f("ix_learners_dob_family_key"), table_name="learners")
    op.drop_index(op.f("ix_learners_dob_given_key"), table_name="learners")
    op.create_index(op.f("ix_learners_match"), "learners", MATCH_COLUMNS, unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_learners_match"), table_name="learners")
    op.create_index(op.f("ix_learners_dob_given_key"), "learners",
                    ["date_of_birth", "given_name_key"], unique=False)
    op.create_index(op.f("ix_learners_dob_family_key"), "learners",
                    ["date_of_birth", "family_name_key"], unique=False)
