"""Zalo latency: from an update reaching `buocmoi serve` (POST /zalo) to the bot's reply reaching
the (fake) Zalo Bot API, for many chats each going through the menu, a screening and a question
with numbered text choices. Run like the Telegram figure (bench/bot_latency.py, whose pacing and
reply tracking it reuses): 200 chats at the same time, 20 updates a second overall, each chat
sending its next update once the previous one was answered; one chat first, unmeasured.
Figures: p50 / p99 of update→first reply, updates/s achieved.
"""

from __future__ import annotations

import asyncio
import itertools
import tempfile
import time
from pathlib import Path

import httpx

from api import migrate
from bench.bot_latency import RATE, _Pacer
from bench.common import peak_rss_mb, percentile, progress
from tests.fakes.zalo_api import Call, FakeZaloApi, text_update
from tests.servers import free_port, serving, start_serve, wait_healthy

SECRET = "bench-zalo-secret"
STEPS = [
    "/start",
    "1",  # Tiếng Việt
    "/menu",
    "2",  # check eligibility
    "1",  # me
    "da chap hanh xong",
    "co roi",
    "03/2024",
    "2",  # production
    "50 trieu",
    "2",  # no same-purpose debt
    "lai suat bao nhieu",
]
_ids = itertools.count(1)


class _Replies:
    """Each chat's reply arrivals, told by the fake from its server thread (nothing polls)."""

    def __init__(self, fake: FakeZaloApi, loop: asyncio.AbstractEventLoop) -> None:
        self.arrivals: dict[str, list[float]] = {}
        self.waiters: dict[str, asyncio.Event] = {}
        self._loop = loop
        fake.on_call = self._from_server

    def _from_server(self, call: Call) -> None:
        if call.method == "sendMessage":
            self._loop.call_soon_threadsafe(self._arrived, str(call.params.get("chat_id")), call.at)

    def _arrived(self, chat: str, at: float) -> None:
        self.arrivals.setdefault(chat, []).append(at)
        waiter = self.waiters.get(chat)
        if waiter is not None:
            waiter.set()

    async def next_reply(self, chat: str, before: int) -> float:
        event = self.waiters.setdefault(chat, asyncio.Event())
        while len(self.arrivals.get(chat, [])) <= before:
            event.clear()
            await asyncio.wait_for(event.wait(), 30)
        return self.arrivals[chat][before]


async def _chat(
    client: httpx.AsyncClient, replies: _Replies, chat: str, pacer: _Pacer | None, latencies: list[float]
) -> None:
    for text in STEPS:
        if pacer is not None:
            await pacer.slot()
        before = len(replies.arrivals.get(chat, []))
        started = time.monotonic()
        update = text_update(chat, text, f"b{next(_ids)}", wrapped=next(_ids) % 2 == 0)
        response = await client.post("/zalo", json=update, headers={"X-Bot-Api-Secret-Token": SECRET})
        response.raise_for_status()
        try:
            latencies.append(await replies.next_reply(chat, before) - started)
        except TimeoutError:
            raise TimeoutError(f"no reply to {text!r} in chat {chat}") from None
        await asyncio.sleep(0.15)  # let the rest of the turn's messages go out


async def _run(base: str, fake: FakeZaloApi, chats: int) -> tuple[list[float], float]:
    replies = _Replies(fake, asyncio.get_running_loop())
    latencies: list[float] = []
    pacer = _Pacer(RATE)
    try:
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            await _chat(client, replies, "warmup", None, [])
            started = time.monotonic()
            await asyncio.gather(*(_chat(client, replies, f"z{n}", pacer, latencies) for n in range(chats)))
            seconds = time.monotonic() - started
    finally:
        fake.on_call = None  # replies still arriving must not reach a closed loop
    return latencies, seconds


def measure(chats: int = 200) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        url = f"sqlite:///{work / 'zalo.db'}"
        migrate.upgrade(url)
        fake = FakeZaloApi()
        with serving(fake.app) as fake_url:
            port = free_port()
            server = start_serve(
                {
                    "DATABASE_URL": url,
                    "BUOCMOI_PORT": str(port),
                    "ZALO_BOT_TOKEN": "123:bench",
                    "ZALO_API_BASE_URL": fake_url,
                    "ZALO_WEBHOOK_URL": "https://bench.invalid/zalo",
                    "ZALO_WEBHOOK_SECRET": SECRET,
                },
                work,
            )
            base = f"http://127.0.0.1:{port}"
            try:
                wait_healthy(base, timeout=180)
                progress(f"zalo: {chats} chats × {len(STEPS)} updates at {RATE:.0f} updates/s")
                latencies, seconds = asyncio.run(_run(base, fake, chats))
                peak_mb = peak_rss_mb(server.pid)
            finally:
                server.terminate()
                server.wait(timeout=30)
    ordered = sorted(latencies)
    return {
        "chats": float(chats),
        "updates": float(len(ordered)),
        "p50_ms": percentile(ordered, 0.50) * 1000,
        "p99_ms": percentile(ordered, 0.99) * 1000,
        "updates_per_s": len(ordered) / seconds,
        "serve_peak_mb": peak_mb,
    }


if __name__ == "__main__":
    print(measure(20))
