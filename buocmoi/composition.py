"""Wires the API, the Telegram bot and the reminder scheduler into one process for `serve`."""

from __future__ import annotations

from fastapi import FastAPI

from api.core.config import ApiSettings
from api.jobs.worker import worker_extension
from api.main import Extension, create_app


def build_app(api_settings: ApiSettings) -> FastAPI:
    # The background loop: outbox delivery, lead escalation, retention, reminders and follow-ups.
    extensions: list[Extension] = [worker_extension(api_settings, reminders=True)]
    return create_app(api_settings, extensions=extensions)
