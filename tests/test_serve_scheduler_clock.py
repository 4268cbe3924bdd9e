"""`serve`'s scheduler reads the clock it is given: `BUOCMOI_CLOCK` fixes the moment it acts at (a
rehearsal of a given day, and tests), `BUOCMOI_SCHEDULER=off` turns it off. The test suite turns it
off everywhere (tests/conftest.py) so that no test sees reminders of the real day unless it asks."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
from sqlmodel import Session, func, select

from api import migrate
from api.core.config import ApiSettings
from api.core.db import make_engine
from api.models import ReminderSent
from api.roles import Role
from api.services import accounts
from bot.config import BotSettings
from buocmoi.composition import build_app
from tests.fakes.bot_api import FakeBotApi
from tests.harness import COMMUNE_A, lead_body
from tests.servers import serving

OFFICER = "5001"


def _accounts(database_url: str) -> str:
    """A linked commune officer, and an intake token to post a referral with."""
    migrate.upgrade(database_url)
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            officer, _ = accounts.create_account(
                session, name="CA phường Mỹ Xuyên", role=Role.COMMUNE_POLICE, communes=[COMMUNE_A]
            )
            officer.telegram_chat_id = OFFICER
            session.add(officer)
            session.commit()
            _, token = accounts.create_account(session, name="intake", role=Role.INTAKE)
    finally:
        engine.dispose()
    return token


def _wait_for(check: Callable[[], Any], timeout: float = 20.0) -> Any:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        found = check()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def _settings(database_url: str, fake_url: str, **extra: Any) -> ApiSettings:
    return ApiSettings(
        DATABASE_URL=database_url,
        TELEGRAM_BOT_TOKEN="123:ABC",
        TELEGRAM_API_BASE_URL=f"{fake_url}/bot",
        **extra,
    )


def test_serve_sends_the_reminders_of_the_moment_it_is_given(database_url: str) -> None:
    _accounts(database_url)
    fake = FakeBotApi()
    with serving(fake.app) as fake_url:
        # Friday 5 March 2027, 09:00 in Vietnam: the monthly list is due that day.
        settings = _settings(
            database_url, fake_url, BUOCMOI_SCHEDULER="on", BUOCMOI_CLOCK="2027-03-05T09:00:00+07:00"
        )
        with serving(build_app(settings, BotSettings(TELEGRAM_BOT_TOKEN=""))):
            [message] = _wait_for(lambda: fake.sent(chat_id=OFFICER))
    assert "05/03/2027" in message["text"] and "2027-03" in message["text"]
    assert message["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "rm|monthly_list|2027-03|done"


def test_the_suite_runs_serve_without_the_scheduler(database_url: str) -> None:
    token = _accounts(database_url)
    fake = FakeBotApi()
    with serving(fake.app) as fake_url:
        # The environment of this test run (conftest) says no scheduler; a due moment changes nothing.
        settings = _settings(database_url, fake_url, BUOCMOI_CLOCK="2027-03-05T09:00:00+07:00")
        with serving(build_app(settings, BotSettings(TELEGRAM_BOT_TOKEN=""))) as url:
            with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}) as client:
                assert client.post("/api/v1/leads", json=lead_body("k-clock")).status_code == 201
            # The background loop ran (the officer heard of the referral) and queued no reminder.
            [message] = _wait_for(lambda: fake.sent(chat_id=OFFICER))
    assert "Đề nghị mới" in message["text"]
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            assert session.exec(select(func.count()).select_from(ReminderSent)).one() == 0
    finally:
        engine.dispose()
