"""conversations: dialogue state per chat user

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql import sqltypes

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "conversation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sqltypes.AutoString(length=16), nullable=False),
        sa.Column("channel_user", sqltypes.AutoString(length=64), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("channel", "channel_user", name="uq_conversation_user"),
    )
    op.create_index(op.f("ix_conversation_updated_at"), "conversation", ["updated_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_conversation_updated_at"), table_name="conversation")
    op.drop_table("conversation")
