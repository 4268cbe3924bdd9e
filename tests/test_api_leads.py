"""Leads through the real API over HTTP: intake, validation, idempotency, scopes, lifecycle, audit."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlmodel import Session, select

from api.models import AuditEntry
from api.roles import Role
from tests.harness import COMMUNE_A, COMMUNE_B, Api, lead_body
from tests.loop_helpers import decision


def test_lead_is_created_with_the_apis_own_screening(api: Api) -> None:
    intake = api.account(Role.INTAKE)
    with api.client(intake) as client:
        response = client.post("/api/v1/leads", json=lead_body())
    assert response.status_code == 201, response.text
    lead = response.json()
    assert lead["status"] == "new"
    assert lead["commune_code"] == COMMUNE_A
    assert lead["screening"]["outcome"] == "likely_eligible"
    assert lead["screening"]["max_amount"] == 100_000_000
    assert lead["reference"].startswith("BM-")
    assert lead["contact"]["phone"] == "0912345678"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"consent": {"police": False, "bank": True, "text_version": "v1"}}, "consent.police"),
        ({"commune_code": "99999999"}, "commune_code"),
        ({"contact": {"name": "A", "phone": "12345"}}, "contact.phone"),
        ({"contact": {"name": "A", "phone": "0212345678"}}, "contact.phone"),
        ({"applicant": "robot"}, "applicant"),
    ],
)
def test_invalid_bodies_are_422_naming_the_field(api: Api, change: dict[str, object], field: str) -> None:
    intake = api.account(Role.INTAKE)
    with api.client(intake) as client:
        response = client.post("/api/v1/leads", json=lead_body(**change))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert any(d["field"].endswith(field) for d in error["details"]), error


def test_invalid_answers_are_422_in_plain_words(api: Api) -> None:
    intake = api.account(Role.INTAKE)
    answers = {
        "release_status": "completed",
        "has_certificate": "yes",
        "release_date": "2025-13",
        "purpose": "production",
        "same_purpose_debt": "no",
    }
    with api.client(intake) as client:
        response = client.post("/api/v1/leads", json=lead_body(answers=answers))
    assert response.status_code == 422
    assert "release_date" in response.json()["error"]["message"]


def test_phone_forms_people_write_are_accepted(api: Api) -> None:
    intake = api.account(Role.INTAKE)
    with api.client(intake) as client:
        response = client.post(
            "/api/v1/leads", json=lead_body(contact={"name": "  Trần   Thị B ", "phone": "+84 912.345.678"})
        )
    assert response.status_code == 201
    assert response.json()["contact"] == {
        "name": "Trần Thị B",
        "phone": "0912345678",
        "birth_year": None,
        "gender": None,
        "address": None,
        "representative": None,
    }


def test_same_idempotency_key_returns_the_same_lead_even_concurrently(api: Api) -> None:
    intake = api.account(Role.INTAKE)

    def post(_: int) -> tuple[int, str]:
        with api.client(intake) as client:
            response = client.post("/api/v1/leads", json=lead_body("same-key"))
            return response.status_code, response.json()["id"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(post, range(16)))
    assert {status for status, _ in results} <= {200, 201}
    assert sorted(status for status, _ in results).count(201) == 1
    assert len({lead_id for _, lead_id in results}) == 1
    with api.client(intake) as client:
        assert client.get("/api/v1/leads").json()["count"] == 1


def test_auth_errors(api: Api) -> None:
    agency = api.account(Role.AGENCY)
    with api.client() as client:
        assert client.get("/api/v1/leads").status_code == 401
    with api.client("bm_not_a_real_token") as client:
        assert client.get("/api/v1/leads").status_code == 401
    with api.client(agency) as client:
        assert client.get("/api/v1/leads").status_code == 403
        assert client.post("/api/v1/leads", json=lead_body()).status_code == 403


def test_officer_sees_only_own_commune(api: Api) -> None:
    intake = api.account(Role.INTAKE)
    officer_a = api.account(Role.COMMUNE_POLICE, COMMUNE_A)
    officer_b = api.account(Role.COMMUNE_POLICE, COMMUNE_B)
    with api.client(intake) as client:
        lead = client.post("/api/v1/leads", json=lead_body()).json()
    with api.client(officer_a) as client:
        assert client.get(f"/api/v1/leads/{lead['id']}").status_code == 200
        assert client.get("/api/v1/leads").json()["count"] == 1
    with api.client(officer_b) as client:
        assert client.get(f"/api/v1/leads/{lead['id']}").status_code == 404
        listing = client.get("/api/v1/leads").json()
        assert listing == {"data": [], "count": 0}
        assert (
            client.post(f"/api/v1/leads/{lead['id']}/status", json={"status": "received"}).status_code == 404
        )


def test_bank_sees_a_lead_only_once_listed_and_only_with_consent(api: Api) -> None:
    intake = api.account(Role.INTAKE)
    officer = api.account(Role.COMMUNE_POLICE, COMMUNE_A)
    bank = api.account(Role.BANK, COMMUNE_A, COMMUNE_B)
    with api.client(intake) as client:
        with_consent = client.post("/api/v1/leads", json=lead_body("a")).json()
        without = client.post(
            "/api/v1/leads",
            json=lead_body("b", consent={"police": True, "bank": False, "text_version": "v1"}),
        ).json()
    with api.client(bank) as client:
        assert client.get("/api/v1/leads").json()["count"] == 0
    with api.client(officer) as client:
        for lead in (with_consent, without):
            for status in ("received", "listed"):
                response = client.post(f"/api/v1/leads/{lead['id']}/status", json={"status": status})
                assert response.status_code == 200, response.text
    with api.client(bank) as client:
        listing = client.get("/api/v1/leads").json()
        assert [lead["id"] for lead in listing["data"]] == [with_consent["id"]]
        assert client.get(f"/api/v1/leads/{without['id']}").status_code == 404


def test_lifecycle_rules(api: Api) -> None:
    intake = api.account(Role.INTAKE)
    officer = api.account(Role.COMMUNE_POLICE, COMMUNE_A)
    bank = api.account(Role.BANK, COMMUNE_A)
    with api.client(intake) as client:
        lead_id = client.post("/api/v1/leads", json=lead_body()).json()["id"]
    path = f"/api/v1/leads/{lead_id}/status"
    with api.client(officer) as police, api.client(bank) as banker:
        assert police.post(path, json={"status": "disbursed"}).status_code == 403
        assert police.post(path, json={"status": "listed"}).status_code == 409  # no skipping
        assert banker.post(path, json={"status": "received"}).status_code == 404  # not listed yet
        # The officer may also record that the person withdrew (they told the officer).
        assert police.post(path, json={"status": "received"}).json()["next_statuses"] == [
            "contacted",
            "listed",
            "declined",
            "withdrawn",
        ]
        assert police.post(path, json={"status": "listed"}).status_code == 200
        assert banker.post(path, json={"status": "disbursed"}).status_code == 409
        assert banker.post(path, json={"status": "sent_to_bank"}).status_code == 200
        assert banker.post(path, json={"status": "approved"}).status_code == 422  # amount required
        assert banker.post(path, json=decision(banker, lead_id, "approved")).status_code == 200
        assert banker.post(path, json={"status": "declined"}).status_code == 422  # reason required
        assert banker.post(path, json={"status": "declined", "reason": "nope"}).status_code == 422
        assert banker.post(path, json=decision(banker, lead_id, "disbursed")).status_code == 200
        assert banker.post(path, json={"status": "declined", "reason": "other"}).status_code == 409  # closed
        history = police.get(f"/api/v1/leads/{lead_id}/events").json()
    assert [e["to_status"] for e in history["data"]] == [
        "new",
        "received",
        "listed",
        "sent_to_bank",
        "approved",
        "disbursed",
    ]
    assert history["count"] == 6


def test_decline_records_reason_and_note(api: Api) -> None:
    intake = api.account(Role.INTAKE)
    officer = api.account(Role.COMMUNE_POLICE, COMMUNE_A)
    with api.client(intake) as client:
        lead_id = client.post("/api/v1/leads", json=lead_body()).json()["id"]
    with api.client(officer) as client:
        response = client.post(
            f"/api/v1/leads/{lead_id}/status",
            json={"status": "declined", "reason": "not_resident", "note": "chuyển đi"},
        )
        assert response.json()["decline_reason"] == "not_resident"
        event = client.get(f"/api/v1/leads/{lead_id}/events").json()["data"][-1]
    assert (event["reason"], event["note"], event["from_status"]) == ("not_resident", "chuyển đi", "new")


def test_reads_are_audited_and_admin_can_see_the_log(api: Api) -> None:
    intake = api.account(Role.INTAKE)
    officer = api.account(Role.COMMUNE_POLICE, COMMUNE_A)
    admin = api.account(Role.ADMIN)
    with api.client(intake) as client:
        lead_id = client.post("/api/v1/leads", json=lead_body()).json()["id"]
    with api.client(officer) as client:
        client.get(f"/api/v1/leads/{lead_id}")
        client.get("/api/v1/leads")
    with api.client(officer) as client:
        assert client.get("/api/v1/admin/audit").status_code == 403
    with api.client(admin) as client:
        log = client.get("/api/v1/admin/audit", params={"lead_id": lead_id}).json()
    actions = sorted(entry["action"] for entry in log["data"])
    assert actions == ["list", "read"]


def test_person_can_see_and_erase_their_data(api: Api) -> None:
    intake = api.account(Role.INTAKE)
    officer = api.account(Role.COMMUNE_POLICE, COMMUNE_A)
    with api.client(intake) as client:
        lead_id = client.post("/api/v1/leads", json=lead_body()).json()["id"]
        mine = client.get("/api/v1/people/telegram/1001/leads").json()
        assert mine["count"] == 1
        assert client.delete("/api/v1/people/telegram/1001").json() == {"erased": 1}
        assert client.get("/api/v1/people/telegram/1001/leads").json()["count"] == 0
    with api.client(officer) as client:
        lead = client.get(f"/api/v1/leads/{lead_id}").json()
    assert lead["status"] == "withdrawn"
    assert lead["contact"] is None
    assert lead["answers"] == {}
    assert lead["anonymised"] is True


def test_large_pages_asked_at_once_all_answer_in_full(api: Api) -> None:
    # Large pages are built one at a time (memory); the others wait, and nothing is lost.
    intake = api.account(Role.INTAKE)
    with api.client(intake) as client:
        created = [client.post("/api/v1/leads", json=lead_body(f"page-{n}")).json() for n in range(120)]
        one_page = client.get("/api/v1/leads", params={"limit": 500}).json()

    def page(_: int) -> dict[str, object]:
        with api.client(intake) as client:
            response = client.get("/api/v1/leads", params={"limit": 500})
            assert response.status_code == 200 and response.headers["content-type"] == "application/json"
            return response.json()  # type: ignore[no-any-return]

    with ThreadPoolExecutor(max_workers=4) as pool:
        pages = list(pool.map(page, range(4)))
    assert one_page["count"] == 120
    assert {lead["id"] for lead in one_page["data"]} == {lead["id"] for lead in created}
    assert all(got == one_page for got in pages)
    assert one_page["data"][0] == next(lead for lead in created if lead["id"] == one_page["data"][0]["id"])
    # Read in windows, the same leads in the same order (the rows come a batch at a time).
    with api.client(intake) as client:
        windows = [
            client.get("/api/v1/leads", params={"limit": 7, "offset": start}).json()
            for start in range(0, 120, 7)
        ]
    assert [lead for window in windows for lead in window["data"]] == one_page["data"]
    assert {window["count"] for window in windows} == {120}
    # Every lead of every page read is in the audit log, once per read.
    with Session(api.engine) as session:
        listed = session.exec(select(AuditEntry.lead_id).where(AuditEntry.action == "list")).all()
    assert Counter(listed) == {lead["id"]: 6 for lead in created}
