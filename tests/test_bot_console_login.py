"""`/dangnhap` in an officer's linked chat: the API sends a one-time console sign-in link into that
chat (the bot never holds it) and the bot says so (vi/en/km); an unlinked chat is told how to link
first."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from api.models import OutboxMessage
from api.roles import Role
from tests.bot_harness import bot_world
from tests.harness import COMMUNE_A


@pytest.mark.parametrize(
    ("lang", "words"), [("vi", "dùng được một lần"), ("en", "works once"), ("km", "ប្រើបានតែម្តង")]
)
async def test_linked_officer_gets_a_sign_in_link(database_url: str, lang: str, words: str) -> None:
    async with bot_world(database_url) as world:
        account = world.account(Role.COMMUNE_POLICE, COMMUNE_A, name="CA phường Mỹ Xuyên")
        officer = world.person("5001", lang_hint=lang)
        await officer.say(f"/canbo {world.link_code(account)}")
        await officer.say("/dangnhap")
        assert words in officer.text and "/console/login/" not in officer.text
        with Session(world.engine) as session:
            sent = session.exec(select(OutboxMessage).where(OutboxMessage.purpose == "login_link")).all()
        assert [m.target for m in sent] == ["5001"]
        text = sent[0].payload["params"]["text"]
        assert words in text and "/console/login/" in text


async def test_unlinked_chat_is_told_to_link_first(database_url: str) -> None:
    async with bot_world(database_url) as world:
        stranger = world.person("5002")
        await stranger.say("/dangnhap")
        assert "/canbo" in stranger.text and "/console/login/" not in stranger.text
