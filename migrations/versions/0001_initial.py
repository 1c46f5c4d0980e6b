"""initial schema: every table of lrs_soap.store.orm

Revision ID: 0001
Revises:
Create Date: 2026-11-28

Self-contained on purpose (no import from lrs_soap.store.orm, which will move on): the
timestamp columns use the UtcDateTime decorator's storage type, DateTime(timezone=True).
Constraint names follow orm.NAMING_CONVENTION and are wrapped in op.f() so Alembic takes
them as final instead of applying the convention to them a second time.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _ts(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _id(table: str) -> tuple[sa.Column, sa.PrimaryKeyConstraint]:
    pk = sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}"))
    return sa.Column("id", sa.Integer(), nullable=False), pk


def _str(name: str, length: int, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.String(length=length), nullable=nullable)


def _org_fk(table: str, column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], ["organisations.id"],
                                   name=op.f(f"fk_{table}_{column}_organisations"))


def _index(table: str, name: str, *columns: str) -> None:
    op.create_index(op.f(name), table, list(columns), unique=False)


def upgrade() -> None:
    op.create_table(
        "organisations",
        *_id("organisations"),
        _str("name", 200, nullable=False),
        _str("ukprn", 8),
        _str("reference", 6),
        sa.Column("is_learner_registration_body", sa.Boolean(), nullable=False),
        sa.Column("is_awarding_organisation", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=True),
        _ts("created_at"),
        _ts("updated_at"),
        sa.CheckConstraint("ukprn IS NOT NULL OR reference IS NOT NULL",
                           name=op.f("ck_organisations_ukprn_or_reference")),
        sa.UniqueConstraint("ukprn", name=op.f("uq_organisations_ukprn")),
        sa.UniqueConstraint("reference", name=op.f("uq_organisations_reference")),
    )
    op.create_table(
        "users",
        *_id("users"),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        _str("user_name", 35, nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        _ts("created_at"),
        _org_fk("users", "organisation_id"),
        sa.UniqueConstraint("organisation_id", "user_name",
                            name=op.f("uq_users_organisation_id_user_name")),
    )
    op.create_table(
        "learners",
        *_id("learners"),
        _str("uln", 10, nullable=False),
        _str("given_name", 35, nullable=False),
        _str("family_name", 35, nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        _str("gender", 1, nullable=False),
        _str("postcode", 9, nullable=False),
        _str("verification_type", 3, nullable=False),
        _str("ability_to_share", 1, nullable=False),
        _str("title", 35),
        _str("middle_other_name", 35),
        _str("preferred_given_name", 35),
        _str("previous_family_name", 35),
        _str("family_name_at_16", 35),
        _str("school_at_age_16", 254),
        _str("address_line1", 50),
        _str("address_line2", 50),
        _str("address_town", 50),
        _str("address_county_or_city", 50),
        sa.Column("date_of_address_capture", sa.Date(), nullable=True),
        _str("place_of_birth", 35),
        _str("email_address", 254),
        _str("nationality", 3),
        _str("scottish_candidate_number", 9),
        _str("other_verification_description", 255),
        _str("notes", 4000),
        _str("given_name_key", 105, nullable=False),
        _str("family_name_key", 105, nullable=False),
        _str("previous_family_name_key", 105),
        _str("postcode_key", 9, nullable=False),
        _str("demographics_key", 64, nullable=False),
        sa.Column("version_number", sa.Integer(), nullable=False),
        _str("status", 1, nullable=False),
        sa.Column("tier_level", sa.String(length=1), server_default="0", nullable=False),
        _str("master_uln", 10),
        sa.Column("registered_by_organisation_id", sa.Integer(), nullable=True),
        _ts("created_at"),
        _ts("updated_at"),
        _org_fk("learners", "registered_by_organisation_id"),
        sa.UniqueConstraint("uln", name=op.f("uq_learners_uln")),
    )
    _index("learners", "ix_learners_dob_family_key", "date_of_birth", "family_name_key")
    _index("learners", "ix_learners_dob_given_key", "date_of_birth", "given_name_key")
    _index("learners", "ix_learners_postcode_key_dob", "postcode_key", "date_of_birth")
    _index("learners", "ix_learners_family_given_key", "family_name_key", "given_name_key")
    _index("learners", "ix_learners_master_uln", "master_uln")
    # One active learner per five demographics: the database settles racing registrations.
    op.create_index(op.f("uq_learners_active_demographics"), "learners", ["demographics_key"],
                    unique=True, sqlite_where=sa.text("status = '1'"),
                    postgresql_where=sa.text("status = '1'"))

    op.create_table(
        "uln_registry",
        sa.Column("uln", sa.String(length=10), nullable=False),
        _ts("issued_at"),
        _ts("retired_at", nullable=True),
        sa.PrimaryKeyConstraint("uln", name=op.f("pk_uln_registry")),
    )
    op.create_table(
        "demographic_searches",
        *_id("demographic_searches"),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        _str("demographics_key", 64, nullable=False),
        _str("outcome_code", 8, nullable=False),
        _ts("searched_at"),
        _org_fk("demographic_searches", "organisation_id"),
    )
    _index("demographic_searches", "ix_demographic_searches_org_key_at",
           "organisation_id", "demographics_key", "searched_at")

    op.create_table(
        "qualifications",
        *_id("qualifications"),
        _str("reference", 30, nullable=False),
        _str("title", 255, nullable=False),
        _str("qualification_type", 100),
        _str("level", 50),
        sa.Column("is_unit", sa.Boolean(), nullable=False),
        sa.Column("owner_organisation_id", sa.Integer(), nullable=True),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("credits", sa.Integer(), nullable=True),
        _org_fk("qualifications", "owner_organisation_id"),
        sa.UniqueConstraint("reference", name=op.f("uq_qualifications_reference")),
    )
    op.create_table(
        "learning_events",
        *_id("learning_events"),
        _str("learner_uln", 10, nullable=False),
        _str("source", 10, nullable=False),
        _str("qualification_reference", 30),
        _str("subject", 255),
        _str("qualification_type", 100),
        _str("level", 50),
        sa.Column("credits", sa.Integer(), nullable=True),
        _str("grade", 50),
        sa.Column("award_date", sa.Date(), nullable=True),
        _str("achievement_provider_ukprn", 8),
        _str("achievement_provider_name", 255),
        sa.Column("awarding_organisation_id", sa.Integer(), nullable=True),
        _str("language_for_assessment", 50),
        _str("status", 1, nullable=False),
        sa.Column("withdrawn", sa.Boolean(), nullable=False),
        sa.Column("participation_start_date", sa.Date(), nullable=True),
        sa.Column("participation_end_date", sa.Date(), nullable=True),
        _str("collection_type", 5),
        _str("return_number", 5),
        _str("restriction", 5),
        _ts("date_loaded"),
        sa.Column("created_by_job_id", sa.Integer(), nullable=True),
        _ts("updated_at"),
        _org_fk("learning_events", "awarding_organisation_id"),
    )
    _index("learning_events", "ix_learning_events_learner_uln", "learner_uln")
    # One achievement per learner, qualification and awarding organisation: two jobs
    # racing to create it cannot both succeed (the loser's chunk retries and sees it).
    op.create_index(op.f("uq_learning_events_ao_achievement"), "learning_events",
                    ["learner_uln", "qualification_reference", "awarding_organisation_id"],
                    unique=True, sqlite_where=sa.text("source = 'AO'"),
                    postgresql_where=sa.text("source = 'AO'"))

    op.create_table(
        "batch_jobs",
        *_id("batch_jobs"),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        _str("user_name", 35, nullable=False),
        _str("kind", 20, nullable=False),
        _str("job_type", 3),
        _str("submission_type", 20),
        _str("email", 254),
        _str("status", 20, nullable=False),
        sa.Column("record_count", sa.Integer(), nullable=False),
        _ts("submitted_at"),
        _ts("started_at", nullable=True),
        _ts("finished_at", nullable=True),
        _str("lease_owner", 100),
        _ts("lease_expires_at", nullable=True),
        sa.Column("failure_reason", sa.Text(), nullable=True),
        sa.Column("counters", sa.JSON(), nullable=True),
        _org_fk("batch_jobs", "organisation_id"),
    )
    _index("batch_jobs", "ix_batch_jobs_status_lease", "status", "lease_expires_at")

    op.create_table(
        "batch_records",
        *_id("batch_records"),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        _str("outcome_code", 20),
        sa.Column("result", sa.JSON(), nullable=True),
        _ts("processed_at", nullable=True),
        sa.ForeignKeyConstraint(["job_id"], ["batch_jobs.id"], ondelete="CASCADE",
                                name=op.f("fk_batch_records_job_id_batch_jobs")),
        sa.UniqueConstraint("job_id", "sequence", name=op.f("uq_batch_records_job_id_sequence")),
    )
    op.create_table(
        "learner_links",
        *_id("learner_links"),
        _str("merged_uln", 10, nullable=False),
        _str("master_uln", 10, nullable=False),
        _ts("merged_at"),
        _ts("unmerged_at", nullable=True),
        _str("merged_by", 100, nullable=False),
    )
    _index("learner_links", "ix_learner_links_merged_uln", "merged_uln")
    _index("learner_links", "ix_learner_links_master_uln", "master_uln")

    op.create_table(
        "data_challenges",
        *_id("data_challenges"),
        _str("kind", 20, nullable=False),
        sa.Column("learning_event_id", sa.Integer(), nullable=True),
        _str("uln", 10),
        _str("challenge_type", 30),
        sa.Column("raised_by_organisation_id", sa.Integer(), nullable=False),
        _str("raised_by_user", 35, nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        _str("status", 20, nullable=False),
        sa.Column("resolution", sa.Text(), nullable=True),
        _ts("raised_at"),
        _ts("resolved_at", nullable=True),
        sa.Column("resolved_by_organisation_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["learning_event_id"], ["learning_events.id"],
                                name=op.f("fk_data_challenges_learning_event_id_learning_events")),
        _org_fk("data_challenges", "raised_by_organisation_id"),
        _org_fk("data_challenges", "resolved_by_organisation_id"),
    )
    op.create_table(
        "audit_log",
        *_id("audit_log"),
        _ts("at"),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        _str("user_name", 35),
        _str("action", 50, nullable=False),
        _str("uln", 10),
        sa.Column("detail", sa.JSON(), nullable=True),
    )
    _index("audit_log", "ix_audit_log_at", "at")
    _index("audit_log", "ix_audit_log_action", "action")
    _index("audit_log", "ix_audit_log_uln", "uln")


def downgrade() -> None:
    # Children before parents; dropping a table drops its indexes.
    for table in (
        "audit_log",
        "data_challenges",
        "learner_links",
        "batch_records",
        "batch_jobs",
        "learning_events",
        "qualifications",
        "demographic_searches",
        "uln_registry",
        "learners",
        "users",
        "organisations",
    ):
        op.drop_table(table)
