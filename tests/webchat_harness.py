"""`buocmoi serve`'s app (API + web chat, no Telegram) on a real port, and a small form-following
client for `/chat` pages (what a browser without JavaScript does)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy.engine import Engine
from sqlmodel import Session

from api import migrate
from api.core.config import ApiSettings
from api.core.db import make_engine
from api.roles import Role
from api.services.accounts import create_account
from bot.channels.webchat import WebChatSettings, router, webchat_extension
from bot.config import BotSettings
from buocmoi.composition import build_app
from tests.servers import serving

CSRF = re.compile(r'name="csrf_token" value="([^"]*)"')
BUTTON = re.compile(r'<button name="b" value="([^"]*)"[^>]*>([^<]*)</button>')


@dataclass
class WebChatServer:
    url: str
    engine: Engine
    token: str

    def browser(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30, follow_redirects=False)


@contextmanager
def serving_webchat(
    database_url: str, chat: WebChatSettings | None = None, **api_env: Any
) -> Iterator[WebChatServer]:
    migrate.upgrade(database_url)
    engine = make_engine(database_url)
    with Session(engine) as session:
        _account, token = create_account(session, name="web chat test bot", role=Role.INTAKE)
    api_settings = ApiSettings(DATABASE_URL=database_url, **api_env)
    bot_settings = BotSettings(TELEGRAM_BOT_TOKEN="", BUOCMOI_INTAKE_TOKEN=token)
    if chat is None:
        app = build_app(api_settings, bot_settings)  # exactly what `serve` builds
    else:
        from api.main import create_app

        app = create_app(
            api_settings, engine=engine, extensions=[webchat_extension(bot_settings, lambda _a: token, chat)]
        )
        app.include_router(router)
    try:
        with serving(app) as url:
            yield WebChatServer(url, engine, token)
    finally:
        engine.dispose()


def csrf_of(page: str) -> str:
    found = CSRF.search(page)
    assert found is not None, "no form token on the page"
    return html.unescape(found.group(1))


def buttons_of(page: str) -> dict[str, str]:
    """Label → button data of the page's choice buttons (the language switch included)."""
    return {html.unescape(label).strip(): html.unescape(value) for value, label in BUTTON.findall(page)}


def press(client: httpx.Client, page: str, label_part: str) -> str:
    """Press the first button whose label contains `label_part` (as a browser would post it)."""
    found = [(label, value) for label, value in buttons_of(page).items() if label_part in label]
    assert found, f"no button with {label_part!r} among {list(buttons_of(page))}"
    answer = client.post("/chat", data={"csrf_token": csrf_of(page), "b": found[0][1]})
    assert answer.status_code == 200, answer.text
    return answer.text


def say(client: httpx.Client, page: str, text: str) -> str:
    answer = client.post("/chat", data={"csrf_token": csrf_of(page), "t": text})
    assert answer.status_code == 200, answer.text
    return answer.text


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))
