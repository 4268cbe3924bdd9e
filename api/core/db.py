"""Database engine: SQLite for a pilot (WAL, foreign keys on), PostgreSQL in production."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import create_engine

# Threads and connections are sized together (engineering-notes §9.5). Every database user runs in
# one of these threads and opens and closes its session within that one thread run, so no
# connection is ever held while its owner waits for a thread: the pool then never runs dry, and a
# burst of requests queues for threads (cheap, fair) instead of for connections (a deadlock when
# every thread waits on a connection that only a queued close would free).
WORKER_THREADS = 8  # requests (AnyIO's default limiter: sync routes and dependencies, the lead writer)
BACKGROUND_THREADS = 4  # the event loop's default executor: outbox, reminders, jobs, bot warm-up
HEALTH_THREADS = 1  # `/healthz`, with its own limiter so it answers during a burst
POOL_SIZE = WORKER_THREADS + BACKGROUND_THREADS + HEALTH_THREADS
# Never needed while the rule above holds; a margin (an overflow connection is closed on return).
POOL_OVERFLOW = 4


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
        # A pooled connection for every thread: opening one (with its pragmas) costs more than
        # the query it serves.
        engine = create_engine(
            database_url,
            connect_args={"check_same_thread": False, "timeout": 30},
            pool_size=POOL_SIZE,
            max_overflow=POOL_OVERFLOW,
            # A statement's parameters are names, phones and answers: never in an error's text.
            hide_parameters=True,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(
        database_url,
        pool_pre_ping=True,
        pool_size=POOL_SIZE,
        max_overflow=POOL_OVERFLOW,
        hide_parameters=True,
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
