"""assisted intake: the bot's channel user who joined a referral an officer made for them in the
console (issue 19)

Revision ID: 0016_assisted_intake
Revises: 0015_assigned_at
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql import sqltypes

revision: str = "0016_assisted_intake"
down_revision: str | None = "0015_assigned_at"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "lead_channel",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sqltypes.AutoString(length=32), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("channel", sqltypes.AutoString(length=16), nullable=False),
        sa.Column("channel_user", sqltypes.AutoString(length=64), nullable=True),
        sa.Column("linked_at", sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.ForeignKeyConstraint(["lead_id"], ["lead.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("lead_id", "account_id", "channel", "channel_user", name="uq_lead_channel"),
    )
    op.create_index("ix_lead_channel_lead_id", "lead_channel", ["lead_id"])
    op.create_index("ix_lead_channel_account_user", "lead_channel", ["account_id", "channel", "channel_user"])


def downgrade() -> None:
    op.drop_index("ix_lead_channel_account_user", table_name="lead_channel")
    op.drop_index("ix_lead_channel_lead_id", table_name="lead_channel")
    op.drop_table("lead_channel")
