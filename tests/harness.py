"""The real API on a real port over a fresh, migrated database, plus helpers to make accounts."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy.engine import Engine
from sqlmodel import Session

from api import migrate
from api.core.config import ApiSettings
from api.core.db import make_engine
from api.main import Extension, create_app
from api.roles import Role
from api.services import accounts
from tests.servers import serving

COMMUNE_A = "31684"  # Phường Mỹ Xuyên (Cần Thơ)
COMMUNE_B = "31471"  # another commune of Cần Thơ


@dataclass
class Api:
    url: str
    engine: Engine
    settings: ApiSettings
    tokens: dict[str, str] = field(default_factory=dict)

    def client(self, token: str | None = None, **headers: str) -> httpx.Client:
        auth = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers={**auth, **headers}, timeout=30)

    def account(self, role: Role, *communes: str, name: str | None = None, chat_id: str | None = None) -> str:
        with Session(self.engine) as session:
            account, token = accounts.create_account(
                session, name=name or f"{role.value} {len(self.tokens)}", role=role, communes=list(communes)
            )
            if chat_id:
                account.telegram_chat_id = chat_id
                session.add(account)
                session.commit()
        self.tokens[token] = role.value
        return token


@contextmanager
def running_api(
    database_url: str, extensions: list[Extension] | None = None, **settings: Any
) -> Iterator[Api]:
    migrate.upgrade(database_url)
    api_settings = ApiSettings(DATABASE_URL=database_url, **settings)
    engine = make_engine(database_url)
    app = create_app(api_settings, engine=engine, extensions=extensions)
    try:
        with serving(app) as url:
            yield Api(url=url, engine=engine, settings=api_settings)
    finally:
        engine.dispose()


def lead_body(key: str = "k1", commune: str = COMMUNE_A, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "applicant": "person",
        "answers": {
            "release_status": "completed",
            "has_certificate": "yes",
            "release_date": "2025-01",
            "purpose": "production",
            "amount": 50000000,
            "same_purpose_debt": "no",
        },
        "contact": {"name": "Nguyễn Văn A", "phone": "0912345678"},
        "commune_code": commune,
        "consent": {"police": True, "bank": True, "text_version": "2026-11-v1"},
        "channel": "telegram",
        "channel_user": "1001",
        "idempotency_key": key,
    }
    body.update(overrides)
    return body
