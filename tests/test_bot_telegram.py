"""End to end: real python-telegram-bot (long polling, or webhook) inside the `serve` app, against
the local fake Bot API over HTTP, on a real database (SQLite, or PostgreSQL when DATABASE_URL says).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session, select

from api.core.config import ApiSettings
from api.core.db import make_engine
from api.models import Lead
from api.roles import Role
from api.services import accounts
from bot.config import BotSettings
from buocmoi.composition import build_app
from content.discreet import forbidden_words_in
from tests.fakes.bot_api import FakeBotApi
from tests.harness import COMMUNE_A
from tests.servers import free_port, serving
from tests.telegram_harness import JUNK, TOKEN, TgUser, callback, message, serving_bot

PERSON, OTHER, OFFICER = 1001, 1002, 5001


@pytest.fixture(autouse=True)
def _workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # `serve` keeps the built-in bot's API token in var/intake.token under the working directory.
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def fake() -> FakeBotApi:
    return FakeBotApi()


def _officer(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            account, _ = accounts.create_account(
                session, name="CA phường Mỹ Xuyên", role=Role.COMMUNE_POLICE, communes=[COMMUNE_A]
            )
            account.telegram_chat_id = str(OFFICER)
            session.add(account)
            session.commit()
    finally:
        engine.dispose()


def _wait_for(check: Callable[[], object], timeout: float = 20.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def to_question_three(person: TgUser) -> None:
    person.say("/start")
    person.press("Tiếng Việt")
    person.press("Kiểm tra điều kiện")
    person.press("Tôi")
    person.press("chấp hành xong")
    assert "3." in person.text and "giấy chứng nhận" in person.text


def test_the_whole_flow_from_question_to_referral_to_officer(database_url: str, fake: FakeBotApi) -> None:
    with serving(fake.app) as fake_url, serving_bot(database_url, fake_url):
        _officer(database_url)
        person = TgUser(fake, PERSON)
        person.say("/start")
        assert [b["callback_data"] for b in person.buttons()] == ["v1|lang|vi", "v1|lang|km", "v1|lang|en"]
        person.press("Tiếng Việt")
        assert "Quyết định 22/2023/QĐ-TTg" in person.text
        person.say("vay được bao nhiêu tiền")
        assert "100 triệu" in person.text
        person.press("Menu")
        person.press("Kiểm tra điều kiện")
        person.press("Tôi")
        person.press("chấp hành xong")
        person.say("co")
        person.say("thang 3 nam 2024")
        person.press("Sản xuất")
        person.say("50tr")
        person.press("Không")
        assert "Có khả năng đủ điều kiện" in person.text
        person.press("Gửi yêu cầu")
        person.press("Đồng ý gửi")
        person.say("Nguyễn Văn An")
        contact_prompt = person.last[-1]["reply_markup"]
        assert contact_prompt["keyboard"][0][0]["request_contact"] is True
        person.send(contact={"phone_number": "+84912345678", "first_name": "An", "user_id": PERSON})
        assert person.last[0]["reply_markup"] == {"remove_keyboard": True}
        person.say("xa Dai Tam, huyen My Xuyen")  # an old address, no diacritics
        assert "Phường Mỹ Xuyên" in person.text
        person.press("Gửi yêu cầu")
        assert "Mã hồ sơ" in person.text

        engine = make_engine(database_url)
        try:
            with Session(engine) as session:
                (lead,) = session.exec(select(Lead)).all()
        finally:
            engine.dispose()
        assert lead.reference in person.text
        assert (lead.contact_phone, lead.commune_code, lead.channel_user) == ("0912345678", COMMUNE_A, "1001")
        assert lead.consent_text_version.startswith("tg-consent-2026-12-v3/vi/")

        # The API's outbox tells the linked officer, who works the lead with the message's buttons.
        officer = TgUser(fake, OFFICER)
        _wait_for(lambda: officer.messages())
        officer.last = officer.messages()
        assert lead.reference in officer.text and "Nguyễn Văn An" not in officer.text
        officer.press("Xem hồ sơ")
        assert "Nguyễn Văn An" in officer.text and "0912345678" in officer.text
        officer.press("Đã tiếp nhận")
        assert "Đã tiếp nhận" in officer.text
        # The person hears about it on their own: discreetly.
        _wait_for(lambda: len(person.messages()) > 0 and "tiếp nhận" in person.messages()[-1]["text"])
        update = person.messages()[-1]["text"]
        assert lead.reference in update and forbidden_words_in(update) == []

        # The command menu in each language, and every button press answered.
        menus = fake.sent("setMyCommands")
        assert {m.get("language_code") for m in menus} == {None, "vi", "km", "en"}
        assert len(fake.sent("answerCallbackQuery")) >= 10


def test_a_restart_in_the_middle_of_screening_continues_at_the_same_question(
    database_url: str, fake: FakeBotApi
) -> None:
    person = TgUser(fake, PERSON)
    with serving(fake.app) as fake_url:
        with serving_bot(database_url, fake_url):
            to_question_three(person)
        # Stopped. A message sent meanwhile waits at Telegram; a new process picks it up.
        before = person.push(message(PERSON, text="có rồi"))
        with serving_bot(database_url, fake_url):
            person.wait(before)
            assert "4." in person.text and "ngày" in person.text  # the release date, question 4
            person.press("2024")
            person.press("Tháng 3")
            assert "5." in person.text


def test_two_people_at_once(database_url: str, fake: FakeBotApi) -> None:
    with serving(fake.app) as fake_url, serving_bot(database_url, fake_url):
        first, second = TgUser(fake, PERSON), TgUser(fake, OTHER, lang="en")
        for step in ("/start",):
            one, two = first.push(message(PERSON, text=step)), second.push(message(OTHER, "en", text=step))
            first.wait(one), second.wait(two)
        one = first.push(callback(PERSON, "v1|lang|vi"))
        two = second.push(callback(OTHER, "v1|lang|en", "en"))
        first.wait(one), second.wait(two)
        for data_one, data_two in [
            ("v1|m|check", "v1|m|check"),
            ("v1|a|applicant|person", "v1|a|applicant|business"),
        ]:
            one = first.push(callback(PERSON, data_one))
            two = second.push(callback(OTHER, data_two, "en"))
            first.wait(one), second.wait(two)
        assert "trường hợp nào" in first.text
        assert "What kind of business" in second.text
        # Many quick messages from both, interleaved: each conversation stays in order.
        threads = [
            threading.Thread(target=lambda: first.push(message(PERSON, text="1"))),
            threading.Thread(target=lambda: second.push(message(OTHER, "en", text="4"))),
        ]
        before_one, before_two = len(first.messages()), len(second.messages())
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        first.wait(before_one), second.wait(before_two)
        assert "giấy chứng nhận" in first.text
        assert "lawfully" in second.text


def test_junk_input_gets_helpful_answers_and_breaks_nothing(database_url: str, fake: FakeBotApi) -> None:
    with serving(fake.app) as fake_url, serving_bot(database_url, fake_url):
        person = TgUser(fake, PERSON)
        to_question_three(person)
        for kind, fields in JUNK.items():
            person.send(**fields)
            assert "chỉ đọc được chữ" in person.text, kind
            assert "giấy chứng nhận" in person.text, kind  # and the question again
        for text in ["a" * 4000, "😀🙏🏽👍", "ខ្ញុំចង់ខ្ចីប្រាក់", "<b>x</b> & %s {0} \\n"]:
            person.say(text)
            assert all(len(str(p["text"])) <= 4096 for p in person.last)
        for data in ["old-button-from-2024", "v0|a|release_status|completed", "v1|a|nope|x", "ld|zzz|view"]:
            person.press_data(data)
            assert "tin nhắn cũ" in person.text, data
        # Updates the bot ignores: an edited message, a group chat, another bot.
        ignored_before = len(fake.sent())
        fake.push_update({"edited_message": message(PERSON, text="sửa")["message"] | {"edit_date": 1}})
        group = message(PERSON, text="/start")
        group["message"]["chat"] = {"id": -100123, "type": "group", "title": "Nhóm"}
        fake.push_update(group)
        person.say("có rồi")  # still at question 3: the answer moves on to question 4
        assert "4." in person.text
        assert len(fake.sent()) - ignored_before == len(person.last)


def test_webhook_checks_the_secret_token(database_url: str, fake: FakeBotApi) -> None:
    with (
        serving(fake.app) as fake_url,
        serving_bot(
            database_url,
            fake_url,
            TELEGRAM_WEBHOOK_URL="https://bot.example.org/telegram",
            TELEGRAM_WEBHOOK_SECRET="s3cret-token_1",
        ) as url,
    ):
        _wait_for(lambda: fake.sent("setWebhook"))
        (hook,) = fake.sent("setWebhook")
        assert hook["url"] == "https://bot.example.org/telegram"
        assert hook["secret_token"] == "s3cret-token_1"
        assert not fake.sent("getUpdates")  # no polling in webhook mode
        update = {"update_id": 77, **message(PERSON, text="/start")}
        person = TgUser(fake, PERSON)
        with httpx.Client(base_url=url, timeout=10) as client:
            assert client.post("/telegram", json=update).status_code == 403
            wrong = {"X-Telegram-Bot-Api-Secret-Token": "nope"}
            assert client.post("/telegram", json=update, headers=wrong).status_code == 403
            right = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-token_1"}
            assert client.post("/telegram", content=b"not json", headers=right).status_code == 400
            odd = {"update_id": 5, "message": "not a message"}
            assert client.post("/telegram", json=odd, headers=right).status_code == 400
            started = client.post("/telegram", json=update, headers=right)
            assert (started.status_code, started.content) == (200, b"")
            assert "/telegram" not in client.get("/openapi.json").json()["paths"]
            person.wait(0)
            assert next(b["callback_data"] for b in person.buttons()) == "v1|lang|vi"
            # A press is acknowledged in the answer to Telegram's call, not by a request of its own.
            press = {"update_id": 78, **callback(PERSON, "v1|lang|vi")}
            before = len(person.messages())
            pressed = client.post("/telegram", json=press, headers=right)
            assert pressed.status_code == 200
            assert pressed.json() == {
                "method": "answerCallbackQuery",
                "callback_query_id": press["callback_query"]["id"],
            }
            person.wait(before)
            assert "Quyết định 22/2023/QĐ-TTg" in person.text
        assert not fake.sent("answerCallbackQuery")


def test_the_api_serves_while_telegram_cannot_be_reached(database_url: str) -> None:
    with serving_bot(database_url, f"http://127.0.0.1:{free_port()}") as url:
        assert httpx.get(f"{url}/healthz", timeout=10).status_code == 200


def test_serve_without_a_token_says_so(caplog: pytest.LogCaptureFixture, database_url: str) -> None:
    with caplog.at_level("INFO"):
        app = build_app(ApiSettings(DATABASE_URL=database_url), BotSettings(TELEGRAM_BOT_TOKEN=""))
    assert "Telegram is off" in caplog.text and "buocmoi chat" in caplog.text
    assert "/telegram" not in {getattr(r, "path", "") for r in app.routes}
    assert TOKEN  # the e2e token is not a real one
