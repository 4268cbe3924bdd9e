"""audit of accounts: which account an entry is about (created, revoked) and how it was done

Revision ID: 0017_audit_accounts
Revises: 0016_assisted_intake
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017_audit_accounts"
down_revision: str | None = "0016_assisted_intake"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN, nullable, no foreign key: no rebuild of the audit table on SQLite.
    op.add_column("audit", sa.Column("subject_account_id", sa.Integer(), nullable=True))
    op.add_column("audit", sa.Column("details", sa.JSON(), nullable=True))
    op.create_index("ix_audit_subject_account_id", "audit", ["subject_account_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_audit_subject_account_id", table_name="audit")
    with op.batch_alter_table("audit") as batch:
        batch.drop_column("details")
        batch.drop_column("subject_account_id")
