"""assigned at: when the referral reached the commune that has it now (its sending, or its last
transfer), from which that commune's working days to receive it are counted

Revision ID: 0015_assigned_at
Revises: 0014_on_behalf
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from sqlmodel.sql import sqltypes

revision: str = "0015_assigned_at"
down_revision: str | None = "0014_on_behalf"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN (no table rebuild on SQLite, so the partial indexes of 0012 stay as they are);
    # a referral sent before this version was never transferred with a clock of its own: its sending.
    op.add_column("lead", sa.Column("assigned_at", sqltypes.UTCDateTime(), nullable=True))
    op.execute("UPDATE lead SET assigned_at = created_at")


def downgrade() -> None:
    with op.batch_alter_table("lead") as batch:
        batch.drop_column("assigned_at")
