"""Peak resident memory of one `serve` process (API, bot and scheduler) after a mixed workload."""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path

import httpx
from sqlmodel import Session

from api import migrate
from api.core.db import make_engine
from api.roles import Role
from api.services import accounts
from bench.common import peak_rss_mb, progress
from tests.fakes.bot_api import FakeBotApi
from tests.harness import lead_body
from tests.servers import free_port, serving, start_serve, wait_healthy

PLACES = [
    "xa dai tam my xuyen",
    "phuong 5 tp soc trang",
    "Kế Sách",
    "TT Huỳnh Hữu Nghĩa, H. Mỹ Tú",
    "xã Phú Tân, Châu Thành, Sóc Trăng",
    "phuong ninh kieu",
]


def measure(leads: int = 1000) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        url = f"sqlite:///{work / 'memory.db'}"
        migrate.upgrade(url)
        engine = make_engine(url)
        with Session(engine) as session:
            _, token = accounts.create_account(session, name="bench", role=Role.INTAKE)
            accounts.create_account(session, name="officer", role=Role.COMMUNE_POLICE, communes=["31684"])
        engine.dispose()
        fake = FakeBotApi()
        with serving(fake.app) as bot_url:
            port = free_port()
            server = start_serve(
                {
                    "DATABASE_URL": url,
                    "BUOCMOI_PORT": str(port),
                    "TELEGRAM_BOT_TOKEN": "123:ABC",
                    "TELEGRAM_API_BASE_URL": f"{bot_url}/bot",
                },
                work,
            )
            base = f"http://127.0.0.1:{port}"
            try:
                wait_healthy(base)
                started_mb = peak_rss_mb(server.pid)
                progress(f"memory: serve started at {started_mb:.0f} MB; posting {leads} leads")

                def client(n: int) -> None:
                    with httpx.Client(
                        base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30
                    ) as http:
                        for i in range(leads // 4):
                            http.post("/api/v1/leads", json=lead_body(f"mem-{n}-{i}")).raise_for_status()
                            http.get("/api/v1/communes/resolve", params={"q": PLACES[i % len(PLACES)]})
                        http.get("/api/v1/leads", params={"limit": 500}).raise_for_status()

                threads = [threading.Thread(target=client, args=(n,)) for n in range(4)]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                peak = peak_rss_mb(server.pid)
            finally:
                server.terminate()
                server.wait(timeout=30)
    return {"start_mb": started_mb, "peak_mb": peak}
