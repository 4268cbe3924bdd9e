from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from api import migrate
from api.core.db import make_engine
from tests.cli import run_cli


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_downgrade_upgrade(database_url: str) -> None:
    migrate.upgrade(database_url)
    head = ScriptDirectory.from_config(migrate.alembic_config(database_url)).get_current_head()
    assert migrate.current_heads(database_url) == {head}
    assert "service_meta" in _tables(database_url)
    migrate.downgrade(database_url, "base")
    assert _tables(database_url) <= {"alembic_version"}
    migrate.upgrade(database_url)
    assert "service_meta" in _tables(database_url)


def test_db_upgrade_command(database_url: str) -> None:
    result = run_cli("db", "upgrade", env={"DATABASE_URL": database_url})
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert "service_meta" in _tables(database_url)


def test_migrations_match_models(database_url: str) -> None:
    """A model change without its migration fails here (autogenerate finds no difference)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlmodel import SQLModel

    import api.models  # noqa: F401

    migrate.upgrade(database_url)
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    finally:
        engine.dispose()
    assert diff == []
