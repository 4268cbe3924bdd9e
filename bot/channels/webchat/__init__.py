"""The web chat (`/chat`): its routes and templates (`routes.py`, `templates/`), and the lifespan
extension that gives them a `WebChat` (bot/channels/web.py) driving the dialogue engine.

`buocmoi serve` mounts it (buocmoi/composition.py) unless `BUOCMOI_WEB_CHAT=off`. The engine talks
to the API of the same process in process (no network), or to `BUOCMOI_API_URL`, with the bot's
`intake` token; conversations are stored under channel `web`.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from bot.api_client import ApiClient
from bot.channels.web import CHANNEL, WebChat
from bot.channels.webchat.routes import Limits, WebChatSettings, router
from bot.config import BotSettings
from bot.engine.services import Services
from bot.faq_answers import get_faq_service
from bot.warmup import warm_up
from content.catalog import get_content

__all__ = ["WebChatSettings", "router", "webchat_extension"]


def webchat_extension(
    settings: BotSettings,
    api_token: Callable[[FastAPI], str],
    chat_settings: WebChatSettings | None = None,
) -> Callable[[FastAPI], contextlib.AbstractAsyncContextManager[None]]:
    chat_settings = chat_settings or WebChatSettings()

    @asynccontextmanager
    async def extension(app: FastAPI) -> AsyncIterator[None]:
        token = settings.api_token.get_secret_value() if settings.api_token else api_token(app)
        if settings.api_url:
            client = ApiClient(token, base_url=settings.api_url)
        else:
            client = ApiClient(token, transport=httpx.ASGITransport(app=app))
        services = Services(content=get_content(), faq=get_faq_service(), api=client, channel=CHANNEL)
        # The key of the browsers' conversation ids and form tokens: the same in every worker of a
        # deployment (they share the intake token), secret, and never written anywhere.
        key = hashlib.sha256(b"buocmoi-webchat\x00" + token.encode()).digest()
        app.state.webchat = WebChat(services, key)
        app.state.webchat_limits = Limits.from_settings(chat_settings)
        warming = asyncio.create_task(asyncio.to_thread(warm_up, services))
        try:
            yield
        finally:
            await warming
            app.state.webchat = None
            await client.aclose()

    return extension
