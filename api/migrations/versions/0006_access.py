"""access: audit names the intake account acted through; conversations and follow-ups belong to an
intake account; wrong link codes are counted to throttle guessing

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql import sqltypes

revision: str = "0006"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Rows written before conversations and follow-ups had an owner belong to the first active intake
# account (a deployment before this had one bot).
_FIRST_INTAKE = "(SELECT MIN(id) FROM account WHERE role = 'intake' AND active)"


def upgrade() -> None:
    with op.batch_alter_table("audit") as batch:
        batch.add_column(sa.Column("via_account_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_audit_via_account_id_account", "account", ["via_account_id"], ["id"])
    with op.batch_alter_table("conversation") as batch:
        batch.add_column(sa.Column("account_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_conversation_account_id_account", "account", ["account_id"], ["id"], ondelete="CASCADE"
        )
        batch.drop_constraint("uq_conversation_user", type_="unique")
        batch.create_unique_constraint(
            "uq_conversation_account_user", ["account_id", "channel", "channel_user"]
        )
    with op.batch_alter_table("followup") as batch:
        batch.add_column(sa.Column("account_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_followup_account_id_account", "account", ["account_id"], ["id"], ondelete="CASCADE"
        )
        batch.drop_constraint("uq_followup_user_kind", type_="unique")
        batch.create_unique_constraint(
            "uq_followup_account_user_kind", ["account_id", "channel", "channel_user", "kind"]
        )
    op.execute(f"UPDATE conversation SET account_id = {_FIRST_INTAKE} WHERE account_id IS NULL")
    op.execute(f"UPDATE followup SET account_id = {_FIRST_INTAKE} WHERE account_id IS NULL")
    op.create_table(
        "link_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sqltypes.UTCDateTime(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("chat_id", sqltypes.AutoString(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_link_attempt_at"), "link_attempt", ["at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_link_attempt_at"), table_name="link_attempt")
    op.drop_table("link_attempt")
    # Without an owner, one person has one conversation and one follow-up per kind again.
    op.execute(
        "DELETE FROM conversation WHERE id NOT IN (SELECT MIN(id) FROM conversation GROUP BY channel, channel_user)"
    )
    op.execute(
        "DELETE FROM followup WHERE id NOT IN "
        "(SELECT MIN(id) FROM followup GROUP BY channel, channel_user, kind)"
    )
    with op.batch_alter_table("followup") as batch:
        batch.drop_constraint("uq_followup_account_user_kind", type_="unique")
        batch.create_unique_constraint("uq_followup_user_kind", ["channel", "channel_user", "kind"])
        batch.drop_constraint("fk_followup_account_id_account", type_="foreignkey")
        batch.drop_column("account_id")
    with op.batch_alter_table("conversation") as batch:
        batch.drop_constraint("uq_conversation_account_user", type_="unique")
        batch.create_unique_constraint("uq_conversation_user", ["channel", "channel_user"])
        batch.drop_constraint("fk_conversation_account_id_account", type_="foreignkey")
        batch.drop_column("account_id")
    with op.batch_alter_table("audit") as batch:
        batch.drop_constraint("fk_audit_via_account_id_account", type_="foreignkey")
        batch.drop_column("via_account_id")
