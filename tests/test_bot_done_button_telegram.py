"""The reminder's "✓ Đã hoàn thành" button, pressed in Telegram: real python-telegram-bot inside the
`serve` app against the fake Bot API. The first press (the API answers 201) and a repeated one
(200) both say the mark was recorded; neither says the system is busy."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import Session, select

from api.core.db import make_engine
from api.models import ObligationDone
from api.reminders.scheduler import run_reminders
from api.roles import Role
from api.services import accounts
from tests.fakes.bot_api import FakeBotApi
from tests.harness import COMMUNE_A
from tests.servers import serving
from tests.telegram_harness import TgUser, serving_bot

OFFICER = 5101
# 08:01 in Vietnam on a working day: a reminder falls due for commune police (issue 14).
REMINDER_MOMENT = datetime(2026, 12, 1, 1, 1, tzinfo=UTC)
BUSY = "hệ thống đang bận"


@pytest.fixture(autouse=True)
def _workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # `serve` keeps the bot's API token under the working directory


def _wait_for(check: Callable[[], object], timeout: float = 20.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def _done_buttons(officer: TgUser) -> list[str]:
    return [
        button["callback_data"]
        for params in officer.messages()
        for row in (params.get("reply_markup") or {}).get("inline_keyboard", [])
        for button in row
        if button.get("callback_data", "").endswith("|done")
    ]


def test_the_first_press_of_done_says_recorded_not_busy(database_url: str) -> None:
    fake = FakeBotApi()
    with serving(fake.app) as fake_url, serving_bot(database_url, fake_url):
        engine = make_engine(database_url)
        with Session(engine) as session:
            account, _ = accounts.create_account(
                session, name="CA phường Mỹ Xuyên", role=Role.COMMUNE_POLICE, communes=[COMMUNE_A]
            )
            account.telegram_chat_id = str(OFFICER)
            session.add(account)
            session.commit()
            account_id = account.id
        # Queued at a fixed moment (the app's own scheduler may have queued it already: once only).
        run_reminders(engine, now=REMINDER_MOMENT)
        officer = TgUser(fake, OFFICER)
        _wait_for(lambda: _done_buttons(officer))
        data = _done_buttons(officer)[0]
        assert "Đã hoàn thành" in str(officer.messages()), "the reminder carries the done button"

        officer.press_data(data)  # first press: the API records the mark (201)
        assert BUSY not in officer.text
        assert "Đã ghi nhận hoàn thành" in officer.text
        officer.press_data(data)  # again: the first mark stands (200)
        assert BUSY not in officer.text
        assert "Đã ghi nhận hoàn thành" in officer.text

        _, deadline_id, period, _ = data.split("|")
        with Session(engine) as session:
            marks = session.exec(select(ObligationDone)).all()
            assert [(m.deadline_id, m.period, m.account_id) for m in marks] == [
                (deadline_id, period, account_id)
            ]
        engine.dispose()
