"""Database tables (SQLModel). Alembic migrations in `api/migrations/versions` create them."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class ServiceMeta(SQLModel, table=True):
    """Small key/value facts about this installation (e.g. the content version last served)."""

    __tablename__ = "service_meta"

    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(max_length=1024)
