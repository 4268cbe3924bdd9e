"""F2: the bot acting for a linked chat (`X-Acting-Chat`) does only what an officer does in the bot:
their own commune's referrals and their own obligations; never account administration, never a
province-wide read, whatever role the linked account has."""

from __future__ import annotations

from sqlmodel import Session, select

from api.models import OutboxMessage
from api.roles import Role
from tests.harness import COMMUNE_A, COMMUNE_B, Api, lead_body
from tests.security_helpers import escalate, post_lead

ADMIN_CHAT = "7001"
COORDINATOR_CHAT = "7002"
OFFICER_CHAT = "7003"


def test_an_intake_token_acting_for_a_linked_admin_chat_administers_nothing(api: Api) -> None:
    api.account(Role.ADMIN, chat_id=ADMIN_CHAT)
    intake = api.account(Role.INTAKE)
    post_lead(api, intake, "a1")
    with api.client(intake, **{"X-Acting-Chat": ADMIN_CHAT}) as as_admin:
        created = as_admin.post("/api/v1/accounts", json={"name": "mallory", "role": "admin"})
        assert created.status_code == 403, created.text
        assert "token" not in created.text
        assert as_admin.get("/api/v1/accounts").status_code == 403
        assert as_admin.post("/api/v1/accounts/1/revoke").status_code == 403
        assert as_admin.post("/api/v1/accounts/1/link-code").status_code == 403
        assert as_admin.get("/api/v1/admin/audit").status_code == 403
        assert as_admin.get("/api/v1/admin/deliveries").status_code == 403
        listed = as_admin.get("/api/v1/leads")
        assert listed.status_code == 403, listed.text
        assert as_admin.get("/api/v1/reports/targets", params={"year": 2026}).status_code == 403
        assert as_admin.get("/api/v1/obligations").status_code == 403
        exported = as_admin.get(
            "/api/v1/exports/monthly-list", params={"commune_code": COMMUNE_A, "month": "2026-11"}
        )
        assert exported.status_code == 403
        assert as_admin.post("/api/v1/webhooks", json={"url": "https://example.org/h"}).status_code == 403
        # Nor does the bot's own intake work change hands through the header.
        assert as_admin.post("/api/v1/leads", json=lead_body("a2")).status_code == 403


def test_an_intake_token_acting_for_a_coordinator_chat_reads_nothing_province_wide(api: Api) -> None:
    api.account(Role.COORDINATOR, chat_id=COORDINATOR_CHAT)
    intake = api.account(Role.INTAKE)
    post_lead(api, intake, "c1")
    post_lead(api, intake, "c2", commune=COMMUNE_B)
    with api.client(intake, **{"X-Acting-Chat": COORDINATOR_CHAT}) as as_coordinator:
        assert as_coordinator.get("/api/v1/leads").status_code == 403
        assert as_coordinator.get("/api/v1/reports/targets", params={"year": 2026}).status_code == 403
        assert as_coordinator.get("/api/v1/obligations").status_code == 403
        assert as_coordinator.get("/api/v1/me").json()["role"] == "coordinator"


def test_acting_for_a_coordinator_chat_opens_an_escalated_referral_only(api: Api) -> None:
    # The escalation message carries a button to view the referral: the bot reads it for the chat.
    api.account(Role.COORDINATOR, chat_id=COORDINATOR_CHAT)
    intake = api.account(Role.INTAKE)
    late = post_lead(api, intake, "late")
    on_time = post_lead(api, intake, "on-time")
    escalate(api, late)
    with api.client(intake, **{"X-Acting-Chat": COORDINATOR_CHAT}) as as_coordinator:
        read = as_coordinator.get(f"/api/v1/leads/{late}")
        assert read.status_code == 200, read.text
        assert read.json()["contact"]["phone"] == "0912345678"
        assert as_coordinator.get(f"/api/v1/leads/{on_time}").status_code == 404


def test_acting_for_an_officer_chat_works_their_own_communes_referrals(api: Api) -> None:
    api.account(Role.COMMUNE_POLICE, COMMUNE_A, chat_id=OFFICER_CHAT)
    intake = api.account(Role.INTAKE)
    mine = post_lead(api, intake, "o1")
    elsewhere = post_lead(api, intake, "o2", commune=COMMUNE_B)
    with api.client(intake, **{"X-Acting-Chat": OFFICER_CHAT}) as as_officer:
        assert as_officer.get(f"/api/v1/leads/{mine}").status_code == 200
        moved = as_officer.post(f"/api/v1/leads/{mine}/status", json={"status": "received"})
        assert moved.status_code == 200, moved.text
        assert as_officer.get(f"/api/v1/leads/{elsewhere}").status_code == 404
        assert as_officer.get("/api/v1/leads").status_code == 403  # the bot never lists for a chat
        assert as_officer.get(f"/api/v1/leads/{mine}/events").status_code == 403


def test_only_an_intake_token_may_act_and_only_for_a_linked_chat(api: Api) -> None:
    api.account(Role.COMMUNE_POLICE, COMMUNE_A, chat_id=OFFICER_CHAT)
    officer = api.account(Role.COMMUNE_POLICE, COMMUNE_B)
    with api.client(officer, **{"X-Acting-Chat": OFFICER_CHAT}) as client:
        assert client.get("/api/v1/me").status_code == 403
    with api.client(api.account(Role.INTAKE), **{"X-Acting-Chat": "404404"}) as client:
        assert client.get("/api/v1/me").status_code == 403


def test_admin_and_intake_accounts_are_not_linked_to_a_chat(api: Api) -> None:
    admin = api.account(Role.ADMIN)
    with api.client(admin) as client:
        for role in ("admin", "intake"):
            created = client.post("/api/v1/accounts", json={"name": f"another {role}", "role": role}).json()
            refused = client.post(f"/api/v1/accounts/{created['id']}/link-code")
            assert refused.status_code == 409, refused.text


def test_acting_for_a_chat_never_hands_the_bot_a_console_sign_in_link(api: Api) -> None:
    """Whoever holds the bot's token and knows an officer's chat id gets no console session: the
    link goes into the officer's own chat (outbox), and the answer carries no URL."""
    api.account(Role.COMMUNE_POLICE, COMMUNE_A, chat_id=OFFICER_CHAT)
    intake = api.account(Role.INTAKE)
    with api.client(intake, **{"X-Acting-Chat": OFFICER_CHAT}) as as_officer:
        answer = as_officer.post("/api/v1/me/login-link")
    assert answer.status_code == 200, answer.text
    assert answer.json()["url"] is None and answer.json()["sent_to_chat"] is True
    assert "/console/login/" not in answer.text
    with Session(api.engine) as session:
        sent = session.exec(select(OutboxMessage).where(OutboxMessage.purpose == "login_link")).all()
    assert [m.target for m in sent] == [OFFICER_CHAT]
    assert "/console/login/" in sent[0].payload["params"]["text"]
