"""Linking a chat (`/canbo CODE`) says what really arrives there for the account's role."""

from __future__ import annotations

import pytest

from api.roles import Role
from tests.bot_harness import bot_world
from tests.harness import COMMUNE_A

NEW_REFERRALS = "Khi có đề nghị mới ở xã/phường của bạn"


@pytest.mark.parametrize(
    ("role", "communes", "says"),
    [
        (Role.COMMUNE_POLICE, (COMMUNE_A,), NEW_REFERRALS),
        (Role.BANK, (COMMUNE_A,), "đưa một đề nghị vào danh sách tháng"),
        (Role.COORDINATOR, (), "không được xã/phường tiếp nhận đúng hạn"),
        (Role.AGENCY, (), "“✓ Đã hoàn thành”"),
    ],
)
async def test_linking_says_what_arrives_for_the_role(
    database_url: str, role: Role, communes: tuple[str, ...], says: str
) -> None:
    async with bot_world(database_url) as world:
        chat = world.person("5001")
        await chat.say(f"/canbo {world.link_code(world.account(role, *communes, name='Tài khoản'))}")
        assert "Đã liên kết chat này với tài khoản Tài khoản." in chat.text
        assert says in chat.text
        if role is not Role.COMMUNE_POLICE:
            assert NEW_REFERRALS not in chat.text


@pytest.mark.parametrize(
    ("lang", "says"),
    [("en", "not received by its commune in time"), ("km", "ទទួលទាន់ពេល")],
)
async def test_the_coordinators_linking_message_in_english_and_khmer(
    database_url: str, lang: str, says: str
) -> None:
    async with bot_world(database_url) as world:
        chat = world.person("5001", lang_hint=lang)
        await chat.say(f"/canbo {world.link_code(world.account(Role.COORDINATOR, name='PC10'))}")
        assert "PC10" in chat.text and says in chat.text
