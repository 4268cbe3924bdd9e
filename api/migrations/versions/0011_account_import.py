"""account import: bulk imports of accounts waiting for the admin's confirmation

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql import sqltypes

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "account_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sqltypes.AutoString(length=32), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sqltypes.AutoString(length=200), nullable=False),
        sa.Column("rows", sa.JSON(), nullable=False),
        sa.Column("created_at", sqltypes.UTCDateTime(), nullable=False),
        sa.Column("confirmed_at", sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["session_id"], ["console_session.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    op.create_index(op.f("ix_account_import_session_id"), "account_import", ["session_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_account_import_session_id"), table_name="account_import")
    op.drop_table("account_import")
