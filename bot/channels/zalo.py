"""Zalo (Zalo Bot Platform) as one channel of the dialogue engine.

Each update becomes an engine event and runs through the same conversation runner as Telegram's (the
state lives in the database); the replies go back with sendMessage as plain text with numbered
choices (bot/channels/text_choices.py), split at the platform's 2000 characters. A person is known
to the engine as "zalo:<chat id>", so officers' linked chats, outbox targets and follow-ups name the
channel wherever a chat id is stored.

Webhook mode with `ZALO_WEBHOOK_URL` (the route is its path; calls must carry
`ZALO_WEBHOOK_SECRET` in X-Bot-Api-Secret-Token), else getUpdates long polling. A message id seen
twice (a webhook retried, an update fetched again) is handled once. One person's updates run one
after another, in order; different people's concurrently.

An adapter for a Zalo Official Account (OA API v3) would sit beside this one: its own client and
update parsing, the same `Conversations` core below (docs/notes/zalo.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from urllib.parse import urlparse

import httpx
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import JSONResponse

from api.sessions import SessionRoute
from bot.api_client import ApiClient
from bot.channels.text_choices import ChoiceMemory, Shown, render, split_text, to_event
from bot.channels.zalo_api import (
    MAX_TEXT,
    SECRET_HEADER,
    ZaloApiError,
    ZaloBotApi,
    ZaloUpdate,
    parse_update,
)
from bot.channels.zalo_settings import ZaloSettings
from bot.engine.errors import where
from bot.engine.events import Event, Unsupported
from bot.engine.replies import Button, Reply
from bot.engine.runner import run_event
from bot.engine.services import Services
from bot.faq_answers import get_faq_service
from bot.warmup import warm_up
from content.catalog import get_content
from content.i18n import translator

log = logging.getLogger(__name__)

CHANNEL = "zalo"
CHAT_PREFIX = "zalo:"
DEFAULT_WEBHOOK_PATH = "/zalo"
SEEN_MESSAGES = 20_000  # message ids remembered against duplicates
POLL_TIMEOUT_SECONDS = 30


def chat_user(chat_id: str) -> str:
    """The engine's name for a Zalo chat (also the officer's linked chat id and outbox target)."""
    return f"{CHAT_PREFIX}{chat_id}"


def to_engine_event(update: ZaloUpdate, shown: Shown | None) -> Event | None:
    message = update.message
    if message is None:
        return None
    if update.kind == "text" and message.text is not None:
        return to_event(message.text, shown)
    return Unsupported(update.unsupported_kind)


class ZaloBot:
    """Start and stop (webhook registration or the polling loop) and the handling of updates."""

    def __init__(self, settings: ZaloSettings, services: Services, api: ZaloBotApi | None = None) -> None:
        token = settings.token
        if token is None:
            raise ValueError("ZALO_BOT_TOKEN is not set")
        self.settings = settings
        self.services = services
        self.api = api or ZaloBotApi(token, settings.zalo_api_base_url)
        self.choices = ChoiceMemory()
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._locks: dict[str, asyncio.Lock] = {}
        self._waiting: dict[str, int] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._runner: asyncio.Task[None] | None = None
        self.ready = asyncio.Event()

    # -- start and stop --

    async def start(self) -> None:
        if self.settings.zalo_webhook_url:
            await self.api.set_webhook(
                self.settings.zalo_webhook_url, self.settings.zalo_webhook_secret.get_secret_value()
            )
            log.info("zalo bot started (webhook)")
        else:
            # getUpdates answers nothing while a webhook is registered.
            with contextlib.suppress(ZaloApiError):
                await self.api.delete_webhook()
            self._runner = asyncio.create_task(self._poll())
            log.info("zalo bot started (long polling)")
        self.ready.set()

    def start_in_background(self) -> None:
        """Start, retrying while the platform cannot be reached, so the API serves meanwhile."""
        self._runner = asyncio.create_task(self._start_retrying())

    async def _start_retrying(self) -> None:
        delay = 1.0
        while True:
            try:
                await self.start()
                return
            except ZaloApiError as err:
                if err.status in (401, 403, 404) or err.error_code in (401, 403):
                    log.error("Zalo refused ZALO_BOT_TOKEN; the Zalo bot is off")
                    return
                log.warning("cannot reach Zalo yet; retrying", extra={"retry_in": delay})
                await asyncio.sleep(delay)
                delay = min(delay * 2, 60.0)

    async def stop(self) -> None:
        if self._runner is not None and not self._runner.done():
            self._runner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._runner
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=5)
        await self.api.aclose()
        log.info("zalo bot stopped")

    async def _poll(self) -> None:
        delay = 1.0
        while True:
            try:
                updates = await self.api.get_updates(POLL_TIMEOUT_SECONDS)
                delay = 1.0
            except ZaloApiError as err:
                if err.status == 408 or err.error_code == 408:  # nothing arrived within the timeout
                    continue
                log.warning("getUpdates failed; retrying", extra={"retry_in": delay})
                await asyncio.sleep(delay)
                delay = min(delay * 2, 60.0)
                continue
            for update in updates:
                self.feed(update)

    # -- updates --

    def first_time(self, message_id: str) -> bool:
        """False for a message id already handled (a retried webhook call, a repeated update)."""
        if message_id in self._seen:
            return False
        self._seen[message_id] = None
        if len(self._seen) > SEEN_MESSAGES:
            self._seen.popitem(last=False)
        return True

    def feed(self, update: ZaloUpdate) -> bool:
        """Hand an update over to be handled in its own task; False when it is a duplicate."""
        message = update.message
        if message is None or not self.first_time(message.message_id):
            return False
        task = asyncio.create_task(self.handle(update))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return True

    @asynccontextmanager
    async def _person(self, user: str) -> AsyncIterator[None]:
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

    async def handle(self, update: ZaloUpdate) -> None:
        message = update.message
        if message is None or message.chat.chat_type.upper() != "PRIVATE":
            return
        if message.sender is not None and message.sender.is_bot:
            return
        user = chat_user(message.chat.id)
        async with self._person(user):
            event = to_engine_event(update, self.choices.get(user))
            if event is None:
                return
            try:
                replies = await run_event(self.services, user, event)
            except Exception as err:  # a handler must never crash; the person hears about it
                log.error(
                    "could not handle a zalo update",
                    extra={
                        "error_type": type(err).__name__,
                        "where": where(err),
                        "event": type(event).__name__,
                    },
                )
                _ = translator(None)
                replies = [
                    Reply(_("Xin lỗi, hệ thống đang bận nên chưa làm được. Bạn thử lại sau ít phút nhé."))
                ]
            await self.send(message.chat.id, replies)

    async def send(self, chat_id: str, replies: Sequence[Reply]) -> None:
        rendered = render(replies)
        self.choices.put(chat_user(chat_id), rendered.shown)
        for text in rendered.texts:
            for piece in split_text(text, MAX_TEXT):
                try:
                    await self.api.send_message(chat_id, piece)
                except ZaloApiError as err:
                    log.warning(
                        "could not send a zalo reply",
                        extra={"status": err.status, "error_code": err.error_code},
                    )
                    return

    def remember_sent(self, target: str, rows: list[list[dict[str, str]]]) -> None:
        """The outbox sent numbered choices to this chat (an officer's referral notice): an answer
        "1" presses the first of them."""
        buttons = tuple(
            Button(str(b.get("text", "")), str(b.get("callback_data", "")))
            for row in rows
            for b in row
            if b.get("callback_data")
        )
        if buttons:
            self.choices.put(target, Shown(buttons))


# --- wiring into the FastAPI process ---------------------------------------------------------------


def webhook_path(settings: ZaloSettings) -> str:
    if not settings.zalo_webhook_url:
        return DEFAULT_WEBHOOK_PATH
    return urlparse(settings.zalo_webhook_url).path.rstrip("/") or "/"


def webhook_router(settings: ZaloSettings) -> APIRouter:
    """`POST <path of ZALO_WEBHOOK_URL>`: the platform's calls, checked by their secret token."""
    router = APIRouter(route_class=SessionRoute)
    secret = settings.zalo_webhook_secret.get_secret_value().encode()

    @router.post(webhook_path(settings), include_in_schema=False)
    async def zalo_webhook(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not secrets.compare_digest(given.encode(), secret):
            return JSONResponse({"detail": "wrong or missing secret token"}, status_code=403)
        bot: ZaloBot | None = getattr(request.app.state, "zalo", None)
        if bot is None:
            return JSONResponse({"detail": "the Zalo bot is not running"}, status_code=503)
        try:
            payload = await request.json()
        except ValueError:
            return JSONResponse({"detail": "the body is not JSON"}, status_code=400)
        update = parse_update(payload)
        if update is None:
            return JSONResponse({"detail": "not a Zalo update"}, status_code=400)
        bot.feed(update)
        return JSONResponse({"ok": True})

    return router


def zalo_extension(
    settings: ZaloSettings, api_token: Callable[[FastAPI], str], api_url: str | None = None
) -> Callable[[FastAPI], contextlib.AbstractAsyncContextManager[None]]:
    """A lifespan extension (`api.main.create_app`) running the Zalo bot beside the API; it talks to
    the API of the same process in process. Referral notices the outbox sends to a Zalo chat are
    remembered as that chat's numbered choices (`Dispatcher.zalo_sent`)."""

    @asynccontextmanager
    async def extension(app: FastAPI) -> AsyncIterator[None]:
        token = api_token(app)
        if api_url:
            client = ApiClient(token, base_url=api_url)
        else:
            client = ApiClient(token, transport=httpx.ASGITransport(app=app))
        services = Services(content=get_content(), faq=get_faq_service(), api=client, channel=CHANNEL)
        bot = ZaloBot(settings, services)
        app.state.zalo = bot
        dispatcher = getattr(app.state, "dispatcher", None)
        if dispatcher is not None:
            dispatcher.zalo_sent = bot.remember_sent
        warming = asyncio.create_task(asyncio.to_thread(warm_up, services))
        bot.start_in_background()
        try:
            yield
        finally:
            await bot.stop()
            await warming
            app.state.zalo = None
            await client.aclose()

    return extension
