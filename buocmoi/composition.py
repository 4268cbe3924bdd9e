"""Wires the API, the Telegram and Zalo bots, the web chat and the reminder scheduler into one process for
`serve`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from fastapi import APIRouter, FastAPI

from api.core.config import ApiSettings
from api.jobs.worker import worker_extension
from api.main import Extension, create_app
from bot.config import BotSettings
from buocmoi.intake import intake_token

if TYPE_CHECKING:
    from bot.channels.zalo_settings import ZaloSettings

log = logging.getLogger(__name__)


def _bot_token(app: FastAPI) -> str:
    return intake_token(app.state.engine)


def build_app(
    api_settings: ApiSettings,
    bot_settings: BotSettings | None = None,
    zalo_settings: ZaloSettings | None = None,
) -> FastAPI:
    bot_settings = bot_settings or BotSettings()
    # The background loop: outbox delivery, retention, and (BUOCMOI_SCHEDULER, on by default) the
    # escalation of unreceived referrals, agency reminders and follow-ups.
    extensions: list[Extension] = [worker_extension(api_settings, reminders=api_settings.scheduler)]
    if not api_settings.scheduler:
        log.warning("the scheduler is off (BUOCMOI_SCHEDULER): no reminders, follow-ups or escalations")
    routers: list[APIRouter] = []
    web_chat = _web_chat(bot_settings, extensions)
    if web_chat is not None:
        routers.append(web_chat)
    if bot_settings.token:
        # Imported only when the bot runs: python-telegram-bot and the FAQ matcher cost memory.
        from bot.channels.telegram import telegram_extension, webhook_router

        extensions.append(telegram_extension(bot_settings, _bot_token))
        if bot_settings.webhook:
            routers.append(webhook_router(bot_settings))
    else:
        log.info("Telegram is off: TELEGRAM_BOT_TOKEN is not set. Try the bot in a terminal: buocmoi chat")
    zalo = zalo_settings or _zalo_settings()
    if zalo is not None and zalo.token:
        from bot.channels import zalo as zalo_channel

        # After the worker's extension: the Zalo bot hooks into its outbox dispatcher.
        extensions.append(
            zalo_channel.zalo_extension(zalo, _intake_token(bot_settings), bot_settings.api_url)
        )
        if zalo.zalo_webhook_url:
            routers.append(zalo_channel.webhook_router(zalo))
    app = create_app(api_settings, extensions=extensions)
    for router in routers:
        app.include_router(router)
    return app


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


def _intake_token(bot_settings: BotSettings) -> Callable[[FastAPI], str]:
    given = bot_settings.api_token.get_secret_value() if bot_settings.api_token else None
    return (lambda _app: given) if given else _bot_token


def _zalo_settings() -> ZaloSettings | None:
    from bot.channels.zalo_settings import ZaloSettings

    settings = ZaloSettings()
    return settings if settings.token else None
