"""Runs one event of one person's conversation: read the state through the API, let the engine
handle the event, write the state back with the version read, and only then hand out the replies.

The state this process wrote last is kept (`StateCache`), so a person's next turn starts from it
without reading it back; the write still names the version it started from. A write refused because
the conversation changed elsewhere meanwhile (409) is retried on the state read afresh, so several
workers behind a webhook continue every conversation where it was. Side effects repeated by a retry
are safe: leads carry an idempotency key made once per referral, erasure and reminders are
idempotent.
"""

from __future__ import annotations

import logging

from bot.api_client import StaleState, Stored
from bot.engine.core import handle
from bot.engine.events import Event
from bot.engine.replies import Reply
from bot.engine.services import Services

log = logging.getLogger(__name__)

ATTEMPTS = 4


class ConversationBusy(Exception):
    """The state kept changing under us; the event was not applied."""


async def run_event(services: Services, user: str, event: Event, lang_hint: str | None = None) -> list[Reply]:
    api, known = services.api, services.states
    stored: Stored | None = known.get(user)
    for _attempt in range(ATTEMPTS):
        was_read = stored is None
        if stored is None:
            stored = await api.load_state(services.channel, user)
        outcome = await handle(stored.state, event, services, user, lang_hint)
        if outcome.state is None:
            known.drop(user)
            await api.forget_state(services.channel, user)
            return outcome.replies
        if was_read and outcome.state == stored.state:
            known.put(user, stored)
            return outcome.replies
        # Also when nothing changed but the state came from the cache: the write checks it was current.
        try:
            written = await api.save_state(services.channel, user, dict(outcome.state), stored.version)
        except StaleState:
            log.info("conversation changed meanwhile; applying the event again")
            known.drop(user)
            stored = None
            continue
        known.put(user, written)
        return outcome.replies
    known.drop(user)
    raise ConversationBusy()
