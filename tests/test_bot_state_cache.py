"""The state the bot keeps of each conversation between turns: it saves a read per turn, and a
conversation changed elsewhere (another worker, forgotten and started again) is still read afresh."""

from __future__ import annotations

import httpx

from bot.api_client import ApiClient, Stored
from bot.engine.events import from_text
from bot.engine.runner import run_event
from bot.engine.services import Services
from bot.engine.state_cache import StateCache
from tests.bot_harness import bot_world


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_entries_expire_when_a_conversation_goes_quiet_and_their_number_is_bounded() -> None:
    clock = _Clock()
    cache = StateCache(ttl=60, limit=3, clock=clock)
    cache.put("a", Stored({"lang": "vi"}, 7))
    assert cache.get("a") == Stored({"lang": "vi"}, 7)
    clock.now += 59
    assert cache.get("a") is not None
    clock.now += 1
    assert cache.get("a") is None and len(cache) == 0
    for user in "bcde":
        cache.put(user, Stored({}, 1))
    assert len(cache) == 3 and cache.get("b") is None  # the oldest went first
    cache.put("c", Stored({"n": 2}, 2))  # written again: now the newest
    cache.put("f", Stored({}, 1))
    assert cache.get("d") is None and cache.get("c") == Stored({"n": 2}, 2)
    clock.now += 30
    cache.put("g", Stored({}, 1))
    clock.now += 31  # c, e and f have gone quiet; g has not
    cache.put("h", Stored({}, 1))
    assert [u for u in "cefgh" if cache.get(u) is not None] == ["g", "h"]
    cache.drop("g")
    cache.drop("nobody")
    assert cache.get("g") is None and len(cache) == 1


class _CountingTransport(httpx.AsyncBaseTransport):
    """The real in-process transport, counting the requests by method."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.methods: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.methods.append(request.method)
        return await self.inner.handle_async_request(request)


async def test_a_turn_after_the_first_writes_without_reading_back(database_url: str) -> None:
    async with bot_world(database_url) as world:
        counting = _CountingTransport(httpx.ASGITransport(app=world.app))
        async with ApiClient(world.intake_token, transport=counting) as api:
            services = Services(content=world.services.content, faq=world.services.faq, api=api)
            await run_event(services, "1001", from_text("/start"))
            assert counting.methods == ["GET", "PUT"]
            for step in ("/menu", "lai suat bao nhieu", "/huy"):
                counting.methods.clear()
                await run_event(services, "1001", from_text(step))
                assert counting.methods == ["PUT"], step


async def test_a_conversation_changed_by_another_worker_is_read_again(database_url: str) -> None:
    async with bot_world(database_url) as world:
        person, api = world.person(), world.services.api
        await person.say("/start")
        await person.press("Tiếng Việt")
        # Another worker moves the conversation on: it now speaks English.
        now = await api.load_state("telegram", "1001")
        await api.save_state("telegram", "1001", {**now.state, "lang": "en"}, now.version)
        await person.say("/menu")
        assert person.button("Questions")
        assert (await person.state())["lang"] == "en"


async def test_a_conversation_forgotten_and_started_again_elsewhere_is_read_again(database_url: str) -> None:
    async with bot_world(database_url) as world:
        person, api = world.person(), world.services.api
        await person.say("/start")  # the conversation's first write
        # Elsewhere the conversation is forgotten and starts again, in English, as new.
        await api.forget_state("telegram", "1001")
        await api.save_state("telegram", "1001", {"v": 1, "lang": "en"}, 0)
        await person.say("/menu")
        assert person.button("Questions")
        assert (await person.state())["lang"] == "en"
