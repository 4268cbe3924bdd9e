"""A business's referral (issue 18) through the real API over HTTP, a real database and the fake
Bot API: the bank of the commune where the plan is carried out sees it at once, the commune police
never; its own steps (received, plan confirmed by UBND xã, approved with an amount, disbursed,
declined); never on a Mẫu 01 list; a fixed line accepted for it and refused for a person."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from typing import Any

from openpyxl import load_workbook

from api.core.config import ApiSettings
from api.jobs.worker import worker_extension
from api.roles import Role
from content.discreet import forbidden_words_in
from tests.fakes.bot_api import FakeBotApi
from tests.harness import COMMUNE_A, COMMUNE_B, Api, lead_body, running_api
from tests.loop_helpers import decision
from tests.servers import serving
from tests.test_referral_scenario import wait_for

BANK_CHAT, POLICE_CHAT, OWNER_CHAT = "6101", "5101", "1101"
LANDLINE = "0299 3822 123"  # the former Sóc Trăng's area code


def business_body(key: str = "b1", commune: str = COMMUNE_A, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "applicant": "business",
        "answers": {
            "business_type": "household_business",
            "lawfully_operating": "yes",
            "total_workers": 10,
            "released_workers": 2,
            "workers_certified": "yes",
            "labour_contracts": "yes",
            "amount": 300_000_000,
            "same_purpose_debt": "no",
        },
        "contact": {
            "name": "Hộ kinh doanh Bánh Pía Năm Lợi",
            "phone": LANDLINE,
            "representative": "Trần Văn Lợi",
        },
        "commune_code": commune,
        "consent": {"bank": True, "text_version": "biz-2026-12-v1"},
        "channel": "telegram",
        "channel_user": OWNER_CHAT,
        "idempotency_key": key,
    }
    body.update(overrides)
    return body


def _month() -> str:
    return (datetime.now(UTC) + timedelta(hours=7)).strftime("%Y-%m")


def test_a_business_lead_goes_to_the_bank_at_once_never_to_the_police(api: Api) -> None:
    intake = api.account(Role.INTAKE)
    police = api.account(Role.COMMUNE_POLICE, COMMUNE_A)
    bank = api.account(Role.BANK, COMMUNE_A)
    other_bank = api.account(Role.BANK, COMMUNE_B)
    with api.client(intake) as client:
        response = client.post("/api/v1/leads", json=business_body())
        person = client.post("/api/v1/leads", json=lead_body("p1"))
    assert response.status_code == 201, response.text
    lead = response.json()
    assert lead["applicant"] == "business"
    assert lead["consent"]["police"] is False
    assert lead["contact"]["phone"] == "02993822123"
    assert lead["contact"]["representative"] == "Trần Văn Lợi"
    assert "collateral_required" in lead["screening"]["notes"]
    assert person.status_code == 201

    with api.client(bank) as client:
        seen = client.get("/api/v1/leads").json()
        assert [item["id"] for item in seen["data"]] == [
            lead["id"]
        ]  # at once; the person's is not listed yet
        one = client.get(f"/api/v1/leads/{lead['id']}").json()
        assert one["next_statuses"][0] == "received"
    with api.client(other_bank) as client:
        assert client.get(f"/api/v1/leads/{lead['id']}").status_code == 404
    with api.client(police) as client:
        seen = client.get("/api/v1/leads").json()
        assert lead["id"] not in [item["id"] for item in seen["data"]]
        assert client.get(f"/api/v1/leads/{lead['id']}").status_code == 404
        assert (
            client.post(f"/api/v1/leads/{lead['id']}/status", json={"status": "received"}).status_code == 404
        )


def test_a_business_lead_needs_the_banks_consent_not_the_polices(api: Api) -> None:
    intake = api.account(Role.INTAKE)
    with api.client(intake) as client:
        refused = client.post(
            "/api/v1/leads", json=business_body(consent={"police": True, "bank": False, "text_version": "v"})
        )
        with_police = client.post(
            "/api/v1/leads",
            json=business_body("b2", consent={"police": False, "bank": True, "text_version": "v"}),
        )
    assert refused.status_code == 422
    assert any(d["field"].endswith("consent.bank") for d in refused.json()["error"]["details"])
    assert with_police.status_code == 201, with_police.text


def test_a_landline_is_accepted_for_a_business_and_refused_for_a_person(api: Api) -> None:
    intake = api.account(Role.INTAKE)
    with api.client(intake) as client:
        business = client.post(
            "/api/v1/leads", json=business_body(contact={"name": "HTX Lúa Sạch", "phone": "+84 292 3812 345"})
        )
        person = client.post(
            "/api/v1/leads", json=lead_body("p2", contact={"name": "Nguyễn Văn A", "phone": LANDLINE})
        )
        mobile_business = client.post(
            "/api/v1/leads",
            json=business_body("b3", contact={"name": "HTX Lúa Sạch", "phone": "0912 345 678"}),
        )
    assert business.status_code == 201, business.text
    assert business.json()["contact"]["phone"] == "02923812345"
    assert person.status_code == 422
    assert any(d["field"].endswith("contact.phone") for d in person.json()["error"]["details"])
    assert mobile_business.status_code == 201


def test_a_business_follows_its_own_steps_and_never_reaches_a_monthly_list(api: Api) -> None:
    intake = api.account(Role.INTAKE)
    police = api.account(Role.COMMUNE_POLICE, COMMUNE_A)
    bank = api.account(Role.BANK, COMMUNE_A)
    with api.client(intake) as client:
        lead = client.post("/api/v1/leads", json=business_body()).json()
        person = client.post("/api/v1/leads", json=lead_body("p3")).json()
    with api.client(police) as client:
        for status in ("received", "listed"):
            assert (
                client.post(f"/api/v1/leads/{person['id']}/status", json={"status": status}).status_code
                == 200
            )
    url = f"/api/v1/leads/{lead['id']}/status"
    with api.client(bank) as client:
        # The person's path is not the business's: no monthly list for it.
        assert client.post(url, json={"status": "listed"}).status_code == 403
        assert client.post(url, json={"status": "received"}).status_code == 200
        assert client.post(url, json={"status": "approved", "amount": 1}).status_code == 409  # plan first
        step = client.post(url, json={"status": "plan_confirmed"})
        assert step.status_code == 200, step.text
        assert step.json()["next_statuses"][0] == "approved"
        # The cap: min(2 billion; 100 million × 10 workers) = 1 billion.
        assert client.post(url, json={"status": "approved", "amount": 1_000_000_001}).status_code == 422
        assert client.post(url, json=decision(client, lead["id"], "approved", 300_000_000)).status_code == 200
        done = client.post(url, json=decision(client, lead["id"], "disbursed", 300_000_000))
        assert done.status_code == 200, done.text
        assert done.json()["status"] == "disbursed"
        steps = [e["to_status"] for e in client.get(f"/api/v1/leads/{lead['id']}/events").json()["data"]]
    assert steps == ["new", "received", "plan_confirmed", "approved", "disbursed"]
    with api.client(police) as client:
        export = client.get(
            "/api/v1/exports/monthly-list", params={"commune_code": COMMUNE_A, "month": _month()}
        )
        csv = client.get(
            "/api/v1/exports/monthly-list",
            params={"commune_code": COMMUNE_A, "month": _month(), "format": "csv"},
        )
    assert export.status_code == 200, export.text
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet is not None
    cells = " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None)
    assert "Nguyễn Văn A" in cells
    assert "Bánh Pía" not in cells and "Bánh Pía" not in csv.content.decode("utf-8-sig")


def test_a_business_is_declined_with_a_reason_by_the_bank(api: Api) -> None:
    intake = api.account(Role.INTAKE)
    bank = api.account(Role.BANK, COMMUNE_A)
    with api.client(intake) as client:
        lead = client.post("/api/v1/leads", json=business_body()).json()
    with api.client(bank) as client:
        url = f"/api/v1/leads/{lead['id']}/status"
        assert client.post(url, json={"status": "declined"}).status_code == 422
        declined = client.post(url, json={"status": "declined", "reason": "bank_refused"})
    assert declined.status_code == 200
    assert declined.json()["decline_reason"] == "bank_refused"


def test_the_bank_chat_hears_a_new_business_at_once_and_the_business_its_steps(database_url: str) -> None:
    fake = FakeBotApi()
    with serving(fake.app) as bot_url:
        settings = {"TELEGRAM_BOT_TOKEN": "123:ABC", "TELEGRAM_API_BASE_URL": f"{bot_url}/bot"}
        extension = worker_extension(ApiSettings(DATABASE_URL=database_url, **settings))
        with running_api(database_url, extensions=[extension], **settings) as api:
            intake = api.account(Role.INTAKE)
            api.account(Role.COMMUNE_POLICE, COMMUNE_A, chat_id=POLICE_CHAT)
            bank = api.account(Role.BANK, COMMUNE_A, chat_id=BANK_CHAT)
            with api.client(intake) as client:
                lead = client.post("/api/v1/leads", json=business_body()).json()
            message = wait_for(lambda: fake.sent(chat_id=BANK_CHAT))[0]
            assert lead["reference"] in str(message["text"])
            assert "Bánh Pía" not in str(message["text"])  # no personal data in the chat message
            buttons = message["reply_markup"]["inline_keyboard"]  # type: ignore[index]
            assert [b["callback_data"] for row in buttons for b in row] == [
                f"ld|{lead['id']}|view",
                f"ld|{lead['id']}|received",
                f"ld|{lead['id']}|declined",
            ]
            # The bank acts through the bot, on behalf of its linked chat.
            with api.client(intake, **{"X-Acting-Chat": BANK_CHAT}) as as_bank:
                url = f"/api/v1/leads/{lead['id']}/status"
                assert as_bank.post(url, json={"status": "received"}).status_code == 200
                assert as_bank.post(url, json={"status": "plan_confirmed"}).status_code == 200
            updates = wait_for(lambda: [m for m in fake.sent(chat_id=OWNER_CHAT) if "02" in str(m["text"])])
            for update in fake.sent(chat_id=OWNER_CHAT):
                assert lead["reference"] in str(update["text"])
                assert forbidden_words_in(str(update["text"])) == []
            assert updates
            assert fake.sent(chat_id=POLICE_CHAT) == []  # the commune police never hear of it
            with api.client(bank) as client:
                assert client.get("/api/v1/leads").json()["count"] == 1
