"""F15: guessing link codes is throttled per chat, per calling account and overall, counted in the
database so every API process sees the same attempts; the bot says so in plain words."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from api.roles import Role
from api.services import link_throttle
from tests.bot_harness import bot_world
from tests.harness import COMMUNE_A, Api, running_api
from tests.security_helpers import account_id

LINK = "/api/v1/telegram/link"


def _code(api: Api, token: str) -> str:
    admin = api.account(Role.ADMIN)
    with api.client(admin) as client:
        code: str = client.post(f"/api/v1/accounts/{account_id(api, token)}/link-code").json()["code"]
    return code


def test_wrong_guesses_from_one_chat_are_throttled_in_every_process(database_url: str) -> None:
    with running_api(database_url) as api, running_api(database_url) as other_process:
        intake = api.account(Role.INTAKE)
        officer = api.account(Role.COMMUNE_POLICE, COMMUNE_A)
        code = _code(api, officer)
        with api.client(intake) as bot:
            for n in range(link_throttle.PER_CHAT):
                guess = bot.post(LINK, json={"code": f"WRONG{n:03d}", "chat_id": "42"})
                assert guess.status_code == 404, guess.text
        with api.client(intake) as bot, other_process.client(intake) as elsewhere:
            for client in (bot, elsewhere):
                refused = client.post(LINK, json={"code": code, "chat_id": "42"})  # even the right code
                assert refused.status_code == 429, refused.text
                assert int(refused.headers["Retry-After"]) > 0
            # Another chat is not held back by this one's guesses.
            assert elsewhere.post(LINK, json={"code": code, "chat_id": "43"}).status_code == 200


def test_guesses_spread_over_many_chats_are_throttled_per_account_and_overall(api: Api) -> None:
    first, second = api.account(Role.INTAKE), api.account(Role.INTAKE)
    guesses = 0

    def guess(token: str) -> int:
        nonlocal guesses
        guesses += 1
        with api.client(token) as bot:
            return bot.post(
                LINK, json={"code": f"WRONG{guesses:04d}", "chat_id": str(1000 + guesses)}
            ).status_code

    assert {guess(first) for _ in range(link_throttle.PER_ACCOUNT)} == {404}
    assert guess(first) == 429
    left = link_throttle.OVERALL - link_throttle.PER_ACCOUNT
    assert {guess(second) for _ in range(left)} == {404}
    assert guess(second) == 429  # nobody may guess any more in this window


def test_old_attempts_no_longer_count(api: Api) -> None:
    start = datetime(2026, 11, 3, 2, 0, tzinfo=UTC)
    with Session(api.engine) as session:
        for _ in range(link_throttle.PER_CHAT):
            assert link_throttle.attempt(session, account_id=1, chat_id="42", now=start).wait_seconds == 0
        refused = link_throttle.attempt(session, account_id=1, chat_id="42", now=start + timedelta(minutes=1))
        assert refused.wait_seconds == (link_throttle.WINDOW - timedelta(minutes=1)).total_seconds()
        later = start + link_throttle.WINDOW + timedelta(seconds=1)
        assert link_throttle.attempt(session, account_id=1, chat_id="42", now=later).wait_seconds == 0


async def test_the_bot_says_to_wait_after_too_many_wrong_codes(database_url: str) -> None:
    async with bot_world(database_url) as world:
        officer = world.person("5001")
        for n in range(link_throttle.PER_CHAT):
            await officer.say(f"/canbo WRONG{n:03d}")
            assert "không đúng hoặc đã hết hạn" in officer.text
        await officer.say("/canbo WRONG999")
        assert "quá nhiều lần" in officer.text and "15 phút" in officer.text
        english = world.person("5002", lang_hint="en")
        for n in range(link_throttle.PER_CHAT + 1):
            await english.say(f"/canbo WRONG{n:03d}")
        assert "too many" in english.text.lower()
