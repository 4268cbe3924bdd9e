"""on behalf: a referral sent by a family member, whose person's own agreement is still to be
confirmed by the officer's first call (issue 17)

Revision ID: 0014_on_behalf
Revises: 0012
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_on_behalf"
# The file 0012_console_speed.py has the revision id "0012"; the lead re-chains after merging.
down_revision: str | None = "0013_monthly_lists"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN (no table rebuild on SQLite, so the partial indexes of 0012 stay as they are).
    op.add_column("lead", sa.Column("on_behalf", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("lead", sa.Column("consent_pending", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("lead") as batch:
        batch.drop_column("consent_pending")
        batch.drop_column("on_behalf")
