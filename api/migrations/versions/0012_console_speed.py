"""console speed: indexes for the inbox's queues, the coordinator's and the bank's scopes, and the
same phone's other referrals

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ESCALATED = sa.text("escalated_at IS NOT NULL")
LISTED = sa.text("listed_at IS NOT NULL")


def upgrade() -> None:
    op.create_index(
        "ix_lead_commune_status_created",
        "lead",
        ["commune_code", "status", "created_at", "escalated_at", "contact_name", "id"],
    )
    op.create_index("ix_lead_commune_status_updated", "lead", ["commune_code", "status", "updated_at", "id"])
    op.create_index(
        "ix_lead_escalated_status",
        "lead",
        ["status", "created_at", "updated_at", "escalated_at", "contact_name", "id"],
        sqlite_where=ESCALATED,
        postgresql_where=ESCALATED,
    )
    op.create_index(
        "ix_lead_listed_commune_status",
        "lead",
        [
            "commune_code",
            "status",
            "created_at",
            "updated_at",
            "consent_bank",
            "listed_at",
            "escalated_at",
            "contact_name",
            "id",
        ],
        sqlite_where=LISTED,
        postgresql_where=LISTED,
    )
    op.create_index("ix_lead_contact_phone", "lead", ["contact_phone", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_lead_contact_phone", table_name="lead")
    op.drop_index("ix_lead_listed_commune_status", table_name="lead")
    op.drop_index("ix_lead_escalated_status", table_name="lead")
    op.drop_index("ix_lead_commune_status_updated", table_name="lead")
    op.drop_index("ix_lead_commune_status_created", table_name="lead")
