"""Web chat latency: from a browser's post to `/chat` reaching `buocmoi serve` to the answer with
the bot's replies, for many browsers each going through the menu, a screening and a question.

The same load as the Telegram figure (bench/bot_latency.py): `serve` as its own process (no
Telegram token, the web chat on), 200 browsers talking at the same time at a steady 20 posts a
second overall, each posting its next answer once the previous one was answered. Each browser has
its own cookie and form token (read from its first `GET /chat`, not measured) and posts as the
page's script does (`X-Requested-With: fetch`: only the new replies come back). Every browser
comes from 127.0.0.1, so the per-address limit is raised for the run (one address would be a
commune office's computers behind one router). One browser runs first, unmeasured.
Figures: p50 / p99 of post→answer, posts/s achieved.
"""

from __future__ import annotations

import asyncio
import re
import tempfile
import time
from pathlib import Path

import httpx

from api import migrate
from bench.bot_latency import RATE, _Pacer
from bench.common import peak_rss_mb, percentile, progress
from tests.servers import free_port, start_serve, wait_healthy

CSRF = re.compile(r'name="csrf_token" value="([^"]*)"')
STEPS: list[tuple[str, str]] = [
    ("b", "v1|m|check"),
    ("b", "v1|a|applicant|person"),
    ("t", "da chap hanh xong"),
    ("b", "v1|a|has_certificate|yes"),
    ("t", "03/2024"),
    ("b", "v1|a|purpose|production"),
    ("t", "50 trieu"),
    ("b", "v1|a|same_purpose_debt|no"),
    ("t", "lai suat bao nhieu"),
    ("t", "/menu"),
]


async def _browser(base: str, pacer: _Pacer | None, latencies: list[float]) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        page = await client.get("/chat")
        page.raise_for_status()
        found = CSRF.search(page.text)
        assert found is not None
        token = found.group(1)
        for field, value in STEPS:
            if pacer is not None:
                await pacer.slot()
            started = time.monotonic()
            answer = await client.post(
                "/chat", data={"csrf_token": token, field: value}, headers={"X-Requested-With": "fetch"}
            )
            elapsed = time.monotonic() - started
            answer.raise_for_status()
            assert 'class="bot"' in answer.text
            latencies.append(elapsed)
            await asyncio.sleep(0.15)  # as the bot bench: a person reads before answering


async def _run(base: str, chats: int) -> tuple[list[float], float]:
    latencies: list[float] = []
    await _browser(base, None, [])  # start-up is not what this measures
    pacer = _Pacer(RATE)
    started = time.monotonic()
    await asyncio.gather(*(_browser(base, pacer, latencies) for _ in range(chats)))
    return latencies, time.monotonic() - started


def measure(chats: int = 200) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        url = f"sqlite:///{work / 'web.db'}"
        migrate.upgrade(url)
        port = free_port()
        server = start_serve(
            {
                "DATABASE_URL": url,
                "BUOCMOI_PORT": str(port),
                "BUOCMOI_WEB_CHAT_ADDRESS_RATE": "60000",
            },
            work,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(base, timeout=240)  # a loaded shared machine starts slowly
            progress(f"web: {chats} browsers × {len(STEPS)} posts at {RATE:.0f} posts/s")
            latencies, seconds = asyncio.run(_run(base, chats))
            peak_mb = peak_rss_mb(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)
    ordered = sorted(latencies)
    return {
        "chats": float(chats),
        "posts": float(len(ordered)),
        "p50_ms": percentile(ordered, 0.50) * 1000,
        "p99_ms": percentile(ordered, 0.99) * 1000,
        "posts_per_s": len(ordered) / seconds,
        "serve_peak_mb": peak_mb,
    }


if __name__ == "__main__":
    print(measure(20))
