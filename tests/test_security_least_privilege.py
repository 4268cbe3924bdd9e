"""Least privilege: the admin manages accounts, deliveries and the audit log and reads no referral's
personal data; the coordinator sees the province's figures and the personal data only of referrals
escalated to them (every such read audited); the consent text and the privacy answer say so."""

from __future__ import annotations

import pytest

from api.roles import Role
from bot.engine.flows.referral import CONSENT_VERSION
from content.catalog import get_content
from tests.bot_harness import bot_world
from tests.harness import COMMUNE_A, Api, lead_body
from tests.security_helpers import audit_rows, escalate, post_lead


def test_the_admin_reads_no_referral(api: Api) -> None:
    intake = api.account(Role.INTAKE)
    admin = api.account(Role.ADMIN)
    lead_id = post_lead(api, intake, "p1")
    with api.client(admin) as client:
        for path in (
            "/api/v1/leads",
            f"/api/v1/leads/{lead_id}",
            f"/api/v1/leads/{lead_id}/events",
            "/api/v1/people/telegram/1001/leads",
        ):
            answer = client.get(path)
            assert answer.status_code == 403, (path, answer.text)
            assert "0912345678" not in answer.text
        exported = client.get(
            "/api/v1/exports/monthly-list", params={"commune_code": COMMUNE_A, "month": "2026-11"}
        )
        assert exported.status_code == 403
        assert client.post("/api/v1/leads", json=lead_body("p1")).status_code == 403  # a replay shows contact
        assert client.post(f"/api/v1/leads/{lead_id}/status", json={"status": "received"}).status_code == 403
        assert client.delete("/api/v1/people/telegram/1001").status_code == 403
        followup = {
            "channel": "telegram",
            "channel_user": "1001",
            "kind": "after_release",
            "remind_on": "2027-01-04",
        }
        assert client.post("/api/v1/followups", json=followup).status_code == 403
        # What the admin is for still works.
        assert client.get("/api/v1/accounts").status_code == 200
        assert client.get("/api/v1/admin/audit").status_code == 200
        assert client.get("/api/v1/admin/deliveries").status_code == 200
    assert audit_rows(api, lead_id) == []


def test_the_coordinator_sees_figures_and_only_escalated_referrals(api: Api) -> None:
    intake = api.account(Role.INTAKE)
    coordinator = api.account(Role.COORDINATOR)
    late = post_lead(api, intake, "late")
    on_time = post_lead(api, intake, "on-time")
    escalate(api, late)
    with api.client(coordinator) as client:
        listed = client.get("/api/v1/leads").json()
        assert [lead["id"] for lead in listed["data"]] == [late]
        assert listed["count"] == 1
        assert client.get(f"/api/v1/leads/{on_time}").status_code == 404
        assert client.get(f"/api/v1/leads/{on_time}/events").status_code == 404
        read = client.get(f"/api/v1/leads/{late}")
        assert read.status_code == 200 and read.json()["contact"]["name"] == "Nguyễn Văn A"
        assert client.get(f"/api/v1/leads/{late}/events").status_code == 200
        exported = client.get(
            "/api/v1/exports/monthly-list", params={"commune_code": COMMUNE_A, "month": "2026-11"}
        )
        assert exported.status_code == 403  # the monthly list is every referral's personal data
        assert client.get("/api/v1/reports/targets", params={"year": 2026}).status_code == 200
        assert client.get("/api/v1/obligations", params={"period": "2026-11"}).status_code == 200
    assert [row.action for row in audit_rows(api, late)] == ["list", "read", "events"]
    assert audit_rows(api, on_time) == []


@pytest.mark.parametrize("lang", ["vi", "en", "km"])
def test_the_privacy_answer_names_the_coordinator_and_only_for_late_referrals(lang: str) -> None:
    answer = get_content().faq.topics["privacy"].answer.get(lang)
    words = {
        # issue 17: no "nobody else" promise; the administrator reads none
        "vi": ("điều phối", "không được tiếp nhận đúng hạn", "Quản trị viên không xem được"),
        "en": ("coordinator", "not answered in time", "administrator cannot see"),
        "km": ("សម្របសម្រួល", "ទាន់ពេល", "អ្នកគ្រប់គ្រងប្រព័ន្ធមិនអាចមើល"),
    }[lang]
    for word in words:
        assert word in answer, (lang, word)


async def test_the_consent_names_who_sees_a_referral_and_when(database_url: str) -> None:
    from tests.test_bot_referral import screened

    assert CONSENT_VERSION != "tg-consent-2026-11-v1"  # the words changed: a new version
    async with bot_world(database_url) as world:
        person = await screened(world)
        await person.press("Gửi yêu cầu")
        text = person.text
    assert "Công an xã/phường" in text and "Ngân hàng Chính sách" in text
    assert "điều phối" in text and "không được tiếp nhận đúng hạn" in text
    assert "Người quản trị hệ thống không xem được" in text and "không ai khác" not in text
