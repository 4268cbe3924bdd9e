"""A reminder broadcast through the outbox to a fake Bot API that enforces Telegram's 30 messages/s.

Figures: achieved messages/s as a share of 30, 429 answers from the fake API, messages lost or doubled.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from sqlmodel import Session, col, func, select

from api import migrate
from api.core.db import make_engine
from api.models import OutboxMessage
from api.outbox import store
from api.outbox.dispatcher import Dispatcher
from bench.common import progress
from tests.fakes.bot_api import FakeBotApi
from tests.servers import serving

LIMIT = 30


def _enqueue(engine: Any, count: int) -> None:
    with Session(engine) as session:
        for n in range(count):
            store.telegram_message(
                session,
                chat_id=str(10_000 + n),
                purpose="reminder",
                dedupe_key=f"bench:{n}",
                text=f"Nhắc việc: danh sách tháng của xã/phường cần gửi trước ngày 05 (#{n})",
            )
        session.commit()


async def _drain(dispatcher: Dispatcher, engine: Any, count: int) -> None:
    last_report = time.monotonic()
    while True:
        await dispatcher.run_once()
        with Session(engine) as session:
            pending = session.exec(
                select(func.count()).select_from(OutboxMessage).where(col(OutboxMessage.status) == "pending")
            ).one()
        if pending == 0:
            return
        if time.monotonic() - last_report > 15:
            progress(f"broadcast: {count - pending}/{count} sent")
            last_report = time.monotonic()
        await asyncio.sleep(0.01)


def measure(count: int = 6600) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'broadcast.db'}"
        migrate.upgrade(url)
        engine = make_engine(url)
        _enqueue(engine, count)
        fake = FakeBotApi()
        fake.max_per_second = LIMIT
        progress(f"broadcast: {count} messages queued; sending at most {LIMIT}/s")
        with serving(fake.app) as bot_url:

            async def run() -> float:
                async with httpx.AsyncClient(timeout=10) as client:
                    dispatcher = Dispatcher(
                        engine, telegram_token="123:ABC", telegram_base_url=f"{bot_url}/bot", client=client
                    )
                    started = time.monotonic()
                    await _drain(dispatcher, engine, count)
                    return time.monotonic() - started

            elapsed = asyncio.run(run())
        engine.dispose()
        texts = [str(p.get("text")) for p in fake.sent()]
    rate = len(texts) / elapsed
    return {
        "messages": count,
        "seconds": elapsed,
        "rate": rate,
        "share_of_30": rate / LIMIT,
        "http_429": fake.too_many,
        "lost": count - len(set(texts)),
        "doubled": len(texts) - len(set(texts)),
    }
