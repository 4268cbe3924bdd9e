"""Accounts: the command line, admin routes, link codes, webhooks registration, communes lookup."""

from __future__ import annotations

from sqlmodel import Session, col, select

from api import migrate
from api.core.db import make_engine
from api.models import AuditEntry
from api.roles import Role
from tests.cli import run_cli
from tests.harness import COMMUNE_A, Api


def test_accounts_create_prints_the_token_once_on_the_last_line(database_url: str) -> None:
    migrate.upgrade(database_url)
    env = {"DATABASE_URL": database_url}
    result = run_cli(
        "accounts",
        "create",
        "--role",
        "commune_police",
        "--commune",
        COMMUNE_A,
        "--name",
        "Công an phường Mỹ Xuyên",
        env=env,
    )
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip().splitlines()[-1]
    assert token.startswith("bm_") and len(token) > 30
    bad = run_cli("accounts", "create", "--role", "commune_police", "--name", "x", env=env)
    assert bad.returncode == 2
    assert "exactly one commune" in bad.stderr
    unknown = run_cli("accounts", "create", "--role", "bank", "--commune", "123456", "--name", "x", env=env)
    assert unknown.returncode == 2
    assert "unknown commune" in unknown.stderr


def test_token_works_until_revoked(api: Api) -> None:
    admin = api.account(Role.ADMIN)
    with api.client(admin) as client:
        created = client.post("/api/v1/accounts", json={"name": "PC10", "role": "coordinator"})
        assert created.status_code == 201
        token, account_id = created.json()["token"], created.json()["id"]
        with api.client(token) as coordinator:
            assert coordinator.get("/api/v1/leads").status_code == 200
            assert client.post(f"/api/v1/accounts/{account_id}/revoke").status_code == 200
            assert coordinator.get("/api/v1/leads").status_code == 401
        bad = client.post("/api/v1/accounts", json={"name": "x", "role": "bank", "communes": []})
        assert bad.status_code == 422


def test_link_code_is_single_use_and_only_for_the_bot(api: Api) -> None:
    admin = api.account(Role.ADMIN)
    officer = api.account(Role.COMMUNE_POLICE, COMMUNE_A)
    intake = api.account(Role.INTAKE)
    with api.client(admin) as client:
        officer_id = next(
            a["id"] for a in client.get("/api/v1/accounts").json() if a["role"] == "commune_police"
        )
        code = client.post(f"/api/v1/accounts/{officer_id}/link-code").json()["code"]
    with api.client(officer) as client:
        assert client.post("/api/v1/telegram/link", json={"code": code, "chat_id": "77"}).status_code == 403
    with api.client(intake) as client:
        assert (
            client.post("/api/v1/telegram/link", json={"code": "WRONG123", "chat_id": "77"}).status_code
            == 404
        )
        assert client.post("/api/v1/telegram/link", json={"code": code, "chat_id": "77"}).status_code == 200
        assert client.post("/api/v1/telegram/link", json={"code": code, "chat_id": "77"}).status_code == 404
    with api.client(intake, **{"X-Acting-Chat": "77"}) as client:
        assert client.get("/api/v1/me").json()["role"] == "commune_police"
    with api.client(intake, **{"X-Acting-Chat": "78"}) as client:
        assert client.get("/api/v1/me").status_code == 403
    with api.client(officer, **{"X-Acting-Chat": "77"}) as client:
        assert client.get("/api/v1/me").status_code == 403  # only the bot may act for a chat


def test_webhook_registration(api: Api) -> None:
    agency = api.account(Role.AGENCY)
    intake = api.account(Role.INTAKE)
    with api.client(agency) as client:
        created = client.post("/api/v1/webhooks", json={"url": "https://agency.example/hook"})
        assert created.status_code == 201
        assert len(created.json()["secret"]) == 64
        assert client.get("/api/v1/webhooks").json()["count"] == 1
        assert client.post("/api/v1/webhooks", json={"url": "not a url"}).status_code == 422
        assert client.delete(f"/api/v1/webhooks/{created.json()['id']}").status_code == 204
    with api.client(intake) as client:
        assert client.post("/api/v1/webhooks", json={"url": "https://x.example"}).status_code == 403


def test_communes_resolve_and_contacts(api: Api) -> None:
    intake = api.account(Role.INTAKE)
    with api.client(intake) as client:
        found = client.get("/api/v1/communes/resolve", params={"q": "xa dai tam my xuyen"}).json()
        assert found["count"] >= 1
        code = found["data"][0]["code"]
        detail = client.get(f"/api/v1/communes/{code}").json()
        assert detail["province_code"] == 92
        assert detail["contacts"][0]["kind"] == "police"
        assert client.get("/api/v1/communes/resolve", params={"q": "abc xyz"}).json() == {
            "data": [],
            "count": 0,
        }
        assert client.get("/api/v1/communes/99999").status_code == 404


def test_leads_outside_the_province_are_refused(api: Api) -> None:
    from tests.harness import lead_body

    intake = api.account(Role.INTAKE)
    with api.client(intake) as client:
        response = client.post("/api/v1/leads", json=lead_body(commune_code="00004"))  # Hà Nội
    assert response.status_code == 422
    assert "province" in response.json()["error"]["message"]


def test_failed_deliveries_are_visible_to_admins_and_can_be_retried(api: Api) -> None:
    from sqlmodel import Session

    from api.models import OutboxMessage

    admin = api.account(Role.ADMIN)
    officer = api.account(Role.COMMUNE_POLICE, COMMUNE_A)
    with Session(api.engine) as session:
        row = OutboxMessage(
            kind="telegram",
            target="5",
            payload={},
            dedupe_key="x",
            purpose="lead_new",
            status="dead",
            attempts=15,
            last_error="403 Forbidden: bot was blocked by the user",
        )
        session.add(row)
        session.commit()
        row_id = row.id
    with api.client(officer) as client:
        assert client.get("/api/v1/admin/deliveries").status_code == 403
    with api.client(admin) as client:
        dead = client.get("/api/v1/admin/deliveries").json()
        assert dead["count"] == 1
        assert dead["data"][0]["last_error"].startswith("403")
        retried = client.post(f"/api/v1/admin/deliveries/{row_id}/retry").json()
        assert (retried["status"], retried["attempts"]) == ("pending", 0)
        assert client.get("/api/v1/admin/deliveries").json()["count"] == 0


def test_creating_and_revoking_accounts_is_audited_without_secrets(api: Api) -> None:
    """Who, what, when, how, for the admin API; no token or hint in the log."""
    admin = api.account(Role.ADMIN, name="Quản trị")
    with api.client(admin) as client:
        admin_id = int(client.get("/api/v1/me").json()["id"])
        created = client.post(
            "/api/v1/accounts", json={"name": "CA phường", "role": "commune_police", "communes": [COMMUNE_A]}
        ).json()
        token, account_id = created["token"], int(created["id"])
        assert client.post(f"/api/v1/accounts/{account_id}/revoke").status_code == 200
        assert client.post(f"/api/v1/accounts/{account_id}/revoke").status_code == 200  # no second entry
        log = client.get("/api/v1/admin/audit", params={"account_id": admin_id}).json()
    entries = [e for e in log["data"] if e["subject_account_id"] == account_id]
    assert [(e["action"], e["account_id"], e["details"]) for e in reversed(entries)] == [
        ("account_create", admin_id, {"via": "api", "role": "commune_police"}),
        ("account_revoke", admin_id, {"via": "api", "role": "commune_police"}),
    ]
    assert all(e["at"] for e in entries)
    assert token not in str(log) and token[:7] not in str(log)


def test_the_command_line_audits_accounts_it_creates_and_revokes(database_url: str) -> None:
    migrate.upgrade(database_url)
    env = {"DATABASE_URL": database_url}
    made = run_cli("accounts", "create", "--role", "coordinator", "--name", "PC10", env=env)
    assert made.returncode == 0, made.stderr
    account_id = int(made.stdout.split()[1])
    token = made.stdout.strip().splitlines()[-1]
    assert run_cli("accounts", "revoke", str(account_id), env=env).returncode == 0
    again = run_cli("accounts", "revoke", str(account_id), env=env)
    assert again.returncode == 0 and "already revoked" in again.stdout
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            rows = session.exec(
                select(AuditEntry)
                .where(AuditEntry.subject_account_id == account_id)
                .order_by(col(AuditEntry.id))
            ).all()
    finally:
        engine.dispose()
    # No account is signed in on the server's command line: `account_id` is empty, `via` says how.
    assert [(r.action, r.account_id, r.details) for r in rows] == [
        ("account_create", None, {"via": "cli", "role": "coordinator"}),
        ("account_revoke", None, {"via": "cli", "role": "coordinator"}),
    ]
    assert all(token not in str(r.details) for r in rows)
