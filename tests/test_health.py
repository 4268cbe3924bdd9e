import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from sqlmodel import create_engine

from api.core.config import ApiSettings
from api.main import create_app


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_serve_answers_healthz_over_http(tmp_path: Path) -> None:
    """`buocmoi serve` on a fresh SQLite file migrates it, listens, and answers /healthz."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/var/bm.db", "BUOCMOI_PORT": str(port)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "buocmoi", "serve"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.communicate()[1]
                assert time.monotonic() < deadline, "serve did not start in 30 s"
                time.sleep(0.2)
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "database": "ok"}
        schema = httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=5).json()
        assert "/healthz" in schema["paths"]
        missing = httpx.get(f"http://127.0.0.1:{port}/api/v1/nothing", timeout=5)
        assert missing.status_code == 404
        assert missing.json()["error"]["code"] == "not_found"
    finally:
        proc.terminate()
        _, stderr = proc.communicate(timeout=15)
    assert (tmp_path / "var" / "bm.db").exists()
    assert "Traceback" not in stderr


async def test_healthz_is_503_when_the_database_is_down() -> None:
    engine = create_engine(
        "postgresql+psycopg://nobody@127.0.0.1:1/none", connect_args={"connect_timeout": 2}
    )
    app = create_app(ApiSettings(), engine=engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["error"] == {
        "status": 503,
        "code": "unavailable",
        "message": "database unavailable",
        "details": [],
    }
