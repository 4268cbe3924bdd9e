"""Webhooks: no delivery into the service's own network (SSRF), checked at registration and again
at delivery; and one slow receiver never holds up the others nor Telegram. Every receiver here
runs on loopback, which the tests allow explicitly (off by default)."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress

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
from tests.harness import Api, running_api
from tests.servers import serving

REFUSED = [
    "http://127.0.0.1/hook",
    "http://127.0.0.1:8000/api/v1/accounts",
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.1/",
    "http://172.16.5.4/",
    "http://192.168.1.1/",
    "http://100.100.100.200/",  # shared address space (a cloud's metadata service)
    "http://[::1]:5432/",
    "http://[fe80::1]/",
    "http://[fd00:ec2::254]/",
    "http://[::ffff:127.0.0.1]/",
    "http://0.0.0.0/",
    "http://[::]/",
    "http://2130706433/",  # 127.0.0.1 as one number
    "http://0x7f.1/",
    "http://224.0.0.1/",
    "http://localhost:8000/",  # a name that resolves to loopback
]


@pytest.mark.parametrize("url", REFUSED)
def test_webhooks_to_non_public_addresses_are_refused(api: Api, url: str) -> None:
    with api.client(api.account(Role.AGENCY)) as client:
        response = client.post("/api/v1/webhooks", json={"url": url})
        assert response.status_code == 422, response.text
        assert response.json()["error"]["message"].startswith("url")
        assert client.get("/api/v1/webhooks").json()["count"] == 0


def test_public_receivers_are_accepted(api: Api) -> None:
    with api.client(api.account(Role.AGENCY)) as client:
        for url in ("https://1.1.1.1/hook", "https://agency.example/hook"):
            assert client.post("/api/v1/webhooks", json={"url": url}).status_code == 201


def test_the_loopback_allowance_for_tests_opens_loopback_only(database_url: str) -> None:
    # Off by default (every test above runs without it); set, it never opens private ranges.
    with running_api(database_url, BUOCMOI_WEBHOOK_ALLOW_LOOPBACK="true") as api:
        agency = api.account(Role.AGENCY)
        with api.client(agency) as client:
            assert client.post("/api/v1/webhooks", json={"url": "http://127.0.0.1:9/"}).status_code == 201
            for url in ("http://10.0.0.1/", "http://169.254.169.254/", "http://0.0.0.0/"):
                assert client.post("/api/v1/webhooks", json={"url": url}).status_code == 422


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    migrate.upgrade(database_url)
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def _hook(engine: Engine, url: str, name: str) -> int:
    """A webhook row as an older version (or a changed DNS answer) may have left it."""
    with Session(engine) as session:
        account, _ = accounts.create_account(session, name=name, role=Role.AGENCY)
        hook = Webhook(account_id=account.id or 0, url=url, secret="s3cret")
        session.add(hook)
        session.commit()
        assert account.id is not None
        return account.id


def _event(engine: Engine, account_id: int, key: str) -> None:
    with Session(engine) as session:
        store.webhook_event(
            session, account_ids=[account_id], event={"event": "lead.created"}, dedupe_key=key
        )
        session.commit()


def _rows(engine: Engine) -> list[OutboxMessage]:
    with Session(engine) as session:
        return list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all())  # type: ignore[arg-type]


async def test_delivery_checks_the_address_again_and_never_posts_to_loopback(engine: Engine) -> None:
    receiver = WebhookReceiver()
    with serving(receiver.build()) as url:
        port = url.rsplit(":", 1)[1]
        _event(engine, _hook(engine, f"{url}/hook", "by address"), "a")
        _event(engine, _hook(engine, f"http://localhost:{port}/hook", "by name"), "b")
        async with httpx.AsyncClient(timeout=5) as client:
            dispatcher = Dispatcher(
                engine, telegram_token=None, telegram_base_url="http://unused/bot", client=client
            )
            await dispatcher.run_once()
            await asyncio.wait_for(asyncio.gather(*dispatcher.in_flight), 10)
    rows = _rows(engine)
    assert [r.status for r in rows] == ["dead", "dead"]
    assert all("not a public address" in (r.last_error or "") for r in rows)
    assert receiver.attempts == 0


async def test_delivery_connects_to_the_checked_address_with_the_receivers_name(engine: Engine) -> None:
    receiver = WebhookReceiver()
    with serving(receiver.build()) as url:
        port = url.rsplit(":", 1)[1]
        _event(engine, _hook(engine, f"http://localhost:{port}/hook", "by name"), "b")
        async with httpx.AsyncClient(timeout=5) as client:
            dispatcher = Dispatcher(
                engine,
                telegram_token=None,
                telegram_base_url="http://unused/bot",
                client=client,
                allow_loopback_webhooks=True,
            )
            await dispatcher.run_once()
            await asyncio.wait_for(asyncio.gather(*dispatcher.in_flight), 10)
    assert [r.status for r in _rows(engine)] == ["sent"]
    assert receiver.received[0].headers["host"] == f"localhost:{port}"


@contextmanager
def trickling_server(seconds: float = 30.0) -> Iterator[tuple[str, threading.Event]]:
    """An HTTP server on loopback that answers one header byte every 0.2 s (for at most
    `seconds`): each read is quick, so only a total deadline cuts it off."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.1)
    stop = threading.Event()
    connected = threading.Event()

    def trickle(conn: socket.socket) -> None:
        with conn, suppress(OSError):
            conn.recv(65536)
            connected.set()
            conn.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            end = time.monotonic() + seconds
            while not stop.is_set() and time.monotonic() < end:
                conn.sendall(b"z")
                stop.wait(0.2)

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            threading.Thread(target=trickle, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}", connected
    finally:
        stop.set()
        thread.join(5)
        server.close()


async def test_a_slow_receiver_delays_neither_other_receivers_nor_telegram(engine: Engine) -> None:
    fast = WebhookReceiver()
    bot = FakeBotApi()
    deadline = 4.0  # the trickle lasts 30 s: far longer
    with (
        trickling_server() as (slow_url, connected),
        serving(fast.build()) as fast_url,
        serving(bot.app) as bot_url,
    ):
        slow_account = _hook(engine, f"{slow_url}/hook", "slow agency")
        fast_account = _hook(engine, f"{fast_url}/hook", "fast agency")
        _event(engine, slow_account, "slow")
        async with httpx.AsyncClient(timeout=15) as client:
            dispatcher = Dispatcher(
                engine,
                telegram_token="123:ABC",
                telegram_base_url=f"{bot_url}/bot",
                client=client,
                webhook_deadline_seconds=deadline,
                allow_loopback_webhooks=True,
            )
            stop = asyncio.Event()

            async def worker_loop() -> None:  # as api/jobs/worker.py runs it
                while not stop.is_set():
                    if not await dispatcher.run_once():
                        await asyncio.sleep(0.05)

            loop_task = asyncio.create_task(worker_loop())
            try:
                assert await asyncio.to_thread(connected.wait, 10)  # the slow delivery is under way
                _event(engine, fast_account, "fast")
                with Session(engine) as session:
                    store.telegram_message(
                        session, chat_id="5001", text="tin", dedupe_key="t", purpose="test"
                    )
                    session.commit()
                started = time.monotonic()
                while not (fast.received and bot.sent()) and time.monotonic() - started < 10:
                    await asyncio.sleep(0.02)
                waited = time.monotonic() - started
                assert fast.received and bot.sent()
                assert waited < deadline - 1, f"the others waited {waited:.1f} s behind a slow receiver"

                # The slow receiver is cut off at its deadline, and its row will be retried.
                while time.monotonic() - started < deadline + 5:
                    slow_row = next(r for r in _rows(engine) if r.dedupe_key.startswith("slow"))
                    if slow_row.attempts:
                        break
                    await asyncio.sleep(0.05)
                assert slow_row.status == "pending" and slow_row.attempts == 1
                assert (slow_row.last_error or "").startswith("deadline")
            finally:
                stop.set()
                await loop_task
                await dispatcher.aclose()
