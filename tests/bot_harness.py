"""The dialogue engine against the real API in process (a fresh, migrated database per test), and a
`Person` who talks to it: sends text, presses buttons by their label, reads the replies."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx
from fastapi import FastAPI
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session

from api import migrate
from api.core.config import ApiSettings
from api.core.db import make_engine
from api.main import create_app
from api.models import Account
from api.roles import Role
from api.services import accounts
from bot.api_client import ApiClient
from bot.engine.events import Event, Press, SharedContact, Unsupported, from_text
from bot.engine.replies import Button, Reply
from bot.engine.runner import run_event
from bot.engine.services import Services
from bot.faq_answers import get_faq_service
from content.catalog import get_content

TODAY = date(2026, 11, 24)


@dataclass
class World:
    engine: Engine
    app: FastAPI
    services: Services
    intake_token: str

    def account(self, role: Role, *communes: str, name: str = "Cán bộ", chat_id: str | None = None) -> int:
        with Session(self.engine) as session:
            account, _token = accounts.create_account(session, name=name, role=role, communes=list(communes))
            if chat_id is not None:
                account.telegram_chat_id = chat_id
                session.add(account)
                session.commit()
            assert account.id is not None
            return account.id

    def link_code(self, account_id: int) -> str:
        with Session(self.engine) as session:
            account = session.get(Account, account_id)
            assert account is not None
            return accounts.issue_link_code(session, account)

    def person(self, user: str = "1001", lang_hint: str | None = None) -> Person:
        return Person(self, user, lang_hint)


_TEMPLATE: list[Path] = []


def prepare_database(database_url: str) -> None:
    """Migrate the empty test database; a SQLite one is a copy of one migrated once per run."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database:
        migrate.upgrade(database_url)
        return
    if not _TEMPLATE:
        template = Path(tempfile.mkdtemp(prefix="bm-template-")) / "template.db"
        migrate.upgrade(f"sqlite:///{template}")
        _TEMPLATE.append(template)
    shutil.copyfile(_TEMPLATE[0], url.database)


@asynccontextmanager
async def bot_world(database_url: str, channel: str = "telegram") -> AsyncIterator[World]:
    prepare_database(database_url)
    engine = make_engine(database_url)
    app = create_app(ApiSettings(DATABASE_URL=database_url), engine=engine)
    with Session(engine) as session:
        _account, token = accounts.create_account(session, name="bot", role=Role.INTAKE)
    try:
        async with ApiClient(token, transport=httpx.ASGITransport(app=app)) as api:
            services = Services(
                content=get_content(), faq=get_faq_service(), api=api, channel=channel, today=lambda: TODAY
            )
            yield World(engine, app, services, token)
    finally:
        engine.dispose()


class Person:
    def __init__(self, world: World, user: str, lang_hint: str | None) -> None:
        self.world = world
        self.user = user
        self.lang_hint = lang_hint
        self.last: list[Reply] = []

    async def send(self, event: Event) -> list[Reply]:
        self.last = await run_event(self.world.services, self.user, event, self.lang_hint)
        return self.last

    async def say(self, text: str) -> list[Reply]:
        return await self.send(from_text(text))

    async def share_contact(self, phone: str, own: bool = True) -> list[Reply]:
        return await self.send(SharedContact(phone, own))

    async def send_junk(self, kind: str) -> list[Reply]:
        return await self.send(Unsupported(kind))

    def buttons(self) -> list[Button]:
        return [b for r in self.last for b in r.all_buttons()]

    def button(self, label: str) -> Button:
        wanted = label.casefold()
        found = [b for b in self.buttons() if wanted in b.label.casefold()]
        assert found, f"no button {label!r} among {[b.label for b in self.buttons()]}"
        return found[0]

    async def press(self, label: str) -> list[Reply]:
        return await self.send(Press(self.button(label).data))

    async def press_data(self, data: str) -> list[Reply]:
        return await self.send(Press(data))

    @property
    def text(self) -> str:
        return "\n".join(r.text for r in self.last)

    async def state(self) -> dict[str, object]:
        stored = await self.world.services.api.load_state(self.world.services.channel, self.user)
        return stored.state
