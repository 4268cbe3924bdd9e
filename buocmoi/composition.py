"""Wires the API, the Telegram bot and the reminder scheduler into one process for `serve`."""

from __future__ import annotations

import logging

from fastapi import APIRouter, FastAPI

from api.core.config import ApiSettings
from api.jobs.worker import worker_extension
from api.main import Extension, create_app
from bot.config import BotSettings
from buocmoi.intake import intake_token

log = logging.getLogger(__name__)


def _bot_token(app: FastAPI) -> str:
    return intake_token(app.state.engine)


def build_app(api_settings: ApiSettings, bot_settings: BotSettings | None = None) -> FastAPI:
    bot_settings = bot_settings or BotSettings()
    # The background loop: outbox delivery, retention, and (BUOCMOI_SCHEDULER, on by default) the
    # escalation of unreceived referrals, agency reminders and follow-ups.
    extensions: list[Extension] = [worker_extension(api_settings, reminders=api_settings.scheduler)]
    if not api_settings.scheduler:
        log.warning("the scheduler is off (BUOCMOI_SCHEDULER): no reminders, follow-ups or escalations")
    web_chat = _web_chat(bot_settings, extensions)
    if not bot_settings.token:
        log.info("Telegram is off: TELEGRAM_BOT_TOKEN is not set. Try the bot in a terminal: buocmoi chat")
        return _with_web_chat(create_app(api_settings, extensions=extensions), web_chat)
    # Imported only when the bot runs: python-telegram-bot and the FAQ matcher cost memory.
    from bot.channels.telegram import telegram_extension, webhook_router

    extensions.append(telegram_extension(bot_settings, _bot_token))
    app = create_app(api_settings, extensions=extensions)
    if bot_settings.webhook:
        app.include_router(webhook_router(bot_settings))
    return _with_web_chat(app, web_chat)


def _web_chat(bot_settings: BotSettings, extensions: list[Extension]) -> APIRouter | None:
    """The web chat at /chat (BUOCMOI_WEB_CHAT, on by default): its lifespan part and its routes."""
    from bot.channels.webchat import WebChatSettings, router, webchat_extension

    chat_settings = WebChatSettings()
    if not chat_settings.enabled:
        log.info("the web chat is off (BUOCMOI_WEB_CHAT)")
        return None
    extensions.append(webchat_extension(bot_settings, _bot_token, chat_settings))
    return router


def _with_web_chat(app: FastAPI, router: APIRouter | None) -> FastAPI:
    if router is not None:
        app.include_router(router)
    return app


def build_worker_app(
    api_settings: ApiSettings, bot_settings: BotSettings, extensions: list[Extension]
) -> FastAPI:
    """An extra API worker (BUOCMOI_API_WORKERS): the API, and the web chat, which must answer on
    every worker sharing the socket. Its conversations belong to the intake account of
    BUOCMOI_INTAKE_TOKEN; without it, workers could each make one, so the web chat is then left to
    the first process and this worker answers /chat with 503 (set the token with several workers)."""
    if not bot_settings.api_token:
        from bot.channels.webchat import router

        log.warning("BUOCMOI_INTAKE_TOKEN is not set: the web chat answers only in the first process")
        return _with_web_chat(create_app(api_settings, extensions=extensions), router)
    web_chat = _web_chat(bot_settings, extensions)
    return _with_web_chat(create_app(api_settings, extensions=extensions), web_chat)
