"""The web chat as one channel of the dialogue engine: a browser's form post becomes an engine event,
the engine's replies become what the page shows (text, and each button as a submit button).

A browser is known by a random id in an HttpOnly cookie (`new_id`). The id itself is never stored:
the conversation is kept by the API under channel `web` and a keyed hash of the id (`person`), so
a copy of the database does not let anyone take over a browser's conversation. The same key signs
the form token (`csrf_token`, a double-submit value tied to the cookie). One browser's posts run one
after another, in order, like one Telegram person's updates.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import re
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bot.api_client import ApiError
from bot.engine.callbacks import data
from bot.engine.core import STATE_VERSION, reprompt
from bot.engine.deeplink import commune_of, start_payload
from bot.engine.errors import where
from bot.engine.events import Command, Event, Press, from_text
from bot.engine.flows import menu
from bot.engine.replies import Reply
from bot.engine.runner import ConversationBusy, run_event
from bot.engine.services import Services
from bot.engine.turn import Turn
from content.i18n import translator
from content.localized import LANGS, parse_lang

log = logging.getLogger(__name__)

CHANNEL = "web"
MAX_TEXT = 1000  # a chat message; longer text is cut (the engine reads at most 4096)
MAX_DATA = 64  # a button's data (Telegram's limit, which every button keeps)
_ID = re.compile(r"^[A-Za-z0-9_-]{32}$")


@dataclass(frozen=True)
class Exchange:
    """What one request gives the page: the replies and the language the page is shown in."""

    replies: list[Reply]
    lang: str


def new_id() -> str:
    """A browser's id: 24 random bytes, 32 URL-safe characters."""
    return secrets.token_urlsafe(24)


def valid_id(value: str | None) -> bool:
    return value is not None and _ID.match(value) is not None


def to_event(button: str | None, text: str | None) -> Event | None:
    """A pressed button (its data), else typed text (`/huy` and the other commands work); None
    when the form carried neither."""
    if button:
        return Press(button[:MAX_DATA])
    if text is not None and text.strip():
        return from_text(text[:MAX_TEXT])
    return None


def language_press(lang: str) -> Press:
    return Press(data("lang", lang))


class WebChat:
    """Runs the web chat's turns through the engine, with the conversation stored by the API."""

    def __init__(self, services: Services, key: bytes) -> None:
        self.services = services
        self._key = key
        self._locks: dict[str, asyncio.Lock] = {}
        self._waiting: dict[str, int] = {}

    # -- identity and the form token --

    def person(self, web_id: str) -> str:
        """The conversation's key at the API: a keyed hash of the browser's id (32 hex digits)."""
        return hmac.new(self._key, b"person:" + web_id.encode(), hashlib.sha256).hexdigest()[:32]

    def csrf_token(self, web_id: str) -> str:
        return hmac.new(self._key, b"csrf:" + web_id.encode(), hashlib.sha256).hexdigest()

    def csrf_ok(self, web_id: str, sent: str | None) -> bool:
        return sent is not None and hmac.compare_digest(sent.encode(), self.csrf_token(web_id).encode())

    # -- turns --

    @asynccontextmanager
    async def _browser(self, user: str) -> AsyncIterator[None]:
        """One browser's posts one at a time, in arrival order (two tabs, a double click)."""
        lock = self._locks.setdefault(user, asyncio.Lock())
        self._waiting[user] = self._waiting.get(user, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._waiting[user] -= 1
            if not self._waiting[user]:
                del self._waiting[user]
                self._locks.pop(user, None)

    async def _stored_lang(self, user: str) -> str | None:
        stored = self.services.states.get(user)
        if stored is None:
            return None
        lang = stored.state.get("lang")
        return lang if isinstance(lang, str) and lang in LANGS else None

    async def turn(self, web_id: str, event: Event, lang_hint: str) -> Exchange:
        """Run one event; an API failure answers "try again" and changes nothing."""
        user = self.person(web_id)
        async with self._browser(user):
            try:
                replies = await run_event(self.services, user, event, lang_hint)
            except (ApiError, ConversationBusy) as err:
                log.warning("could not handle a web chat post", extra={"error_type": type(err).__name__})
                return Exchange([Reply(_busy(lang_hint))], lang_hint)
            except Exception as err:  # a post must always get a page; the person hears about it
                log.error(
                    "web chat turn failed",
                    extra={
                        "error_type": type(err).__name__,
                        "where": where(err),
                        "event": type(event).__name__,
                    },
                )
                return Exchange([Reply(_busy(lang_hint))], lang_hint)
            return Exchange(replies, await self._stored_lang(user) or lang_hint)

    async def current(self, web_id: str | None, lang_hint: str) -> Exchange:
        """What a page opened afresh shows, changing nothing: the current question of a flow left
        half-way, else the welcome and the menu (a link preview or a crawler writes nothing)."""
        state: dict[str, object] = {}
        user = self.person(web_id) if web_id else "-"
        if web_id:
            stored = self.services.states.get(user)
            if stored is None:
                try:
                    stored = await self.services.api.load_state(CHANNEL, user)
                except ApiError as err:
                    log.warning("could not read a web chat", extra={"error_type": type(err).__name__})
                    stored = None
            if stored is not None and stored.state.get("v") == STATE_VERSION:
                state = dict(stored.state)
        turn = Turn(state, self.services, user, lang_hint)
        try:
            if turn.flow_name is not None:
                reprompt(turn)
            else:
                menu.welcome(turn)
        except Exception as err:  # a state this code cannot read: the welcome of a fresh one
            log.error("web chat page failed", extra={"error_type": type(err).__name__, "where": where(err)})
            turn = Turn({}, self.services, user, lang_hint)
            menu.welcome(turn)
        return Exchange(turn.replies, turn.lang)

    async def prefill(self, web_id: str, code: str, lang_hint: str) -> Exchange | None:
        """`/chat?c=<code>`: keep the commune in the conversation (as a Telegram start link does)
        and show the welcome; None for a code that is not a commune of the province."""
        found = commune_of(code, self.services.province)
        if found is None:
            return None
        user = self.person(web_id)
        if await self._stored_lang(user) is None:
            # The web chat speaks the page's language from the start (Vietnamese unless switched),
            # rather than opening with the language question /start asks on Telegram.
            await self.turn(web_id, language_press(lang_hint), lang_hint)
        started = await self.turn(web_id, Command("start", start_payload(code)), lang_hint)
        _ = translator(started.lang)
        chosen = _("📍 Xã/phường của bạn: {commune}").format(commune=found.name)
        return Exchange([Reply(chosen), *started.replies], started.lang)


def _busy(lang: str) -> str:
    _ = translator(parse_lang(lang))
    return _("Xin lỗi, hệ thống đang bận nên chưa làm được. Bạn thử lại sau ít phút nhé.")
