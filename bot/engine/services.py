"""What the dialogue engine needs from outside, injected so the engine stays channel-agnostic."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from bot.api_client import ApiClient
from bot.engine.state_cache import StateCache
from bot.faq_answers import FaqService
from content.catalog import Content
from content.communes.resolver import Candidate, resolve
from content.screening.dates import today as vietnam_today

# Channels whose chats the API can write to (the outbox): an officer may link one of their chats.
# A terminal (`buocmoi chat`) or a browser page has no chat to write to later.
LINKABLE_CHANNELS = frozenset({"telegram", "zalo"})


@dataclass(frozen=True)
class Services:
    content: Content
    faq: FaqService
    api: ApiClient
    channel: str = "telegram"  # the channel name the API stores leads and conversations under
    province: int | None = None  # None: the deployment's (BUOCMOI_PROVINCE)
    today: Callable[[], date] = vietnam_today
    communes: Callable[[str, int | None], list[Candidate]] = field(default=resolve)
    states: StateCache = field(default_factory=StateCache)  # what this process last wrote, per person

    @property
    def linkable(self) -> bool:
        return self.channel in LINKABLE_CHANNELS
