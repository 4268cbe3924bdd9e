"""F9: a revoked intake token gets nothing back from an idempotent replay. F13: every read of a
referral's personal data is audited — history (`/events`), idempotent replays, and the reads the
bot makes for an officer, which name the officer and the intake account they came through."""

from __future__ import annotations

from api.roles import Role
from tests.harness import COMMUNE_A, Api, lead_body
from tests.security_helpers import account_id, audit_rows, post_lead

OFFICER_CHAT = "7003"


def _bad_answers(key: str) -> dict[str, object]:
    body = lead_body(key)
    body["answers"] = {**body["answers"], "release_status": "not-a-choice"}  # type: ignore[dict-item]
    return body


def test_a_revoked_intake_token_reads_nothing_through_a_replay(api: Api) -> None:
    admin = api.account(Role.ADMIN)
    intake = api.account(Role.INTAKE)
    with api.client(intake) as bot:
        assert bot.post("/api/v1/leads", json=lead_body("r1")).status_code == 201  # the token is now cached
        with api.client(admin) as client:
            assert client.post(f"/api/v1/accounts/{account_id(api, intake)}/revoke").status_code == 200
        for body in (_bad_answers("r1"), lead_body("r1")):
            replay = bot.post("/api/v1/leads", json=body)
            assert replay.status_code == 401, replay.text
            assert "0912345678" not in replay.text


def test_replays_are_audited(api: Api) -> None:
    intake = api.account(Role.INTAKE)
    lead_id = post_lead(api, intake, "r2")
    assert audit_rows(api, lead_id) == []  # creating is not reading
    with api.client(intake) as bot:
        assert bot.post("/api/v1/leads", json=lead_body("r2")).status_code == 200
        assert bot.post("/api/v1/leads", json=_bad_answers("r2")).status_code == 200
    rows = audit_rows(api, lead_id)
    assert [(row.action, row.account_id) for row in rows] == [("replay", account_id(api, intake))] * 2


def test_reading_a_referrals_history_is_audited(api: Api) -> None:
    intake = api.account(Role.INTAKE)
    officer = api.account(Role.COMMUNE_POLICE, COMMUNE_A)
    lead_id = post_lead(api, intake, "r3")
    with api.client(officer) as client:
        assert client.get(f"/api/v1/leads/{lead_id}/events").status_code == 200
    assert [(row.action, row.account_id) for row in audit_rows(api, lead_id)] == [
        ("events", account_id(api, officer))
    ]


def test_reads_for_an_officer_name_the_officer_and_the_bot(api: Api) -> None:
    intake = api.account(Role.INTAKE)
    officer = api.account(Role.COMMUNE_POLICE, COMMUNE_A, chat_id=OFFICER_CHAT)
    admin = api.account(Role.ADMIN)
    lead_id = post_lead(api, intake, "r4")
    with api.client(intake, **{"X-Acting-Chat": OFFICER_CHAT}) as as_officer:
        assert as_officer.get(f"/api/v1/leads/{lead_id}").status_code == 200
        assert (
            as_officer.post(f"/api/v1/leads/{lead_id}/status", json={"status": "received"}).status_code == 200
        )
    officer_id, intake_id = account_id(api, officer), account_id(api, intake)
    assert [(r.action, r.account_id, r.via_account_id) for r in audit_rows(api, lead_id)] == [
        ("read", officer_id, intake_id),
        ("update", officer_id, intake_id),
    ]
    with api.client(admin) as client:
        log = client.get("/api/v1/admin/audit", params={"lead_id": lead_id}).json()["data"]
    assert {(e["account_id"], e["via_account_id"]) for e in log} == {(officer_id, intake_id)}
