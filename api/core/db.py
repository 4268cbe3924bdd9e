"""Database engine: SQLite for a pilot (WAL, foreign keys on), PostgreSQL in production."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import create_engine

SQLITE_POOL_SIZE = 8


def ensure_sqlite_folder(database_url: str) -> None:
    url = make_url(database_url)
    if (
        url.get_backend_name() == "sqlite"
        and url.database
        and url.database != ":memory:"
        and not url.database.startswith("file:")  # a URI filename (`?uri=true`) names an existing file
    ):
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)


def make_engine(database_url: str) -> Engine:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        ensure_sqlite_folder(database_url)
        # Enough pooled connections for every worker thread: an overflow connection is closed on
        # return, and opening one (with its pragmas) costs more than the query it serves.
        engine = create_engine(
            database_url,
            connect_args={"check_same_thread": False, "timeout": 30},
            pool_size=SQLITE_POOL_SIZE,
            max_overflow=SQLITE_POOL_SIZE,
            # A statement's parameters are names, phones and answers: never in an error's text.
            hide_parameters=True,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(
        database_url, pool_pre_ping=True, pool_size=10, max_overflow=20, hide_parameters=True
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    # 1 MiB of page cache per connection instead of 2: the pool keeps several open, and the
    # service's working set is small (memory target: serve < 150 MB).
    cursor.execute("PRAGMA cache_size=-1024")
    cursor.close()
