"""A declined referral names its actual reason: in the officer's chat, and in the discreet status
update the person gets on their own, which also says what would change the result (the reason's
`remedy` in content/data/leads.yaml), in the person's language (vi, en, km) and without the words a
locked phone's preview must never show. End to end: real python-telegram-bot inside the `serve`
app against the fake Bot API, a real database, the outbox delivering."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session

from api.core.db import make_engine
from api.roles import Role
from api.services import accounts
from buocmoi.intake import intake_token
from content.catalog import get_content
from content.discreet import forbidden_words_in
from tests.fakes.bot_api import FakeBotApi
from tests.harness import COMMUNE_A, lead_body
from tests.servers import serving
from tests.telegram_harness import TgUser, serving_bot

OFFICER = 5201
GENERIC_DECLINE = ("Không đủ điều kiện", "Does not meet the conditions")


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


def _accounts(database_url: str) -> str:
    """Links the commune officer's chat; returns the bot's intake token to refer people with."""
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            officer, _ = accounts.create_account(
                session, name="CA phường Mỹ Xuyên", role=Role.COMMUNE_POLICE, communes=[COMMUNE_A]
            )
            officer.telegram_chat_id = str(OFFICER)
            session.add(officer)
            session.commit()
        # The built-in bot's own token (var/intake.token): the person's leads are the bot's.
        return intake_token(engine)
    finally:
        engine.dispose()


def _refer(url: str, intake: str, person: int, lang: str) -> dict[str, str]:
    body = lead_body(f"decline-{person}", channel_user=str(person), lang=lang)
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {intake}"}, timeout=10) as http:
        response = http.post("/api/v1/leads", json=body)
    assert response.status_code == 201, response.text
    lead: dict[str, str] = response.json()
    return lead


def _decline(fake: FakeBotApi, lead: dict[str, str], reason_label: str) -> TgUser:
    """The officer declines the lead from its new-lead message, choosing `reason_label`."""
    officer = TgUser(fake, OFFICER)
    _wait_for(lambda: any(lead["reference"] in str(m.get("text")) for m in officer.messages()))
    officer.last = [m for m in officer.messages() if lead["reference"] in str(m.get("text"))]
    (decline,) = [b for b in officer.buttons() if b["callback_data"] == f"ld|{lead['id']}|declined"]
    assert not any(words in decline["text"] for words in GENERIC_DECLINE), decline["text"]
    officer.press_data(decline["callback_data"])
    officer.press(reason_label)
    return officer


def _update_to(fake: FakeBotApi, person: int, reference: str) -> str:
    person_chat = TgUser(fake, person)
    _wait_for(lambda: any(reference in str(m.get("text")) for m in person_chat.messages()))
    (update,) = [str(m["text"]) for m in person_chat.messages() if reference in str(m.get("text"))]
    return update


def test_the_officer_and_the_person_see_the_actual_reason_and_the_person_the_remedy(
    database_url: str,
) -> None:
    fake = FakeBotApi()
    reasons = {r.id: r for r in get_content().leads.decline_reasons}
    cases = [  # person, language, reason
        (1201, "vi", "unreachable"),
        (1202, "en", "not_resident"),
        (1203, "km", "no_longer_needed"),
    ]
    with serving(fake.app) as fake_url, serving_bot(database_url, fake_url) as url:
        intake = _accounts(database_url)
        for person, lang, reason_id in cases:
            reason = reasons[reason_id]
            lead = _refer(url, intake, person, lang)
            officer = _decline(fake, lead, reason.label.vi)

            # The officer's chat names the reason chosen, not a generic "not eligible".
            assert lead["reference"] in officer.text
            assert reason.label.vi in officer.text, officer.text
            assert not any(words in officer.text for words in GENERIC_DECLINE), officer.text

            # The person's update, in their language: the reason and what would change it.
            update = _update_to(fake, person, lead["reference"])
            assert reason.person.get(lang) in update, update
            assert reason.remedy.get(lang) in update, update
            assert not any(words in update for words in GENERIC_DECLINE), update
            assert forbidden_words_in(update) == [], update


def test_the_person_opening_the_bot_sees_the_reason_and_the_remedy(database_url: str) -> None:
    fake = FakeBotApi()
    reason = {r.id: r for r in get_content().leads.decline_reasons}["unreachable"]
    person_id = 1301
    with serving(fake.app) as fake_url, serving_bot(database_url, fake_url) as url:
        intake = _accounts(database_url)
        lead = _refer(url, intake, person_id, "vi")
        _decline(fake, lead, reason.label.vi)
        _update_to(fake, person_id, lead["reference"])
        person = TgUser(fake, person_id)
        person.say("/dulieu")
        assert lead["reference"] in person.text
        assert reason.person.vi in person.text, person.text
        assert reason.remedy.vi in person.text, person.text
        assert not any(words in person.text for words in GENERIC_DECLINE), person.text
