"""Wires the API, the Telegram bot and the reminder scheduler into one process for `serve`."""

from __future__ import annotations

import logging

from fastapi import FastAPI

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
    if not bot_settings.token:
        log.info("Telegram is off: TELEGRAM_BOT_TOKEN is not set. Try the bot in a terminal: buocmoi chat")
        return create_app(api_settings, extensions=extensions)
    # Imported only when the bot runs: python-telegram-bot and the FAQ matcher cost memory.
    from bot.channels.telegram import telegram_extension, webhook_router

    extensions.append(telegram_extension(bot_settings, _bot_token))
    app = create_app(api_settings, extensions=extensions)
    if bot_settings.webhook:
        app.include_router(webhook_router(bot_settings))
    return app
