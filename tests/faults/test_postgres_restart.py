"""PostgreSQL goes away under load (restarted in CI; every connection cut elsewhere, which clients see
the same way): `serve` recovers by itself, and every lead the clients retried is stored exactly once."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session, func, select

from api import migrate
from api.core.db import make_engine
from api.models import Lead
from api.roles import Role
from api.services import accounts
from tests.harness import lead_body
from tests.servers import free_port, start_serve, wait_healthy

LEADS = 300
CLIENTS = 4


def _interrupt_postgres(database_url: str) -> str:
    """Restart the cluster when CI owns the machine; otherwise cut every connection to the test
    database (other work may be using the server)."""
    cluster = Path("/etc/postgresql")
    if os.environ.get("CI") and shutil.which("pg_ctlcluster") and cluster.is_dir():
        version = sorted(p.name for p in cluster.iterdir())[0]
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
            check=True,
            capture_output=True,
            timeout=120,
        )
        return "restarted"
    name = make_url(database_url).database
    admin = create_engine(make_url(database_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :name AND pid <> pg_backend_pid()"
            ),
            {"name": name},
        )
    admin.dispose()
    return "connections cut"


def test_serve_recovers_when_postgres_restarts_under_load(postgres_url: str, tmp_path: Path) -> None:
    migrate.upgrade(postgres_url)
    engine = make_engine(postgres_url)
    with Session(engine) as session:
        _, token = accounts.create_account(session, name="bot", role=Role.INTAKE)
    engine.dispose()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = start_serve({"DATABASE_URL": postgres_url, "BUOCMOI_PORT": str(port)}, tmp_path)
    wait_healthy(url)
    acknowledged: dict[str, str] = {}
    errors_seen = 0
    lock = threading.Lock()
    keys = [f"pg-{n}" for n in range(LEADS)]

    def client(mine: list[str]) -> None:
        nonlocal errors_seen
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=10) as http:
            for key in mine:
                deadline = time.monotonic() + 120
                while True:
                    assert time.monotonic() < deadline, f"{key} never acknowledged"
                    try:
                        response = http.post("/api/v1/leads", json=lead_body(key, channel_user=key))
                    except httpx.HTTPError:
                        response = None
                    if response is not None and response.status_code in (200, 201):
                        with lock:
                            acknowledged[key] = response.json()["id"]
                        break
                    with lock:
                        errors_seen += 1
                    time.sleep(0.1)

    threads = [threading.Thread(target=client, args=(keys[n::CLIENTS],)) for n in range(CLIENTS)]
    try:
        for thread in threads:
            thread.start()
        while len(acknowledged) < LEADS // 3:
            time.sleep(0.01)
        how = _interrupt_postgres(postgres_url)
        for thread in threads:
            thread.join(timeout=300)
        assert httpx.get(f"{url}/healthz", timeout=5).status_code == 200  # no manual action needed
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert how in ("restarted", "connections cut")
    assert len(acknowledged) == LEADS
    engine = make_engine(postgres_url)
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Lead)).one() == LEADS
        stored = dict(session.exec(select(Lead.idempotency_key, Lead.id)).all())
    engine.dispose()
    assert stored == acknowledged
