"""monthly lists: each sent version of a commune's Mẫu-01 list, frozen, and the UBND-signed scans

Revision ID: 0013_monthly_lists
Revises: 0012
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql import sqltypes

revision: str = "0013_monthly_lists"
# The brief names "0012_console_speed"; this tree's 0012 has the revision id "0012" (the lead
# re-chains migrations at merge).
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "monthly_list_scan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commune_code", sqltypes.AutoString(length=8), nullable=False),
        sa.Column("uploaded_by", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sqltypes.UTCDateTime(), nullable=False),
        sa.Column("file_name", sqltypes.AutoString(length=200), nullable=False),
        sa.Column("content_type", sqltypes.AutoString(length=32), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sqltypes.AutoString(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["uploaded_by"], ["account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_monthly_list_scan_commune_code"), "monthly_list_scan", ["commune_code"])
    op.create_table(
        "monthly_list",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commune_code", sqltypes.AutoString(length=8), nullable=False),
        sa.Column("period", sqltypes.AutoString(length=7), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("sent_at", sqltypes.UTCDateTime(), nullable=False),
        sa.Column("sent_by", sa.Integer(), nullable=True),
        sa.Column("sent_by_name", sqltypes.AutoString(length=200), nullable=False),
        sa.Column("addressee", sqltypes.AutoString(length=300), nullable=False),
        sa.Column("rows", sa.JSON(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("confirmed_by", sqltypes.AutoString(length=200), nullable=True),
        sa.Column("confirmed_on", sa.Date(), nullable=True),
        sa.Column("scan_id", sa.Integer(), nullable=True),
        sa.Column("changes", sa.JSON(), nullable=True),
        sa.Column("change_note", sqltypes.AutoString(length=1000), nullable=True),
        sa.ForeignKeyConstraint(["sent_by"], ["account.id"]),
        sa.ForeignKeyConstraint(["scan_id"], ["monthly_list_scan.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("commune_code", "period", "version", name="uq_monthly_list_version"),
    )
    op.create_index(op.f("ix_monthly_list_commune_code"), "monthly_list", ["commune_code"])


def downgrade() -> None:
    op.drop_index(op.f("ix_monthly_list_commune_code"), table_name="monthly_list")
    op.drop_table("monthly_list")
    op.drop_index(op.f("ix_monthly_list_scan_commune_code"), table_name="monthly_list_scan")
    op.drop_table("monthly_list_scan")
