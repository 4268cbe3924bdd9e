"""`serve` is killed (SIGKILL) while concurrent clients post 1,000 leads and retry until acknowledged:
every acknowledged lead is stored exactly once, and none is lost or doubled by the retries."""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path

import httpx
from sqlmodel import Session, func, select

from api import migrate
from api.core.db import make_engine
from api.models import Lead
from api.roles import Role
from api.services import accounts
from tests.harness import lead_body
from tests.servers import free_port, start_serve, wait_healthy

LEADS = 1000
CLIENTS = 8


def test_no_acknowledged_lead_is_lost_or_doubled_when_serve_is_killed(
    database_url: str, tmp_path: Path
) -> None:
    migrate.upgrade(database_url)
    engine = make_engine(database_url)
    with Session(engine) as session:
        _, token = accounts.create_account(session, name="bot", role=Role.INTAKE)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = start_serve({"DATABASE_URL": database_url, "BUOCMOI_PORT": str(port)}, tmp_path)
    wait_healthy(url)

    acknowledged: dict[str, str] = {}
    lock = threading.Lock()
    keys = [f"fault-{n}" for n in range(LEADS)]

    def client(mine: list[str]) -> None:
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=5) as http:
            for key in mine:
                deadline = time.monotonic() + 120
                while True:  # retry the same idempotency key until the service acknowledges it
                    assert time.monotonic() < deadline, f"{key} never acknowledged"
                    try:
                        response = http.post("/api/v1/leads", json=lead_body(key, channel_user=key))
                    except httpx.HTTPError:
                        time.sleep(0.05)
                        continue
                    if response.status_code in (200, 201):
                        with lock:
                            acknowledged[key] = response.json()["id"]
                        break
                    assert response.status_code >= 500, response.text
                    time.sleep(0.05)

    threads = [threading.Thread(target=client, args=(keys[n::CLIENTS],)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    kills = 0
    try:
        for at in (LEADS // 4, LEADS // 2):  # kill twice, mid-stream
            while len(acknowledged) < at:
                time.sleep(0.01)
            server.send_signal(signal.SIGKILL)
            server.wait()
            kills += 1
            server = start_serve({"DATABASE_URL": database_url, "BUOCMOI_PORT": str(port)}, tmp_path)
            wait_healthy(url)
        for thread in threads:
            thread.join(timeout=300)
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert kills == 2
    assert len(acknowledged) == LEADS
    with Session(engine) as session:
        stored = session.exec(select(func.count()).select_from(Lead)).one()
        per_key = dict(session.exec(select(Lead.idempotency_key, Lead.id)).all())
    engine.dispose()
    assert stored == LEADS
    assert per_key == {key: acknowledged[key] for key in keys}
