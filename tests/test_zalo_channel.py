"""Zalo through a real `buocmoi serve` and a local fake Zalo Bot API: the webhook (both update shapes,
the secret, duplicates), a whole referral with numbered choices, an officer linking a Zalo chat and
working a referral notice the outbox sent there, long texts split, and getUpdates polling."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import ValidationError
from sqlmodel import Session

from api import migrate
from api.core.db import make_engine
from api.roles import Role
from api.services import accounts
from bot.channels.zalo_settings import ZaloSettings
from content.discreet import forbidden_words_in
from tests.fakes.zalo_api import FakeZaloApi, text_update
from tests.harness import COMMUNE_A
from tests.servers import free_port, serving, start_serve, wait_healthy
from tests.test_chat_cli import SCRIPT

TOKEN = "1234567890:zalo-test-token"
SECRET = "zalo-secret-0123456789"
HEADER = "X-Bot-Api-Secret-Token"

# The same conversation as `buocmoi chat` takes: numbers press choices.


def wait_until(check: Callable[[], Any], timeout: float = 20) -> Any:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        found = check()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError("nothing arrived in time")


@dataclass
class Served:
    url: str
    fake: FakeZaloApi
    database_url: str
    ids: Iterator[int]

    def post(self, payload: object, secret: str | None = SECRET) -> httpx.Response:
        headers = {HEADER: secret} if secret is not None else {}
        return httpx.post(f"{self.url}/zalo", json=payload, headers=headers, timeout=10)

    def say(self, chat: str, text: str, *, wrapped: bool = True) -> str:
        """Post a text as the platform would and wait for the answer; returns the new texts."""
        before = len(self.fake.sent(chat))
        answer = self.post(text_update(chat, text, f"msg-{next(self.ids)}", wrapped=wrapped))
        assert answer.status_code == 200, answer.text
        # The answer is complete when no more messages arrive for a moment.
        wait_until(lambda: len(self.fake.sent(chat)) > before)
        count = -1
        while count != len(self.fake.sent(chat)):
            count = len(self.fake.sent(chat))
            time.sleep(0.3)
        return "\n".join(self.fake.sent(chat)[before:])


def _serve(tmp: Path, fake_url: str, port: int, **env: str) -> subprocess.Popen[bytes]:
    return start_serve(
        {
            "DATABASE_URL": f"sqlite:///{tmp}/zalo.db",
            "BUOCMOI_PORT": str(port),
            "BUOCMOI_SCHEDULER": "false",
            "ZALO_BOT_TOKEN": TOKEN,
            "ZALO_API_BASE_URL": fake_url,
            **env,
        },
        tmp,
    )


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    tmp = tmp_path_factory.mktemp("zalo")
    database_url = f"sqlite:///{tmp}/zalo.db"
    migrate.upgrade(database_url)
    fake = FakeZaloApi()
    port = free_port()
    with serving(fake.app) as fake_url:
        server = _serve(
            tmp,
            fake_url,
            port,
            ZALO_WEBHOOK_URL="https://buocmoi.example.vn/zalo",
            ZALO_WEBHOOK_SECRET=SECRET,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            wait_healthy(url, timeout=180)
            wait_until(lambda: fake.webhook)
            yield Served(url, fake, database_url, iter(range(1, 1_000_000)))
        finally:
            server.terminate()
            server.wait(timeout=20)


def test_the_webhook_is_registered_with_the_secret(served: Served) -> None:
    assert served.fake.webhook == {"url": "https://buocmoi.example.vn/zalo", "secret_token": SECRET}


def test_a_text_is_answered_in_either_shape(served: Served) -> None:
    assert "Chọn ngôn ngữ" in served.say("chat-wrapped", "/start")
    assert "Chọn ngôn ngữ" in served.say("chat-top-level", "/start", wrapped=False)
    # The choices are numbered lines, the answer a number.
    assert "1. 🇻🇳 Tiếng Việt" in served.fake.sent("chat-top-level")[-1]


def test_a_post_without_the_right_secret_is_refused(served: Served) -> None:
    update = text_update("chat-intruder", "/start", "msg-intruder")
    assert served.post(update, secret=None).status_code == 403
    assert served.post(update, secret="wrong-secret-000000").status_code == 403
    assert served.post(update, secret=SECRET + "x").status_code == 403
    time.sleep(0.5)
    assert served.fake.sent("chat-intruder") == []


def test_bad_bodies_get_a_clear_4xx(served: Served) -> None:
    headers = {HEADER: SECRET, "Content-Type": "application/json"}
    assert httpx.post(f"{served.url}/zalo", content=b"{not json", headers=headers).status_code == 400
    assert httpx.post(f"{served.url}/zalo", json={"hello": 1}, headers=headers).status_code == 400
    assert httpx.post(f"{served.url}/zalo", json=[1, 2], headers=headers).status_code == 400


def test_a_message_id_seen_twice_is_handled_once(served: Served) -> None:
    update = text_update("chat-dup", "/start", "msg-dup-1")
    assert served.post(update).status_code == 200
    assert served.post(update).status_code == 200  # the platform retried
    assert served.post(text_update("chat-dup", "/start", "msg-dup-1", wrapped=False)).status_code == 200
    wait_until(lambda: served.fake.sent("chat-dup"))
    time.sleep(1.0)
    assert len(served.fake.sent("chat-dup")) == 1


def test_a_whole_referral_reaches_the_commune_police(served: Served) -> None:
    engine = make_engine(served.database_url)
    try:
        with Session(engine) as session:
            _, police_token = accounts.create_account(
                session, name="CA phường Mỹ Xuyên", role=Role.COMMUNE_POLICE, communes=[COMMUNE_A]
            )
    finally:
        engine.dispose()
    answers = [served.say("person-1", line) for line in SCRIPT]
    assert "Căn cứ" in answers[2]
    assert "Có khả năng đủ điều kiện" in answers[11]
    assert "Bạn có đồng ý không?" in answers[12]
    assert "Phường Mỹ Xuyên" in answers[16]
    assert "Mã hồ sơ của bạn: BM-" in answers[17]
    reference = answers[17].split("Mã hồ sơ của bạn: ", 1)[1].split()[0].rstrip(".")
    leads = httpx.get(
        f"{served.url}/api/v1/leads", headers={"Authorization": f"Bearer {police_token}"}, timeout=10
    ).json()
    items = leads["data"]
    mine = [lead for lead in items if lead["reference"] == reference]
    assert mine and mine[0]["commune_code"] == COMMUNE_A
    assert all(len(text) <= 2000 for text in served.fake.sent("person-1"))


def test_an_officer_links_a_zalo_chat_and_works_a_referral_notice(served: Served) -> None:
    engine = make_engine(served.database_url)
    try:
        with Session(engine) as session:
            officer, officer_token = accounts.create_account(
                session, name="CA phường Mỹ Xuyên 2", role=Role.COMMUNE_POLICE, communes=[COMMUNE_A]
            )
            code = accounts.issue_link_code(session, officer)
    finally:
        engine.dispose()
    linked = served.say("officer-1", f"/canbo {code}")
    assert "Đã liên kết" in linked
    # A person in the officer's commune sends a referral; the notice comes through the outbox.
    for line in SCRIPT:
        served.say("person-2", line)
    notice = wait_until(
        lambda: [t for t in served.fake.sent("officer-1") if "BM-" in t and "1. " in t], timeout=30
    )[-1]
    lines = notice.splitlines()
    received = next(line for line in lines if "Đã tiếp nhận" in line)
    number = received.split(".", 1)[0]
    answer = served.say("officer-1", number)
    assert "Đã tiếp nhận" in answer
    leads = httpx.get(
        f"{served.url}/api/v1/leads", headers={"Authorization": f"Bearer {officer_token}"}, timeout=10
    ).json()
    items = leads["data"]
    assert any(lead["status"] == "received" for lead in items)
    # The person hears it in their Zalo chat, discreetly, through the outbox.
    update = wait_until(
        lambda: [t for t in served.fake.sent("person-2") if "đã được cán bộ xã/phường tiếp nhận" in t]
    )[-1]
    assert not forbidden_words_in(update)


def test_a_long_text_is_split_under_the_limit(served: Served) -> None:
    served.say("chat-long", "/start")
    served.say("chat-long", "1")
    long_question = "vay vốn " * 400  # 3200 characters, answered by the FAQ or the menu
    served.say("chat-long", long_question)
    assert all(0 < len(text) <= 2000 for text in served.fake.sent("chat-long"))


def test_zalo_settings_are_checked() -> None:
    with pytest.raises(ValidationError):
        ZaloSettings(ZALO_WEBHOOK_SECRET="short")
    with pytest.raises(ValidationError):
        ZaloSettings(ZALO_API_BASE_URL="ftp://x")
    settings = ZaloSettings(ZALO_BOT_TOKEN=" ", ZALO_API_BASE_URL="")
    assert settings.token is None and settings.zalo_api_base_url.startswith("https://")


def test_serve_refuses_a_bad_zalo_secret(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "buocmoi", "serve"],
        env={**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/x.db", "ZALO_WEBHOOK_SECRET": "short"},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and "ZALO_WEBHOOK_SECRET" in done.stderr


def test_polling_mode_answers_through_get_updates(tmp_path: Path) -> None:
    migrate.upgrade(f"sqlite:///{tmp_path}/zalo.db")
    fake = FakeZaloApi()
    port = free_port()
    with serving(fake.app) as fake_url:
        server = _serve(tmp_path, fake_url, port)
        try:
            wait_healthy(f"http://127.0.0.1:{port}", timeout=180)
            wait_until(lambda: fake.calls_of("getUpdates"))
            assert fake.calls_of("deleteWebhook") and not fake.calls_of("setWebhook")
            fake.push_update(text_update("poller", "/start", "p-1"))
            wait_until(lambda: fake.sent("poller"))
            assert "Chọn ngôn ngữ" in fake.sent("poller")[0]
            fake.push_update(text_update("poller", "1", "p-2", wrapped=False))
            fake.push_update(text_update("poller", "1", "p-2", wrapped=False))  # fetched twice
            wait_until(lambda: len(fake.sent("poller")) >= 2)
            time.sleep(1.0)
            assert len(fake.sent("poller")) == 2
            # No webhook route without ZALO_WEBHOOK_URL.
            answer = httpx.post(f"http://127.0.0.1:{port}/zalo", json={}, headers={HEADER: "x"})
            assert answer.status_code in (404, 405)
        finally:
            server.terminate()
            server.wait(timeout=20)
