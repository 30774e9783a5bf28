"""Users of the API: a role, the unit at the top of what they may see, and the SHA-256 of their token.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28

Spelled out rather than taken from the live models, for the reason given in 0001.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(512), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint("role IN ('admin', 'committee', 'secretary', 'inspector')", name="ck_users_role"),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name="fk_users_unit_id_units"),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("token_hash", name="uq_users_token_hash"),
        # SQLite would otherwise reuse a deleted user's id.
        sqlite_autoincrement=True,
    )
    op.create_index("ix_users_unit_id", "users", ["unit_id"])


def downgrade() -> None:
    op.drop_index("ix_users_unit_id", table_name="users")
    op.drop_table("users")
