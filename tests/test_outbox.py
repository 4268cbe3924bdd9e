"""The outbox delivers through real HTTP to a fake Bot API and a fake agency system, and retries."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from api import migrate
from api.core.db import make_engine
from api.models import OutboxMessage, Webhook
from api.outbox import store
from api.outbox.dispatcher import Dispatcher
from api.roles import Role
from api.services import accounts
from tests.fakes.bot_api import FakeBotApi
from tests.fakes.webhook_receiver import WebhookReceiver
from tests.servers import serving

TOKEN = "123:ABC"


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    migrate.upgrade(database_url)
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def bot_api() -> Iterator[tuple[FakeBotApi, str]]:
    fake = FakeBotApi()
    with serving(fake.app) as url:
        yield fake, url


def _queue_telegram(engine: Engine, count: int) -> None:
    with Session(engine) as session:
        for n in range(count):
            store.telegram_message(
                session, chat_id=str(7000 + n), text=f"tin {n}", dedupe_key=f"t{n}", purpose="test"
            )
        session.commit()


async def _drain(dispatcher: Dispatcher, engine: Engine, timeout: float = 20) -> list[OutboxMessage]:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while loop.time() < end:
        await dispatcher.run_once()
        with Session(engine) as session:
            rows = list(session.exec(select(OutboxMessage)).all())
        if all(r.status != "pending" for r in rows):
            return rows
        await asyncio.sleep(0.05)
    raise AssertionError("outbox not drained")


async def test_telegram_429_500_and_timeouts_are_retried_until_delivered_once(
    engine: Engine, bot_api: tuple[FakeBotApi, str]
) -> None:
    fake, url = bot_api
    _queue_telegram(engine, 5)
    fake.fail_methods = {"sendMessage"}
    fake.fail_next(429, retry_after=1)
    fake.fail_next(500, count=2)
    fake.delay_next(3.0)  # longer than the client's timeout below
    async with httpx.AsyncClient(timeout=1.0) as client:
        dispatcher = Dispatcher(
            engine,
            telegram_token=TOKEN,
            telegram_base_url=f"{url}/bot",
            client=client,
            base_backoff_seconds=0.05,
        )
        rows = await _drain(dispatcher, engine)
    assert {r.status for r in rows} == {"sent"}
    delivered_texts = [p["text"] for p in fake.sent()]
    # Every message reached Telegram; only the timed-out one may have arrived twice (at least once).
    assert set(delivered_texts) == {f"tin {n}" for n in range(5)}
    assert any(r.attempts > 1 for r in rows)


async def test_permanent_telegram_error_is_visible_as_dead(
    engine: Engine, bot_api: tuple[FakeBotApi, str]
) -> None:
    fake, url = bot_api
    _queue_telegram(engine, 1)
    fake.fail_methods = {"sendMessage"}
    fake.fail_next(403, description="Forbidden: bot was blocked by the user")
    async with httpx.AsyncClient(timeout=5) as client:
        dispatcher = Dispatcher(engine, telegram_token=TOKEN, telegram_base_url=f"{url}/bot", client=client)
        rows = await _drain(dispatcher, engine)
    assert rows[0].status == "dead"
    assert "blocked" in (rows[0].last_error or "")


async def test_webhook_is_signed_and_retried_against_a_failing_receiver(engine: Engine) -> None:
    receiver = WebhookReceiver(fail_first=2)
    with serving(receiver.build()) as url:
        with Session(engine) as session:
            account, _ = accounts.create_account(session, name="Sở Nội vụ", role=Role.AGENCY)
            hook = Webhook(account_id=account.id or 0, url=f"{url}/hook", secret="s3cret")
            session.add(hook)
            session.commit()
            hook_id = hook.id
            store.webhook_event(
                session,
                account_ids=[account.id or 0],
                event={"event": "lead.created", "lead_id": "x"},
                dedupe_key="lead:x:created",
            )
            session.commit()
        async with httpx.AsyncClient(timeout=5) as client:
            dispatcher = Dispatcher(
                engine,
                telegram_token=None,
                telegram_base_url="http://unused/bot",
                client=client,
                base_backoff_seconds=0.05,
                allow_loopback_webhooks=True,  # the receiver runs on loopback
            )
            rows = await _drain(dispatcher, engine)
    assert rows[0].status == "sent"
    assert rows[0].attempts == 3
    assert receiver.attempts == 3
    (got,) = receiver.received
    expected = "sha256=" + hmac.new(b"s3cret", got.body, hashlib.sha256).hexdigest()
    assert got.headers["x-buocmoi-signature"] == expected
    assert got.headers["x-buocmoi-delivery"] == f"lead:x:created:wh{hook_id}"


async def test_two_dispatchers_never_send_the_same_row_twice(
    engine: Engine, bot_api: tuple[FakeBotApi, str]
) -> None:
    fake, url = bot_api
    _queue_telegram(engine, 60)
    async with httpx.AsyncClient(timeout=5) as client:
        first, second = (
            Dispatcher(
                engine,
                telegram_token=TOKEN,
                telegram_base_url=f"{url}/bot",
                client=client,
                messages_per_second=1000,
            )
            for _ in range(2)
        )
        await asyncio.gather(_drain(first, engine), _drain(second, engine))
    texts = [p["text"] for p in fake.sent()]
    assert sorted(texts) == sorted(f"tin {n}" for n in range(60))
