"""The initial schema: units, members, reviews, screenings, flags, and the copy index's tables.

Revision ID: 0001
Revises:
Create Date: 2026-11-27

Tables are spelled out here rather than created from the live models: a migration must keep creating the
schema as it was at this revision, whatever the models become later. The store's tests compare the
upgraded database with the models and the copy index's metadata, so the two cannot drift apart unnoticed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

INDEX_TABLES = ("lsh_bucket", "lsh_signature", "lsh_params")


def _create_index_tables(existing: set[str]) -> None:
    """The tables of service.index.sql_storage, exactly as defined there at this revision (unnamed primary
    keys included: env.py's metadata has no naming convention), so a database made by SqlStorage and one
    made here are the same."""
    if "lsh_bucket" not in existing:
        op.create_table(
            "lsh_bucket",
            sa.Column("band", sa.SmallInteger(), nullable=False),
            sa.Column("bucket", sa.BigInteger(), nullable=False),
            sa.Column("doc_key", sa.String(512), nullable=False),
        )
        op.create_index("ix_lsh_bucket_band_bucket", "lsh_bucket", ["band", "bucket"])
        op.create_index("ix_lsh_bucket_doc_key", "lsh_bucket", ["doc_key"])
    if "lsh_signature" not in existing:
        op.create_table(
            "lsh_signature",
            sa.Column("doc_key", sa.String(512), nullable=False),
            sa.Column("signature", sa.LargeBinary(), nullable=False),
            sa.PrimaryKeyConstraint("doc_key"),
        )
    if "lsh_params" not in existing:
        op.create_table(
            "lsh_params",
            sa.Column("name", sa.String(64), nullable=False),
            sa.Column("value", sa.String(256), nullable=False),
            sa.PrimaryKeyConstraint("name"),
        )


def upgrade() -> None:
    # sqlite_autoincrement: SQLite would otherwise reuse the id of a deleted row, and ids are cited.
    op.create_table(
        "units",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(128), nullable=False),
        sa.Column("name", sa.String(512), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("kind IN ('province', 'grassroots', 'chibo')", name="ck_units_kind"),
        sa.ForeignKeyConstraint(["parent_id"], ["units.id"], name="fk_units_parent_id_units"),
        sa.PrimaryKeyConstraint("id", name="pk_units"),
        sa.UniqueConstraint("code", name="uq_units_code"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_units_parent_id", "units", ["parent_id"])
    op.create_table(
        "members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(128), nullable=False),
        sa.Column("name", sa.String(512), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name="fk_members_unit_id_units"),
        sa.PrimaryKeyConstraint("id", name="pk_members"),
        sa.UniqueConstraint("code", name="uq_members_code"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_members_unit_id", "members", ["unit_id"])
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("form", sa.String(32), nullable=True),
        sa.Column("source", sa.String(1024), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('individual', 'collective')", name="ck_reviews_kind"),
        sa.CheckConstraint(
            "(kind = 'individual') = (member_id IS NOT NULL)", name="ck_reviews_member_iff_individual"
        ),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], name="fk_reviews_member_id_members"),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name="fk_reviews_unit_id_units"),
        sa.PrimaryKeyConstraint("id", name="pk_reviews"),
        sa.UniqueConstraint("unit_id", "member_id", "year", "kind", name="uq_reviews_subject"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_reviews_member_id", "reviews", ["member_id"])
    # NULL member_ids never collide under a UNIQUE constraint: collective reviews need this partial index.
    op.create_index(
        "uq_reviews_collective",
        "reviews",
        ["unit_id", "year", "kind"],
        unique=True,
        sqlite_where=sa.text("member_id IS NULL"),
        postgresql_where=sa.text("member_id IS NULL"),
    )
    op.create_table(
        "screenings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("schema", sa.String(32), nullable=False),
        sa.Column("pipeline_version", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("formalism", sa.Float(), nullable=True),
        sa.Column("duplication", sa.Float(), nullable=True),
        sa.Column("boilerplate", sa.Float(), nullable=True),
        sa.Column("remedies", sa.Float(), nullable=True),
        sa.Column("coverage", sa.Float(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"], ["reviews.id"], name="fk_screenings_review_id_reviews", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_screenings"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_screenings_review_id", "screenings", ["review_id"])
    op.create_table(
        "flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("screening_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("severity", sa.String(8), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("hint", sa.Text(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.CheckConstraint("severity IN ('high', 'medium', 'low')", name="ck_flags_severity"),
        sa.ForeignKeyConstraint(
            ["screening_id"], ["screenings.id"], name="fk_flags_screening_id_screenings", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_flags"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_flags_code", "flags", ["code"])
    op.create_index("ix_flags_screening_id", "flags", ["screening_id"])
    # A copy index opened with SqlStorage before the store existed already has its tables (SqlStorage
    # creates them on open); they are adopted as they are. An offline SQL script (`--sql`) cannot look,
    # and is written for an empty database.
    existing = set() if context.is_offline_mode() else set(sa.inspect(op.get_bind()).get_table_names())
    _create_index_tables(existing)


def downgrade() -> None:
    for table in ("flags", "screenings", "reviews", "members", "units", *INDEX_TABLES):
        op.drop_table(table)
