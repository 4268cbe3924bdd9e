"""The outbox's Zalo lane: rows for "zalo:<id>" chats go to a fake Zalo Bot API as text with numbered
buttons, split at 2000 characters, retried after 429 / 5xx / network errors, given up on other 4xx;
without a Zalo token they wait (never sent through Telegram)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from api import migrate
from api.core.db import make_engine
from api.models import OutboxMessage
from api.outbox import store
from api.outbox.dispatcher import Dispatcher
from tests.fakes.zalo_api import FakeZaloApi
from tests.servers import serving

TOKEN = "42:zalo"


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    migrate.upgrade(database_url)
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def zalo() -> Iterator[tuple[FakeZaloApi, str]]:
    fake = FakeZaloApi()
    with serving(fake.app) as url:
        yield fake, url


def _queue(
    engine: Engine, chat: str, text: str, key: str, buttons: list[list[dict[str, str]]] | None = None
) -> None:
    with Session(engine) as session:
        store.telegram_message(
            session, chat_id=chat, text=text, dedupe_key=key, purpose="test", buttons=buttons
        )
        session.commit()


def _rows(engine: Engine) -> list[OutboxMessage]:
    with Session(engine) as session:
        return list(session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all())


async def _drain(dispatcher: Dispatcher, engine: Engine, timeout: float = 20) -> list[OutboxMessage]:
    end = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < end:
        await dispatcher.run_once()
        rows = _rows(engine)
        if all(r.status != "pending" for r in rows):
            return rows
        await asyncio.sleep(0.05)
    raise AssertionError("outbox not drained")


async def test_zalo_rows_are_sent_numbered_split_and_retried(
    engine: Engine, zalo: tuple[FakeZaloApi, str]
) -> None:
    fake, url = zalo
    buttons = [
        [{"text": "Xem hồ sơ", "callback_data": "ld|1|view"}],
        [{"text": "→ Đã tiếp nhận", "callback_data": "ld|1|received"}],
    ]
    _queue(engine, "zalo:officer9", "Hồ sơ mới BM-1", "a", buttons)
    _queue(engine, "zalo:person9", "x" * 4100, "b")
    assert {r.kind for r in _rows(engine)} == {"zalo"}
    fake.fail_next(500)
    fake.fail_next(429)
    remembered: list[tuple[str, list[list[dict[str, str]]]]] = []
    async with httpx.AsyncClient(timeout=5) as client:
        dispatcher = Dispatcher(
            engine,
            telegram_token=None,
            telegram_base_url="http://127.0.0.1:9/bot",
            client=client,
            base_backoff_seconds=0.05,
            zalo_token=TOKEN,
            zalo_api_root=url,
        )
        dispatcher.zalo_sent = lambda target, rows: remembered.append((target, rows))
        rows = await _drain(dispatcher, engine)
    assert [r.status for r in rows] == ["sent", "sent"]
    assert fake.sent("officer9")[-1] == "Hồ sơ mới BM-1\n\n1. Xem hồ sơ\n2. → Đã tiếp nhận"
    pieces = fake.sent("person9")[-3:]
    assert [len(p) for p in pieces] == [2000, 2000, 100]
    assert remembered == [("zalo:officer9", buttons)]
    assert all(c.token == TOKEN for c in fake.calls)


async def test_a_refused_chat_is_given_up_and_no_token_means_no_send(
    engine: Engine, zalo: tuple[FakeZaloApi, str]
) -> None:
    fake, url = zalo
    _queue(engine, "zalo:gone", "tin", "c")
    async with httpx.AsyncClient(timeout=5) as client:
        idle = Dispatcher(engine, telegram_token="1:T", telegram_base_url=f"{url}/x", client=client)
        assert await idle.run_once() == 0  # no Zalo token: the row waits
        fake.fail_next(403, description="user blocked the bot")
        dispatcher = Dispatcher(
            engine,
            telegram_token=None,
            telegram_base_url="http://127.0.0.1:9/bot",
            client=client,
            zalo_token=TOKEN,
            zalo_api_root=url,
        )
        (row,) = await _drain(dispatcher, engine)
    assert row.status == "dead" and row.last_error is not None and row.last_error.startswith("403")
