"""10,000 random chat inputs through the real dialogue engine and API (hypothesis): no input
crashes a turn, and every input gets a reply. Half of the presses are buttons the bot just showed,
so the walk goes deep into the flows; the rest is junk of every kind."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.engine.events import Command, Event, Press, SharedContact, Text, Unsupported
from tests.bot_harness import Person, World, bot_world

RUNS = 200
STEPS = 50  # RUNS x STEPS = 10,000 inputs

COMMANDS = ["start", "menu", "huy", "ngonngu", "dulieu", "xoadulieu", "canbo", "trogiup", "kiemtra", "xyz"]
WORDS = [
    "vay",
    "von",
    "bao nhieu",
    "lãi suất",
    "hông",
    "dc",
    "tui mới ra tù",
    "giấy tờ",
    "ở đâu",
    "03/2024",
    "tháng 3 năm 2024",
    "50 triệu",
    "0912345678",
    "xa dai tam my xuyen",
    "có",
    "không",
    "1",
    "2",
    "Nguyễn Văn A",
    "🙏",
    "",
    " ",
    "\u200b",
    "ok",
    "2 ty",
    "x" * 4000,
]

texts = st.one_of(
    st.sampled_from(WORDS),
    st.text(max_size=60),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=5).map(" ".join),
    st.text(alphabet="0123456789/-. ", max_size=12),
)
foreign_presses = st.one_of(
    st.text(max_size=70),
    st.sampled_from(
        [
            "v1|m|faq",
            "v0|m|x",
            "v1|",
            "ld|abc|view",
            "ld|" + "a" * 32 + "|received",
            "rm|monthly_list|2026-12|done",
            "rm|x|y|z",
            "v1|sq|release_status|xyz",
            "|||",
        ]
    ),
)
junk = st.one_of(
    st.builds(Unsupported, st.sampled_from(["sticker", "photo", "voice", "video", "document", "location"])),
    st.builds(SharedContact, st.text(alphabet="+0123456789 ", max_size=15), st.booleans()),
    st.builds(Command, st.sampled_from(COMMANDS), st.text(max_size=20)),
)


@pytest.fixture
def world(database_url: str) -> Any:
    loop = asyncio.new_event_loop()
    context = bot_world(database_url)
    built = loop.run_until_complete(context.__aenter__())
    yield loop, built
    loop.run_until_complete(context.__aexit__(None, None, None))
    loop.close()


def test_random_inputs_never_crash_and_always_get_a_reply(
    world: tuple[asyncio.AbstractEventLoop, World], caplog: pytest.LogCaptureFixture
) -> None:
    loop, built = world
    caplog.set_level(logging.ERROR)
    users = iter(range(10**6, 10**7))
    count = 0

    @settings(
        max_examples=RUNS,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def walk(data: st.DataObject) -> None:
        nonlocal count
        person = Person(built, str(next(users)), data.draw(st.sampled_from([None, "vi", "km", "en"])))
        for _ in range(STEPS):
            shown = [b.data for b in person.buttons()]
            choices: list[st.SearchStrategy[Event]] = [texts.map(Text), junk, foreign_presses.map(Press)]
            if shown:
                choices += [st.sampled_from(shown).map(Press)] * 3
            event = data.draw(st.one_of(*choices))
            replies = loop.run_until_complete(person.send(event))
            count += 1
            assert replies, f"no reply to {event!r}"
            assert any(r.text.strip() for r in replies), f"empty reply to {event!r}"
        crashes = [r for r in caplog.records if r.levelno >= logging.ERROR]
        assert not crashes, crashes[0].getMessage()

    walk()
    assert count >= RUNS * STEPS  # hypothesis may run a few extra walks
