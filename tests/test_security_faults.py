"""Faults of the database seen from outside: a read-only database makes /healthz answer 503 (not
`database: ok`), and the errors it causes are logged without any personal data."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url

from api import migrate
from api.core.config import ApiSettings
from api.core.db import make_engine
from api.main import create_app
from api.roles import Role
from buocmoi.logs import JsonFormatter
from tests.harness import Api, lead_body
from tests.servers import serving


def _read_only_engine(database_url: str) -> Engine:
    """An engine on the same database whose connections may read but not write."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return make_engine(f"sqlite:///file:{url.database}?mode=ro&uri=true")
    admin = make_engine(database_url)
    with admin.connect() as conn:
        conn.execute(text(f'ALTER DATABASE "{url.database}" SET default_transaction_read_only = on'))
        conn.commit()
    admin.dispose()
    return make_engine(database_url)


def test_healthz_answers_503_when_the_database_refuses_writes(database_url: str) -> None:
    migrate.upgrade(database_url)
    writable = make_engine(database_url)
    with writable.connect() as conn:  # WAL files stay while one connection is open
        engine = _read_only_engine(database_url)
        app = create_app(ApiSettings(DATABASE_URL=database_url), engine=engine)
        with serving(app) as url:
            health = httpx.get(f"{url}/healthz", timeout=30)
            communes = httpx.get(f"{url}/api/v1/communes/resolve", params={"q": "x"}, timeout=30)
        engine.dispose()
        conn.close()
    writable.dispose()
    assert health.status_code == 503, health.text
    assert "write" in health.json()["error"]["message"]
    assert communes.status_code == 401  # the service itself still answers


@contextmanager
def captured_logs() -> Iterator[io.StringIO]:
    """The service's real log output (the JSON lines `buocmoi serve` writes), captured."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


NAME, PHONE, AMOUNT = "Phạm Thị Bímật", "0987654321", 12_345_678


def _refuse_new_leads(api: Api) -> None:
    """The lead table refuses inserts, as a read-only or full database would."""
    with api.engine.begin() as conn:
        if api.engine.dialect.name == "sqlite":
            conn.execute(
                text(
                    "CREATE TRIGGER no_leads BEFORE INSERT ON lead "
                    "BEGIN SELECT RAISE(ABORT, 'attempt to write a readonly database'); END"
                )
            )
        else:
            conn.execute(
                text(
                    "CREATE FUNCTION no_leads() RETURNS trigger LANGUAGE plpgsql AS "
                    "$$ BEGIN RAISE EXCEPTION 'cannot execute INSERT in a read-only transaction'; END $$"
                )
            )
            conn.execute(text("CREATE TRIGGER no_leads BEFORE INSERT ON lead EXECUTE FUNCTION no_leads()"))


def test_database_errors_are_logged_without_personal_data(api: Api) -> None:
    intake = api.account(Role.INTAKE)
    _refuse_new_leads(api)
    body = lead_body("secret", contact={"name": NAME, "phone": PHONE, "address": "12 ngõ Bímật"})
    body["answers"] = {**body["answers"], "amount": AMOUNT}
    with captured_logs() as logs, api.client(intake) as client:
        response = client.post("/api/v1/leads", json=body)
    assert response.status_code == 500
    assert response.json()["error"]["message"] == "internal error"
    output = logs.getvalue()
    entries = [json.loads(line) for line in output.splitlines()]
    assert any(e.get("error_type") for e in entries), output  # the error is logged ...
    for secret in (NAME, PHONE, "Bímật", str(AMOUNT), "0912345678"):
        assert secret not in output  # ... without what the person sent
