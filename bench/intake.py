"""Lead intake through the API (a real `serve` process, concurrent HTTP clients) against the raw
insert rate of the same database (the same lead rows, one transaction each, same client count),
measured in alternating rounds so both sides see the same machine.

The clients use the standard library's keep-alive `http.client`: on this 2-core machine httpx's
client alone tops out near 1,400 requests/s even against an endpoint that does nothing, so it would
measure itself rather than the service."""

from __future__ import annotations

import itertools
import json
import secrets
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.client import HTTPConnection
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session

from api import migrate
from api.core.db import make_engine
from api.models import Lead, utcnow
from api.roles import Role
from api.services import accounts
from bench.common import progress
from tests.harness import lead_body
from tests.servers import free_port, start_serve, wait_healthy

CLIENTS = 8
# SQLite takes one writer, so one process; on PostgreSQL `serve` runs one API process per core of
# the 2-core reference machine (BUOCMOI_API_WORKERS, buocmoi/workers.py).
POSTGRES_API_WORKERS = 2
ROUNDS = 8  # short rounds: on a shared machine the speed drifts within seconds


def _parallel(count: int, work: Callable[[int, int], None]) -> float:
    """Run `work(client, share)` on CLIENTS threads; return the seconds taken for `count` items."""
    share = count // CLIENTS
    threads = [threading.Thread(target=work, args=(n, share)) for n in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def _raw_insert(engine: Engine) -> Callable[[int, int], None]:
    def work(_: int, count: int) -> None:
        with engine.connect() as conn:
            for _ in range(count):
                now = utcnow()
                conn.execute(
                    insert(Lead).values(
                        id=secrets.token_hex(16),
                        reference="R" + secrets.token_hex(6),
                        status="new",
                        applicant="person",
                        answers=lead_body()["answers"],
                        screening={"outcome": "likely_eligible"},
                        outcome="likely_eligible",
                        commune_code="31684",
                        contact_name="Nguyễn Văn A",
                        contact_phone="0912345678",
                        contact_extra={},
                        consent_police=True,
                        consent_bank=True,
                        consent_text_version="v1",
                        consent_at=now,
                        channel="telegram",
                        channel_user="1",
                        lang="vi",
                        idempotency_key=secrets.token_hex(16),
                        created_at=now,
                        updated_at=now,
                    )
                )
                conn.commit()

    return work


@contextmanager
def _serving(url: str, workdir: Path, workers: int) -> Iterator[Callable[[int, int], None]]:
    """A real `serve` on `url`; yields the client work that posts leads to it."""
    engine = make_engine(url)
    with Session(engine) as session:
        _, token = accounts.create_account(session, name="bench", role=Role.INTAKE)
    engine.dispose()
    port = free_port()
    env = {"DATABASE_URL": url, "BUOCMOI_PORT": str(port), "BUOCMOI_API_WORKERS": str(workers)}
    server = start_serve(env, workdir)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    rounds = itertools.count()

    def work(client: int, count: int) -> None:
        # New connections each round: with several API processes the kernel spreads
        # connections by a hash, so one round's 8 may split 4/4 or 6/2; rounds average that out.
        http = HTTPConnection("127.0.0.1", port, timeout=30)
        tag = f"{next(rounds)}-{client}"
        try:
            for n in range(count):
                body = json.dumps(lead_body(f"bench-{tag}-{n}")).encode()
                http.request("POST", "/api/v1/leads", body=body, headers=headers)
                response = http.getresponse()
                response.read()
                if response.status != 201:
                    raise RuntimeError(f"intake answered {response.status}")
        finally:
            http.close()

    try:
        wait_healthy(f"http://127.0.0.1:{port}")
        yield work
    finally:
        server.terminate()
        server.wait(timeout=30)


def _compare(raw_url: str, api_url: str, total: int, workdir: Path, workers: int) -> tuple[float, float]:
    """Raw and API rates, measured in alternating rounds (raw, API, API, raw, ...): on a shared
    machine the speed drifts within seconds, and alternating lets both sides see the same drift."""
    per_round = max(CLIENTS, total // ROUNDS // CLIENTS * CLIENTS)
    raw_engine = make_engine(raw_url)
    seconds = {"raw": 0.0, "api": 0.0}
    try:
        with _serving(api_url, workdir, workers) as post_leads:
            sides = [("raw", _raw_insert(raw_engine)), ("api", post_leads)]
            for n in range(ROUNDS):
                for side, work in sides if n % 2 == 0 else sides[::-1]:
                    seconds[side] += _parallel(per_round, work)
    finally:
        raw_engine.dispose()
    done = per_round * ROUNDS
    return done / seconds["raw"], done / seconds["api"]


def _fresh_postgres(server_url: str) -> tuple[str, Callable[[], None]] | None:
    name = f"bm_bench_{secrets.token_hex(4)}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as err:
        progress(f"intake: PostgreSQL not reachable ({type(err).__name__}); skipped")
        return None
    finally:
        admin.dispose()

    def drop() -> None:
        engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()

    return make_url(server_url).set(database=name).render_as_string(hide_password=False), drop


def each_database(
    name: str, postgres_server: str | None, run: Callable[[str, str, Path], dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """`run(kind, url, workdir)` on a fresh SQLite file and, when `postgres_server` is reachable, a
    fresh PostgreSQL database (dropped afterwards): the figures by database kind."""
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        targets: list[tuple[str, str, Callable[[], None]]] = [
            ("sqlite", f"sqlite:///{work / f'{name}.db'}", lambda: None)
        ]
        if postgres_server:
            made = _fresh_postgres(postgres_server)
            if made:
                targets.append(("postgresql", made[0], made[1]))
        for kind, url, cleanup in targets:
            try:
                results[kind] = run(kind, url, work)
            finally:
                cleanup()
    return results


def measure(total: int, postgres_server: str | None) -> dict[str, dict[str, float]]:
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        targets: list[tuple[str, str, str, Callable[[], None]]] = [
            ("sqlite", f"sqlite:///{work / 'raw.db'}", f"sqlite:///{work / 'api.db'}", lambda: None)
        ]
        workers = {"sqlite": 1, "postgresql": POSTGRES_API_WORKERS}
        if postgres_server:
            raw_db, api_db = _fresh_postgres(postgres_server), _fresh_postgres(postgres_server)
            if raw_db and api_db:
                targets.append(("postgresql", raw_db[0], api_db[0], lambda: (raw_db[1](), api_db[1]())))  # type: ignore[func-returns-value]
        for name, raw_url, api_url, cleanup in targets:
            try:
                migrate.upgrade(raw_url)
                migrate.upgrade(api_url)
                processes = workers[name]
                progress(
                    f"intake/{name}: raw inserts and through the API ({processes} API processes), "
                    f"{total} each, {CLIENTS} clients, {ROUNDS} alternating rounds"
                )
                raw, api = _compare(raw_url, api_url, total, work, processes)
                results[name] = {
                    "raw_per_s": raw,
                    "api_per_s": api,
                    "ratio": api / raw,
                    "api_workers": workers[name],
                }
            finally:
                cleanup()
    return results
