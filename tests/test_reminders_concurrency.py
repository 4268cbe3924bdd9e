"""Exactly once with several schedulers on one PostgreSQL database: schedulers racing in threads (each
with its own engine, as separate processes would have), and two real `buocmoi serve` processes
sending through a fake Telegram Bot API."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, date, datetime
from datetime import time as dtime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
from sqlmodel import Session, func, select

from api import migrate
from api.core.db import make_engine
from api.models import Followup, OutboxMessage, ReminderSent
from api.reminders.scheduler import run_all
from api.roles import Role
from api.services import accounts
from content.communes.official import province_wards
from tests.fakes.bot_api import FakeBotApi
from tests.servers import free_port, serving

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
COMMUNES = [w.code for w in province_wards(92)]
POLICE = 40
SCHEDULERS = 4
DUE_MOMENT = datetime(2027, 3, 5, 9, 0, tzinfo=VIETNAM)  # Friday: the monthly list is due


def _accounts(database_url: str, police: int) -> list[str]:
    """Commune police accounts linked to chats 5000.., and a coordinator on chat 9001."""
    engine = make_engine(database_url)
    chats = []
    with Session(engine) as session:
        for n in range(police):
            account, _ = accounts.create_account(
                session, name=f"CA số {n}", role=Role.COMMUNE_POLICE, communes=[COMMUNES[n]]
            )
            account.telegram_chat_id = str(5000 + n)
            chats.append(account.telegram_chat_id)
            session.add(account)
        coordinator, _ = accounts.create_account(session, name="PC10", role=Role.COORDINATOR)
        coordinator.telegram_chat_id = "9001"
        session.add(coordinator)
        session.commit()
    engine.dispose()
    return chats


def test_racing_schedulers_on_postgres_queue_each_reminder_once(postgres_url: str) -> None:
    migrate.upgrade(postgres_url)
    _accounts(postgres_url, POLICE)
    setup = make_engine(postgres_url)
    with Session(setup) as session:
        for n in range(10):
            session.add(
                Followup(
                    channel="telegram",
                    channel_user=str(8000 + n),
                    kind="after_release",
                    remind_on=date(2027, 2, 1),
                    lang="vi",
                )
            )
        session.commit()
    engines = [make_engine(postgres_url) for _ in range(SCHEDULERS)]
    totals: list[int] = []
    for day in (date(2027, 2, 12), date(2027, 3, 2), date(2027, 3, 5)):
        moment = datetime.combine(day, dtime(9), tzinfo=VIETNAM).astimezone(UTC)
        barrier = threading.Barrier(SCHEDULERS)
        counts: list[int] = []
        lock = threading.Lock()

        def run(
            index: int,
            moment: datetime = moment,
            barrier: threading.Barrier = barrier,
            counts: list[int] = counts,
            lock: threading.Lock = lock,
        ) -> None:
            barrier.wait()
            queued = run_all(engines[index], moment)
            with lock:
                counts.append(queued)

        threads = [threading.Thread(target=run, args=(i,)) for i in range(SCHEDULERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        totals.append(sum(counts))
    for engine in engines:
        engine.dispose()
    with Session(setup) as session:
        rows = session.exec(select(func.count()).select_from(ReminderSent)).one()
        outbox = session.exec(select(OutboxMessage.target, OutboxMessage.dedupe_key)).all()
    setup.dispose()
    # 12 February: one escalation (February's list, due on Tết eve, was reminded on 3 February) + 10
    # follow-ups; 2 March: each officer's "3 days before"; 5 March: the due day.
    assert totals == [1 + 10, POLICE, POLICE]
    assert rows == 2 * POLICE + 1
    assert len(outbox) == rows + 10
    assert Counter(target for target, _ in outbox)["9001"] == 1
    assert len({key for _, key in outbox}) == len(outbox)


def _serve(database_url: str, port: int, bot_url: str, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "BUOCMOI_PORT": str(port),
        # The scheduler on, acting at a fixed moment: the day the monthly list is due, 09:00.
        "BUOCMOI_SCHEDULER": "on",
        "BUOCMOI_CLOCK": DUE_MOMENT.isoformat(),
        "BUOCMOI_LOG_LEVEL": "WARNING",
        "TELEGRAM_BOT_TOKEN": "123:ABC",
        "TELEGRAM_API_BASE_URL": f"{bot_url}/bot",
    }
    with log.open("wb") as errors:
        return subprocess.Popen(
            [sys.executable, "-m", "buocmoi", "serve"],
            env=env,
            cwd=log.parent,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )


def _wait_healthy(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        assert process.poll() is None, "serve exited"
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise AssertionError("serve did not come up")


def test_two_serve_processes_send_each_reminder_once(postgres_url: str, tmp_path: Path) -> None:
    today = DUE_MOMENT.date()
    migrate.upgrade(postgres_url)
    chats = _accounts(postgres_url, 10)
    fake = FakeBotApi()
    with serving(fake.app) as bot_url:
        ports = [free_port(), free_port()]
        servers = [
            _serve(postgres_url, port, bot_url, tmp_path / f"serve{n}.log") for n, port in enumerate(ports)
        ]
        try:
            for port, server in zip(ports, servers, strict=True):
                _wait_healthy(f"http://127.0.0.1:{port}", server)
            engine = make_engine(postgres_url)
            end = time.monotonic() + 60
            while time.monotonic() < end:
                with Session(engine) as session:
                    queued = session.exec(
                        select(func.count())
                        .select_from(OutboxMessage)
                        .where(OutboxMessage.kind == "telegram")
                    ).one()
                    waiting = session.exec(
                        select(func.count())
                        .select_from(OutboxMessage)
                        .where(OutboxMessage.status == "pending")
                    ).one()
                if queued >= len(chats) and waiting == 0 and len(fake.sent()) >= queued:
                    break
                time.sleep(0.1)
            time.sleep(2)  # both schedulers and dispatchers had time to send anything twice
            with Session(engine) as session:
                queued = session.exec(
                    select(func.count()).select_from(OutboxMessage).where(OutboxMessage.kind == "telegram")
                ).one()
            engine.dispose()
        finally:
            for server in servers:
                server.terminate()
            for server in servers:
                server.wait(timeout=30)
    messages = fake.sent()
    pairs = [(str(m["chat_id"]), m["text"]) for m in messages]
    assert len(pairs) == len(set(pairs)), "a reminder arrived twice"
    assert len(messages) == queued
    due_today = today.strftime("%d/%m/%Y")
    for chat in chats:
        mine = [m for m in messages if str(m["chat_id"]) == chat and due_today in str(m["text"])]
        assert len(mine) == 1, (chat, mine)
        [button] = mine[0]["reply_markup"]["inline_keyboard"][0]
        assert button["callback_data"] == f"rm|monthly_list|{today.year}-{today.month:02d}|done"
