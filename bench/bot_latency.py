"""Bot latency: from an update reaching `buocmoi serve` (webhook) to the bot's reply reaching the
(fake) Bot API, for many chats each going through the menu, a screening and a question.

`serve` runs as its own process, with the bot in webhook mode and the fake Bot API (which enforces
Telegram's 30 messages/s) on loopback. All 200 chats talk at the same time, at a steady 20 updates
a second overall (one update every ten seconds or so from each, as people read and tap), so the
conversations are at different steps and the replies (one or two messages each) stay within
Telegram's 30 messages a second; each chat sends its next update once the previous one was
answered. One chat runs first, unmeasured (start-up is not measured here).
Figures: p50 / p99 of update→first reply (the time the fake Bot API received it), updates/s achieved.
"""

from __future__ import annotations

import asyncio
import itertools
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from api import migrate
from bench.common import peak_rss_mb, percentile, progress
from tests.fakes.bot_api import Call, FakeBotApi
from tests.servers import free_port, serving, start_serve, wait_healthy

RATE = 20.0  # updates per second, all chats together
ACTIVE = 200  # chats talking at the same time
SECRET = "bench-secret"
STEPS: list[tuple[str, str]] = [
    ("text", "/start"),
    ("press", "v1|lang|vi"),
    ("press", "v1|m|check"),
    ("press", "v1|a|applicant|person"),
    ("text", "da chap hanh xong"),
    ("press", "v1|a|has_certificate|yes"),
    ("text", "03/2024"),
    ("press", "v1|a|purpose|production"),
    ("text", "50 trieu"),
    ("press", "v1|a|same_purpose_debt|no"),
    ("text", "lai suat bao nhieu"),
]
_ids = itertools.count(1)


def _update(chat: int, kind: str, value: str) -> dict[str, Any]:
    person = {"id": chat, "is_bot": False, "first_name": "B", "language_code": "vi"}
    room = {"id": chat, "type": "private", "first_name": "B"}
    if kind == "press":
        return {
            "update_id": next(_ids),
            "callback_query": {
                "id": str(next(_ids)),
                "from": person,
                "chat_instance": "b",
                "data": value,
                "message": {"message_id": 1, "date": int(time.time()), "chat": room, "text": "…"},
            },
        }
    return {
        "update_id": next(_ids),
        "message": {
            "message_id": next(_ids),
            "date": int(time.time()),
            "chat": room,
            "from": person,
            "text": value,
        },
    }


class _Pacer:
    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate
        self.next = time.monotonic()
        self.lock = asyncio.Lock()

    async def slot(self) -> None:
        async with self.lock:
            now = time.monotonic()
            wait = self.next - now
            self.next = max(self.next, now) + self.interval
        if wait > 0:
            await asyncio.sleep(wait)


class _Replies:
    """Tells each chat when its next reply arrived, with the time the fake Bot API received it.
    The fake calls back from its server thread as each call is recorded, so nothing polls (a poll
    every few ms would take the GIL from the fake's thread and add to what is measured)."""

    def __init__(self, fake: FakeBotApi, loop: asyncio.AbstractEventLoop) -> None:
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
    client: httpx.AsyncClient, replies: _Replies, chat: int, pacer: _Pacer | None, latencies: list[float]
) -> None:
    for kind, value in STEPS:
        if pacer is not None:
            await pacer.slot()
        before = len(replies.arrivals.get(str(chat), []))
        started = time.monotonic()
        response = await client.post(
            "/telegram", json=_update(chat, kind, value), headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
        )
        response.raise_for_status()
        latencies.append(await replies.next_reply(str(chat), before) - started)
        await asyncio.sleep(0.15)  # let the rest of the turn's messages go out


async def _run(base: str, fake: FakeBotApi, chats: int) -> tuple[list[float], float]:
    replies = _Replies(fake, asyncio.get_running_loop())
    latencies: list[float] = []
    pacer = _Pacer(RATE)
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        # One chat first, not measured: the start-up of serve is not what this measures.
        await _chat(client, replies, 699_999, None, [])
        started = time.monotonic()
        await asyncio.gather(*(_chat(client, replies, 700_000 + n, pacer, latencies) for n in range(chats)))
        seconds = time.monotonic() - started
    fake.on_call = None
    return latencies, seconds


def measure(chats: int = 200) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        url = f"sqlite:///{work / 'bot.db'}"
        migrate.upgrade(url)
        fake = FakeBotApi()
        with serving(fake.app) as bot_url:
            port = free_port()
            server = start_serve(
                {
                    "DATABASE_URL": url,
                    "BUOCMOI_PORT": str(port),
                    "TELEGRAM_BOT_TOKEN": "123:ABC",
                    "TELEGRAM_API_BASE_URL": f"{bot_url}/bot",
                    "TELEGRAM_WEBHOOK_URL": "https://bench.invalid/telegram",
                    "TELEGRAM_WEBHOOK_SECRET": SECRET,
                },
                work,
            )
            base = f"http://127.0.0.1:{port}"
            try:
                wait_healthy(base)
                progress(f"bot: {chats} chats × {len(STEPS)} updates at {RATE:.0f} updates/s")
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
        "serve_peak_mb": peak_mb,  # the same `serve` process after all those conversations
    }


if __name__ == "__main__":
    print(measure(20))
