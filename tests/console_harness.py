"""The app with the staff console on a real port, with a clock tests can move, and helpers to sign
in over HTTP (the same steps a browser makes: open the link, press the button)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx
from sqlmodel import Session, select

from api import migrate
from api.console import auth
from api.core.config import ApiSettings
from api.core.db import make_engine
from api.main import create_app
from api.models import Account, Lead, utcnow
from tests.harness import Api, lead_body
from tests.servers import serving

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Clock:
    """The console's clock: real time moved by `offset`, or a fixed moment."""

    fixed: datetime | None = None
    offset: timedelta = field(default_factory=timedelta)

    def __call__(self) -> datetime:
        return (self.fixed or utcnow()) + self.offset


@dataclass
class ConsoleApi(Api):
    clock: Clock = field(default_factory=Clock)
    # Browsers (cookie-keeping clients) opened by a test, closed when the server stops.
    browsers: list[httpx.Client] = field(default_factory=list)

    def browser(self, **options: object) -> httpx.Client:
        client = httpx.Client(base_url=self.url, timeout=30, **options)  # type: ignore[arg-type]
        self.browsers.append(client)
        return client

    def account_id(self, token: str) -> int:
        with self.client(token) as client:
            return int(client.get("/api/v1/me").json()["id"])

    def login_link(self, account_id: int, now: datetime | None = None) -> str:
        with Session(self.engine) as session:
            account = session.get(Account, account_id)
            assert account is not None
            base = self.settings.public_url or self.url
            return auth.issue_login_link(session, account, base, now=now or self.clock())

    def referral(self, intake: str, key: str, commune: str, **overrides: object) -> dict[str, object]:
        with self.client(intake) as client:
            response = client.post("/api/v1/leads", json=lead_body(key, commune, **overrides))
            assert response.status_code == 201, response.text
            return dict(response.json())

    def set_created(self, lead_id: str, at: datetime) -> None:
        with Session(self.engine) as session:
            lead = session.exec(select(Lead).where(Lead.id == lead_id)).one()
            lead.created_at = at
            lead.assigned_at = at
            session.add(lead)
            session.commit()


def sign_in(api: ConsoleApi, link: str) -> httpx.Client:
    """A cookie-keeping client signed in with `link` (fails the test if refused)."""
    client = api.browser()
    assert open_link(client, link).status_code == 303
    return client


def open_link(client: httpx.Client, link: str) -> httpx.Response:
    path = httpx.URL(link).path
    page = client.get(path)
    assert page.status_code == 200
    match = CSRF.search(page.text)
    assert match is not None
    return client.post(path, data={"csrf_token": match.group(1)})


def csrf_of(page: str) -> str:
    match = CSRF.search(page)
    assert match is not None, "the page has no form token"
    return match.group(1)


@contextmanager
def running_console(database_url: str, **settings: object) -> Iterator[ConsoleApi]:
    migrate.upgrade(database_url)
    api_settings = ApiSettings(DATABASE_URL=database_url, **settings)  # type: ignore[arg-type]
    engine = make_engine(database_url)
    app = create_app(api_settings, engine=engine)
    clock = Clock()
    app.state.clock = clock
    running: ConsoleApi | None = None
    try:
        with serving(app) as url:
            running = ConsoleApi(url=url, engine=engine, settings=api_settings, clock=clock)
            yield running
    finally:
        for client in running.browsers if running else []:
            client.close()
        engine.dispose()


def revoke(api: ConsoleApi, account_id: int) -> None:
    from api.services import accounts

    with Session(api.engine) as session:
        account = session.get(Account, account_id)
        assert account is not None
        accounts.revoke(session, account)
