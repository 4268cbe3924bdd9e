"""Apply Alembic migrations programmatically (`buocmoi db upgrade`, `serve` on SQLite, tests)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from api.core.db import ensure_sqlite_folder

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic is imported only when migrating: `serve` migrates in a child process, so the long-running
# service never carries Alembic in memory (about 9 MB).

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(database_url: str) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # ConfigParser interpolation would choke on a '%' in a password.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    from alembic import command

    ensure_sqlite_folder(database_url)
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str = "base") -> None:
    from alembic import command

    command.downgrade(alembic_config(database_url), revision)


def current_heads(database_url: str) -> set[str]:
    from alembic.runtime.migration import MigrationContext

    from api.core.db import make_engine

    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            return set(MigrationContext.configure(conn).get_current_heads())
    finally:
        engine.dispose()
