"""A referral sent by a family member (issue 17): `consent.on_behalf` is optional in POST /leads, and
the lead says `on_behalf` / `consent_pending`; a release date "unknown" is accepted and needs review."""

from __future__ import annotations

from api.roles import Role
from tests.console_harness import running_console, sign_in
from tests.harness import COMMUNE_A, Api, lead_body


def test_on_behalf_is_optional_and_carried(api: Api) -> None:
    intake = api.account(Role.INTAKE)
    officer = api.account(Role.COMMUNE_POLICE, COMMUNE_A)
    with api.client(intake) as client:
        plain = client.post("/api/v1/leads", json=lead_body("k1"))
        consent = {"police": True, "bank": False, "text_version": "v1", "on_behalf": True}
        family = client.post("/api/v1/leads", json=lead_body("k2", consent=consent))
    assert plain.status_code == 201 and family.status_code == 201, family.text
    assert plain.json()["on_behalf"] is False and plain.json()["consent_pending"] is False
    assert family.json()["on_behalf"] is True and family.json()["consent_pending"] is True
    with api.client(officer) as client:
        seen = client.get(f"/api/v1/leads/{family.json()['id']}")
    assert seen.status_code == 200
    assert seen.json()["on_behalf"] is True and seen.json()["consent_pending"] is True


def test_unknown_release_date_is_a_review_never_eligible(api: Api) -> None:
    intake = api.account(Role.INTAKE)
    body = lead_body("k3")
    body["answers"] = {**body["answers"], "release_date": "unknown"}
    with api.client(intake) as client:
        response = client.post("/api/v1/leads", json=body)
    assert response.status_code == 201, response.text
    screening = response.json()["screening"]
    assert screening["outcome"] == "needs_review"
    assert "release_date_unknown" in screening["reasons"]


def test_console_referral_page_says_a_family_member_sent_it(database_url: str) -> None:
    with running_console(database_url) as console:
        intake = console.account(Role.INTAKE)
        officer = console.account_id(console.account(Role.COMMUNE_POLICE, COMMUNE_A))
        consent = {"police": True, "bank": False, "text_version": "v1", "on_behalf": True}
        family = console.referral(intake, "k1", COMMUNE_A, consent=consent)
        plain = console.referral(intake, "k2", COMMUNE_A)
        client = sign_in(console, console.login_link(officer))
        page = client.get(f"/console/referrals/{family['id']}").text
        assert "Người nhà gửi giúp" in page and "chưa xác nhận" in page
        assert "Người nhà gửi giúp" not in client.get(f"/console/referrals/{plain['id']}").text
