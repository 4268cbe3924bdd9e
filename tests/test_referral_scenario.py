"""The whole referral path, as one story, through real HTTP everywhere:

a lead is posted → the linked commune officer gets a Telegram message (local fake Bot API) → the
officer marks it received through the API → the person gets a discreet update → the officer marks it
listed → the monthly XLSX contains it → the bank's token sees it.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from openpyxl import load_workbook

from api.jobs.worker import worker_extension
from api.roles import Role
from content.discreet import forbidden_words_in
from tests.fakes.bot_api import FakeBotApi
from tests.harness import COMMUNE_A, lead_body, running_api
from tests.servers import serving

OFFICER_CHAT, BANK_CHAT, PERSON_CHAT = "5001", "6001", "1001"


def wait_for(check: Callable[[], list[dict[str, object]]], timeout: float = 15) -> list[dict[str, object]]:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        found = check()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError("nothing arrived in time")


def test_lead_to_officer_to_person_to_list_to_bank(database_url: str) -> None:
    fake = FakeBotApi()
    with serving(fake.app) as bot_url:
        settings = {"TELEGRAM_BOT_TOKEN": "123:ABC", "TELEGRAM_API_BASE_URL": f"{bot_url}/bot"}
        from api.core.config import ApiSettings

        extension = worker_extension(ApiSettings(DATABASE_URL=database_url, **settings))
        with running_api(database_url, extensions=[extension], **settings) as api:
            admin = api.account(Role.ADMIN)
            intake = api.account(Role.INTAKE)
            officer = api.account(Role.COMMUNE_POLICE, COMMUNE_A, name="CA phường Mỹ Xuyên")
            bank = api.account(Role.BANK, COMMUNE_A, name="PGD NHCSXH Mỹ Xuyên", chat_id=BANK_CHAT)

            # The admin issues a one-time code; the bot passes on "/canbo CODE" from the officer's chat.
            with api.client(admin) as client:
                officer_id = next(
                    a["id"] for a in client.get("/api/v1/accounts").json() if a["role"] == "commune_police"
                )
                code = client.post(f"/api/v1/accounts/{officer_id}/link-code").json()["code"]
            with api.client(intake) as client:
                linked = client.post(
                    "/api/v1/telegram/link", json={"code": code.lower(), "chat_id": OFFICER_CHAT}
                )
                assert linked.status_code == 200, linked.text
                assert (
                    client.post("/api/v1/telegram/link", json={"code": code, "chat_id": "42"}).status_code
                    == 404
                )  # used once

                lead = client.post("/api/v1/leads", json=lead_body(channel_user=PERSON_CHAT)).json()

            new_lead = wait_for(lambda: fake.sent(chat_id=OFFICER_CHAT))[0]
            assert lead["reference"] in str(new_lead["text"])
            buttons = new_lead["reply_markup"]["inline_keyboard"]  # type: ignore[index]
            assert [b["callback_data"] for row in buttons for b in row][:2] == [
                f"ld|{lead['id']}|view",
                f"ld|{lead['id']}|received",
            ]
            assert "Nguyễn Văn A" not in str(new_lead["text"])  # no personal data in the message

            # The officer acts through the bot: the bot's token, on behalf of the linked chat.
            with api.client(intake, **{"X-Acting-Chat": OFFICER_CHAT}) as as_officer:
                assert as_officer.get("/api/v1/me").json()["name"] == "CA phường Mỹ Xuyên"
                response = as_officer.post(f"/api/v1/leads/{lead['id']}/status", json={"status": "received"})
                assert response.status_code == 200, response.text

            update = wait_for(lambda: fake.sent(chat_id=PERSON_CHAT))[0]
            assert lead["reference"] in str(update["text"])
            assert forbidden_words_in(str(update["text"])) == []

            with api.client(officer) as client:
                assert (
                    client.post(f"/api/v1/leads/{lead['id']}/status", json={"status": "listed"}).status_code
                    == 200
                )
                month = (datetime.now(UTC) + timedelta(hours=7)).strftime("%Y-%m")
                export = client.get(
                    "/api/v1/exports/monthly-list", params={"commune_code": COMMUNE_A, "month": month}
                )
                assert export.status_code == 200
                csv_export = client.get(
                    "/api/v1/exports/monthly-list",
                    params={"commune_code": COMMUNE_A, "month": month, "format": "csv"},
                )
                assert (
                    client.get(
                        "/api/v1/exports/monthly-list", params={"commune_code": "31471", "month": month}
                    ).status_code
                    == 404
                )
            sheet = load_workbook(io.BytesIO(export.content)).active
            assert sheet is not None
            rows = [tuple(row) for row in sheet.iter_rows(values_only=True)]
            start = next(i for i, row in enumerate(rows) if row[0] == "Số thứ tự")  # under the frame
            assert rows[start][:2] == ("Số thứ tự", "Họ và tên")
            assert rows[start + 1][:2] == (1, "Nguyễn Văn A")
            assert "Sản xuất, kinh doanh, tạo việc làm: 50.000.000 đồng" in rows[start + 1]
            assert "Nguyễn Văn A" in csv_export.content.decode("utf-8-sig")

            with api.client(bank) as client:
                seen = client.get("/api/v1/leads").json()
            assert [item["id"] for item in seen["data"]] == [lead["id"]]
            assert wait_for(lambda: fake.sent(chat_id=BANK_CHAT))
            # Two discreet updates reached the person (received, listed); none named anything sensitive.
            person_texts = [str(p["text"]) for p in wait_for(lambda: fake.sent(chat_id=PERSON_CHAT)[1:])]
            assert all(forbidden_words_in(t) == [] for t in person_texts)
