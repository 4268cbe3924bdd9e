"""Shared fixtures: a fresh database per test (SQLite file, or a new PostgreSQL database on the
server named by DATABASE_URL), and PostgreSQL for tests that need it whatever the run. The scheduler
of `serve` is off for the whole suite (see below)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from tests.harness import Api, running_api

DEFAULT_TEST_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

# No test sees the reminders, follow-ups or escalations of the real day: `serve` started by any test
# (in this process or as a child, which inherits the environment) runs without its scheduler. A test
# about the scheduler turns it on with a fixed moment (BUOCMOI_SCHEDULER=on, BUOCMOI_CLOCK=...) or
# calls it with `now`.
os.environ["BUOCMOI_SCHEDULER"] = "off"
os.environ.pop("BUOCMOI_CLOCK", None)


def _is_postgres(url: str | None) -> bool:
    return bool(url) and make_url(url).get_backend_name() == "postgresql"  # type: ignore[arg-type]


def _psycopg(url: str) -> str:
    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def _create_pg_database(server_url: str) -> tuple[str, str]:
    name = f"bm_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(_psycopg(server_url), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    url = make_url(_psycopg(server_url)).set(database=name).render_as_string(hide_password=False)
    return name, url


def _drop_pg_database(server_url: str, name: str) -> None:
    admin = create_engine(_psycopg(server_url), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """An empty database of the kind this run tests: PostgreSQL when DATABASE_URL says so."""
    server = os.environ.get("DATABASE_URL")
    if not _is_postgres(server):
        yield f"sqlite:///{tmp_path}/test.db"
        return
    assert server is not None
    name, url = _create_pg_database(server)
    try:
        yield url
    finally:
        _drop_pg_database(server, name)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """An empty PostgreSQL database, whatever this run's DATABASE_URL. In CI an unreachable server
    fails the test; on a laptop without PostgreSQL the test is skipped, saying why."""
    server = os.environ.get("DATABASE_URL")
    if not _is_postgres(server):
        server = os.environ.get("TEST_POSTGRES_URL", DEFAULT_TEST_POSTGRES)
    try:
        name, url = _create_pg_database(server)
    except OperationalError as err:
        message = f"PostgreSQL is not reachable at {make_url(server).render_as_string()}: {err.orig}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    try:
        yield url
    finally:
        _drop_pg_database(server, name)


@pytest.fixture
def api(database_url: str) -> Iterator[Api]:
    """The real API on a real port over a fresh database (see `tests.harness`)."""
    with running_api(database_url) as running:
        yield running
