"""`serve` with several API processes (BUOCMOI_API_WORKERS) on PostgreSQL: one port, every process
up before the service answers, every lead stored once, workers gone with the first process, and
refused where it cannot work."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
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


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def _listeners(port: int) -> int:
    """Listening TCP sockets on 127.0.0.1:port (state 0A in /proc/net/tcp)."""
    rows = Path("/proc/net/tcp").read_text().splitlines()[1:]
    wanted = f"0100007F:{port:04X}"
    return sum(1 for row in rows if row.split()[1] == wanted and row.split()[3] == "0A")


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_api_workers_share_the_port_and_go_with_serve(postgres_url: str, tmp_path: Path) -> None:
    migrate.upgrade(postgres_url)
    engine = make_engine(postgres_url)
    with Session(engine) as session:
        _, token = accounts.create_account(session, name="bot", role=Role.INTAKE)
    port = free_port()
    server = start_serve(
        {"DATABASE_URL": postgres_url, "BUOCMOI_PORT": str(port), "BUOCMOI_API_WORKERS": "2"}, tmp_path
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base)
        # Once the service answers, every process takes connections: each listens on its own
        # socket of the port (SO_REUSEPORT), and the first answers only after the others are up.
        workers = _children(server.pid)
        assert len(workers) == 1
        assert _listeners(port) == 2

        def post(n: int) -> int:
            # A new connection each time, so both processes take some.
            with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}) as client:
                return client.post("/api/v1/leads", json=lead_body(f"w-{n % 30}")).status_code

        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(post, range(60)))
        assert statuses.count(201) == 30 and statuses.count(200) == 30
        with Session(engine) as session:
            assert session.exec(select(func.count()).select_from(Lead)).one() == 30

        server.send_signal(signal.SIGKILL)  # the first process dies without cleaning up
        server.wait(timeout=10)
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(pid) for pid in workers)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(timeout=10)
        engine.dispose()


def test_several_api_workers_are_refused_on_sqlite(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/x.db", "BUOCMOI_API_WORKERS": "2"}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    done = subprocess.run(
        [sys.executable, "-m", "buocmoi", "serve"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "BUOCMOI_API_WORKERS" in done.stderr and "PostgreSQL" in done.stderr
