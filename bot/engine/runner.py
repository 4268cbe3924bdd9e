"""Runs one event of one person's conversation: read the state through the API, let the engine
handle the event, write the state back with the version read, and only then hand out the replies.

A write refused because another worker wrote meanwhile (409) is retried on the fresh state, so
several workers behind a webhook continue every conversation where it was. Side effects repeated by
a retry are safe: leads carry an idempotency key made once per referral, erasure and reminders are
idempotent.
"""

from __future__ import annotations

import logging

from bot.api_client import StaleState
from bot.engine.core import handle
from bot.engine.events import Event
from bot.engine.replies import Reply
from bot.engine.services import Services

log = logging.getLogger(__name__)

ATTEMPTS = 4


class ConversationBusy(Exception):
    """The state kept changing under us; the event was not applied."""


async def run_event(services: Services, user: str, event: Event, lang_hint: str | None = None) -> list[Reply]:
    api = services.api
    for _attempt in range(ATTEMPTS):
        stored = await api.load_state(services.channel, user)
        outcome = await handle(stored.state, event, services, user, lang_hint)
        if outcome.state is None:
            await api.forget_state(services.channel, user)
            return outcome.replies
        if outcome.state == stored.state:
            return outcome.replies
        try:
            await api.save_state(services.channel, user, dict(outcome.state), stored.version)
        except StaleState:
            log.info("conversation changed meanwhile; applying the event again")
            continue
        return outcome.replies
    raise ConversationBusy()
