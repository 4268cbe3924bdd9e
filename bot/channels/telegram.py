"""Telegram as one channel of the dialogue engine (python-telegram-bot v22).

One `TypeHandler` turns every update into an engine event, runs it through the conversation runner
(state read and written through the API, so a restart or a second worker continues where it was),
and sends the replies. No PTB ConversationHandler or persistence: the state lives in the database.
Long polling by default; with `TELEGRAM_WEBHOOK_URL`, a webhook whose calls must carry the secret
token (`webhook_router`). `AIORateLimiter` keeps the bot within Telegram's limits. Updates of
different people run concurrently; one person's updates run one after another, in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from urllib.parse import urlparse

import httpx
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.error import Forbidden, InvalidToken, TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes, TypeHandler

from bot.api_client import ApiClient
from bot.config import BotSettings
from bot.engine.errors import where
from bot.engine.events import Event, Press, SharedContact, Unsupported, from_text
from bot.engine.replies import Reply
from bot.engine.runner import run_event
from bot.engine.services import Services
from bot.faq_answers import get_faq_service
from bot.warmup import warm_up
from content.catalog import get_content
from content.i18n import translator
from content.localized import LANGS

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES = ["message", "callback_query"]
DEFAULT_WEBHOOK_PATH = "/telegram"
_MEDIA = (
    "sticker", "photo", "voice", "video", "video_note", "audio", "document", "animation",
    "location", "venue", "poll", "dice", "game", "story",
)  # fmt: skip

TelegramApp = Application


def command_menu(lang: str) -> list[BotCommand]:
    """The bot's command menu in one language (Telegram shows it beside the text box)."""
    _ = translator(lang)
    return [
        BotCommand("start", _("Bắt đầu")),
        BotCommand("menu", _("Menu chính")),
        BotCommand("huy", _("Hủy bước đang làm")),
        BotCommand("ngonngu", _("Đổi ngôn ngữ")),
        BotCommand("dulieu", _("Xem dữ liệu của tôi")),
        BotCommand("xoadulieu", _("Xóa dữ liệu của tôi")),
    ]


def to_event(update: Update) -> Event | None:
    """The engine's event for an update from a private chat; None for what the bot ignores."""
    query = update.callback_query
    if query is not None:
        return Press(query.data) if isinstance(query.data, str) else Unsupported("callback")
    message = update.message
    if message is None:
        return None
    if message.text is not None:
        return from_text(message.text)
    if message.contact is not None:
        own = update.effective_user is not None and message.contact.user_id == update.effective_user.id
        return SharedContact(message.contact.phone_number, own)
    kind = next((name for name in _MEDIA if getattr(message, name, None)), "other")
    return Unsupported(kind)


def markup(reply: Reply) -> InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | None:
    if reply.request_contact is not None:
        rows = [[KeyboardButton(reply.request_contact, request_contact=True)]]
        rows += [[KeyboardButton(b.label) for b in row] for row in reply.buttons]
        return ReplyKeyboardMarkup(rows, resize_keyboard=True)
    if reply.buttons:
        return InlineKeyboardMarkup(
            [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in reply.buttons]
        )
    if reply.remove_keyboard:
        return ReplyKeyboardRemove()
    return None


class TelegramBot:
    """The PTB Application, its start and stop, and the handler that drives the engine."""

    def __init__(self, settings: BotSettings, services: Services) -> None:
        token = settings.token
        if token is None:
            raise ValueError("TELEGRAM_BOT_TOKEN is not set")
        self.settings = settings
        self.services = services
        builder = (
            ApplicationBuilder()
            .token(token)
            .rate_limiter(AIORateLimiter(max_retries=3))
            .concurrent_updates(True)
        )
        if settings.telegram_api_base_url:
            builder = builder.base_url(settings.telegram_api_base_url)
        if settings.webhook:
            builder = builder.updater(None)
        self.application: TelegramApp = builder.build()
        self.application.add_handler(TypeHandler(Update, self.on_update))
        self.application.add_error_handler(self.on_error)
        self._locks: dict[str, asyncio.Lock] = {}
        self._waiting: dict[str, int] = {}
        self._starter: asyncio.Task[None] | None = None
        self.ready = asyncio.Event()

    # -- start and stop --

    async def start(self) -> None:
        app = self.application
        await app.initialize()
        await self.set_commands()
        await app.start()
        if self.settings.telegram_webhook_url:
            await app.bot.set_webhook(
                self.settings.telegram_webhook_url,
                secret_token=self.settings.telegram_webhook_secret.get_secret_value(),
                allowed_updates=ALLOWED_UPDATES,
            )
            log.info("telegram bot started (webhook)")
        else:
            assert app.updater is not None
            await app.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
            log.info("telegram bot started (long polling)")
        self.ready.set()

    def start_in_background(self) -> None:
        """Start, retrying while Telegram cannot be reached, so the API serves meanwhile."""
        self._starter = asyncio.create_task(self._start_retrying())

    async def _start_retrying(self) -> None:
        delay = 1.0
        while True:
            try:
                await self.start()
                return
            except InvalidToken:
                log.error("Telegram refused TELEGRAM_BOT_TOKEN; the bot is off")
                return
            except (TelegramError, httpx.HTTPError, OSError) as err:
                log.warning(
                    "cannot reach Telegram yet; retrying",
                    extra={"error_type": type(err).__name__, "retry_in": delay},
                )
                await self._stop_started()
                await asyncio.sleep(delay)
                delay = min(delay * 2, 60.0)

    async def stop(self) -> None:
        if self._starter is not None and not self._starter.done():
            self._starter.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._starter
        await self._stop_started()
        await self.application.shutdown()
        log.info("telegram bot stopped")

    async def _stop_started(self) -> None:
        app = self.application
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()

    async def set_commands(self) -> None:
        """The command menu in each language (Vietnamese also as the default)."""
        bot = self.application.bot
        try:
            await bot.set_my_commands(command_menu("vi"))
            for lang in LANGS:
                await bot.set_my_commands(command_menu(lang), language_code=lang)
        except TelegramError as err:
            log.warning("could not set the command menu", extra={"error_type": type(err).__name__})

    # -- updates --

    @asynccontextmanager
    async def _person(self, user: str) -> AsyncIterator[None]:
        """One person's updates one at a time, in arrival order."""
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

    async def on_update(self, update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        chat, user = update.effective_chat, update.effective_user
        if chat is None or user is None or chat.type != "private" or user.is_bot:
            return
        event = to_event(update)
        if event is None:
            return
        async with self._person(str(user.id)):
            # The press is acknowledged (the button stops spinning) while the turn runs; a webhook
            # already acknowledged it in its answer to Telegram (`webhook_router`).
            pressed = update.callback_query is not None and not self.settings.webhook
            answered = asyncio.create_task(self._answer(update)) if pressed else None
            try:
                replies = await run_event(self.services, str(user.id), event, user.language_code)
            except Exception as err:  # a handler must never crash; the person hears about it
                log.error(
                    "could not handle an update",
                    extra={
                        "error_type": type(err).__name__,
                        "where": where(err),
                        "event": type(event).__name__,
                    },
                )
                _ = translator(user.language_code)
                replies = [
                    Reply(_("Xin lỗi, hệ thống đang bận nên chưa làm được. Bạn thử lại sau ít phút nhé."))
                ]
            try:
                await self.send(chat.id, replies)
            finally:
                # Awaited after the replies, not before: the person waits for the reply, and the
                # acknowledgement (which Telegram accepts in any order) should not hold it up.
                if answered is not None:
                    await answered

    @staticmethod
    async def _answer(update: Update) -> None:
        assert update.callback_query is not None
        with contextlib.suppress(TelegramError):
            await update.callback_query.answer()

    async def send(self, chat_id: int, replies: list[Reply]) -> None:
        bot = self.application.bot
        for reply in replies:
            try:
                await bot.send_message(chat_id, reply.text, reply_markup=markup(reply))
            except Forbidden:
                log.info("the person blocked the bot; reply dropped")
                return
            except TelegramError as err:
                log.warning("could not send a reply", extra={"error_type": type(err).__name__})
                return

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        err = context.error
        log.error(
            "telegram error",
            extra={
                "error_type": type(err).__name__ if err else "?",
                "where": where(err) if err else "?",
                "update": type(update).__name__,
            },
        )

    async def feed(self, payload: object) -> Update:
        """An update received by the webhook, handed to the application's queue."""
        update = Update.de_json(payload, self.application.bot)  # type: ignore[arg-type]
        await self.application.update_queue.put(update)
        return update


# --- wiring into the FastAPI process ---------------------------------------------------------------


def webhook_path(settings: BotSettings) -> str:
    """The path of TELEGRAM_WEBHOOK_URL (where Telegram will post), "/telegram" when it has none."""
    if not settings.telegram_webhook_url:
        return DEFAULT_WEBHOOK_PATH
    path = urlparse(settings.telegram_webhook_url).path
    return path.rstrip("/") or "/"


def webhook_router(settings: BotSettings) -> APIRouter:
    """`POST <path of TELEGRAM_WEBHOOK_URL>`: Telegram's calls, checked by their secret token."""
    router = APIRouter()
    secret = settings.telegram_webhook_secret.get_secret_value()

    @router.post(webhook_path(settings), include_in_schema=False)
    async def telegram_webhook(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not secrets.compare_digest(given.encode(), secret.encode()):
            return Response(status_code=403)
        bot: TelegramBot | None = getattr(request.app.state, "telegram", None)
        if bot is None:
            return Response(status_code=503)
        try:
            payload = await request.json()
            if not isinstance(payload, dict):
                raise ValueError("not an object")
            update = await bot.feed(payload)
        except Exception as err:  # whatever was posted, the route answers and the process goes on
            log.warning("webhook call without a readable update", extra={"error_type": type(err).__name__})
            return Response(status_code=400)
        if update.callback_query is not None:
            # Telegram carries out a method given in the answer to its call: the press is
            # acknowledged here, without a request of our own (and before the turn runs).
            acknowledge = {"method": "answerCallbackQuery", "callback_query_id": update.callback_query.id}
            return JSONResponse(acknowledge)
        return Response(status_code=200)

    return router


def telegram_extension(
    settings: BotSettings, api_token: Callable[[FastAPI], str]
) -> Callable[[FastAPI], contextlib.AbstractAsyncContextManager[None]]:
    """A lifespan extension (`api.main.create_app`) that runs the bot beside the API. The bot talks
    to the API of the same process in process (no network), or to `BUOCMOI_API_URL` when set."""

    @asynccontextmanager
    async def extension(app: FastAPI) -> AsyncIterator[None]:
        token = settings.api_token.get_secret_value() if settings.api_token else api_token(app)
        if settings.api_url:
            client = ApiClient(token, base_url=settings.api_url)
        else:
            client = ApiClient(token, transport=httpx.ASGITransport(app=app))
        services = Services(content=get_content(), faq=get_faq_service(), api=client, channel="telegram")
        bot = TelegramBot(settings, services)
        app.state.telegram = bot
        warming = asyncio.create_task(asyncio.to_thread(warm_up, services))
        bot.start_in_background()
        try:
            yield
        finally:
            await bot.stop()
            await warming
            app.state.telegram = None
            await client.aclose()

    return extension
