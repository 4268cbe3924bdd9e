"""Agencies press "done" under a reminder: the bot marks that period done through the API."""

from __future__ import annotations

from sqlmodel import Session, select

from api.models import ObligationDone
from api.roles import Role
from tests.bot_harness import bot_world
from tests.harness import COMMUNE_A

CHAT = "7001"


async def test_done_button_marks_the_period_once(database_url: str) -> None:
    async with bot_world(database_url) as world:
        account_id = world.account(Role.COMMUNE_POLICE, COMMUNE_A, name="CA phường Mỹ Xuyên", chat_id=CHAT)
        officer = world.person(CHAT)
        await officer.press_data("rm|monthly_list|2026-12|done")
        first = officer.text
        assert first.strip()
        await officer.press_data("rm|monthly_list|2026-12|done")  # pressed twice: still one mark
        with Session(world.engine) as session:
            marks = session.exec(select(ObligationDone)).all()
        assert [(m.deadline_id, m.period, m.account_id) for m in marks] == [
            ("monthly_list", "2026-12", account_id)
        ]


async def test_done_button_refusals_are_plain_words(database_url: str) -> None:
    async with bot_world(database_url) as world:
        world.account(Role.COMMUNE_POLICE, COMMUNE_A, chat_id=CHAT)
        stranger = world.person("7999")
        await stranger.press_data("rm|monthly_list|2026-12|done")
        assert "chưa liên kết" in stranger.text
        officer = world.person(CHAT)
        await officer.press_data("rm|monthly_list|2026-Q1|done")  # not a period of a monthly duty
        assert "Nút này đã cũ" in officer.text
        await officer.press_data("rm|no_such_duty|2026-12|done")
        assert "Nút này đã cũ" in officer.text
        await officer.press_data("rm|monthly_list|garbage|done")
        assert officer.text.strip()  # an old or forged button still gets an answer
