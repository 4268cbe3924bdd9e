"""loop: the bank's decisions on a referral (amounts, payout day) and details of each step

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("lead") as batch:
        batch.add_column(sa.Column("approved_amount", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("disbursed_amount", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("disbursed_on", sa.Date(), nullable=True))
    with op.batch_alter_table("lead_event") as batch:
        batch.add_column(sa.Column("details", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("lead_event") as batch:
        batch.drop_column("details")
    with op.batch_alter_table("lead") as batch:
        batch.drop_column("disbursed_on")
        batch.drop_column("disbursed_amount")
        batch.drop_column("approved_amount")
