"""The monthly list as a signed, frozen, versioned record (issue 16), over real HTTP: two referrals
listed and the period sent; the bank declines one; the sent list (and its XLSX and PDF) still holds
both, with the motto, the place-and-date line and the UBND block; a second version records the
change; the versions route shows the sends; the roles that may not see it are refused."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlmodel import Session, col, select

from api.models import AuditEntry, Lead, OutboxMessage
from api.roles import Role
from tests.console_harness import ConsoleApi, running_console
from tests.harness import COMMUNE_A, COMMUNE_B

# Tuesday 3 March 2026, 10:00 in Vietnam: the list of period 2026-03 (due on the 5th).
FIXED = datetime(2026, 3, 3, 3, 0, tzinfo=UTC)
PERIOD = "2026-03"
BANK_CHAT = "6001"
PDF_MAGIC = b"%PDF-1.4\n%fake scan\n"


@pytest.fixture
def api(database_url: str) -> Iterator[ConsoleApi]:
    with running_console(database_url) as running:
        running.clock.fixed = FIXED
        yield running


def _staff(api: ConsoleApi) -> dict[str, str]:
    return {
        "intake": api.account(Role.INTAKE),
        "police": api.account(Role.COMMUNE_POLICE, COMMUNE_A, name="Trần Văn Lập"),
        "other": api.account(Role.COMMUNE_POLICE, COMMUNE_B, name="CA xã B"),
        "bank": api.account(Role.BANK, COMMUNE_A, name="NHCSXH A", chat_id=BANK_CHAT),
        "admin": api.account(Role.ADMIN),
        "coordinator": api.account(Role.COORDINATOR),
    }


def _listed(api: ConsoleApi, staff: dict[str, str], key: str, name: str, **overrides: object) -> str:
    lead = api.referral(
        staff["intake"], key, COMMUNE_A, contact={"name": name, "phone": "0912345678"}, **overrides
    )
    with api.client(staff["police"]) as police:
        for status in ("received", "listed"):
            response = police.post(f"/api/v1/leads/{lead['id']}/status", json={"status": status})
            assert response.status_code == 200, response.text
    return str(lead["id"])


def _complete(api: ConsoleApi, lead_id: str, **fields: object) -> None:
    """What the officer fills in on the referral page (the console's form writes the same fields)."""
    with Session(api.engine) as session:
        lead = session.get(Lead, lead_id)
        assert lead is not None
        lead.contact_extra = {**(lead.contact_extra or {}), **fields}
        session.add(lead)
        session.commit()


def _xlsx_text(content: bytes) -> list[str]:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return [str(value) for row in sheet.iter_rows(values_only=True) for value in row if value is not None]


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def test_a_sent_list_is_frozen_and_a_second_version_records_the_change(api: ConsoleApi) -> None:
    staff = _staff(api)
    first = _listed(api, staff, "ml-1", "Nguyễn Văn An")
    second = _listed(api, staff, "ml-2", "Lê Thị Bình")
    # A business referral never appears on Mẫu 01 (it uses Mẫu 02), even marked listed.
    business = _listed(api, staff, "ml-biz", "Cơ sở Hòa Phát")
    with Session(api.engine) as session:
        row = session.get(Lead, business)
        assert row is not None
        row.applicant = "business"
        session.add(row)
        session.commit()
    _complete(api, first, birth_year=1985, gender="nam", address="Ấp Hòa Phú")

    with api.client(staff["police"]) as police:
        draft = police.get(f"/api/v1/monthly-lists/{COMMUNE_A}/{PERIOD}").json()
        assert draft["draft_people"] == 2 and draft["versions"] == []
        sent = police.post(f"/api/v1/monthly-lists/{COMMUNE_A}/{PERIOD}/send")
        assert sent.status_code == 201, sent.text
        assert sent.json()["version"] == 1 and sent.json()["people"] == 2
        assert sent.json()["confirmed"] is False and sent.json()["bank_chats"] == 1
        # Nothing changed: no empty version.
        assert police.post(f"/api/v1/monthly-lists/{COMMUNE_A}/{PERIOD}/send").status_code == 409

    # Sending it was the step "sent to the bank" for both.
    with Session(api.engine) as session:
        statuses = {lead.id: lead.status for lead in session.exec(select(Lead)).all()}
        assert statuses[first] == statuses[second] == "sent_to_bank"
        assert statuses[business] == "listed"
        # The bank's linked chat got the file, marked unconfirmed, with no name in the caption.
        message = session.exec(
            select(OutboxMessage).where(
                OutboxMessage.target == BANK_CHAT, OutboxMessage.purpose == "monthly_list"
            )
        ).one()
        assert message.payload["method"] == "sendDocument"
        caption = message.payload["params"]["caption"]
        assert "Chưa có xác nhận của UBND" in caption and "Nguyễn" not in caption
        attached = base64.b64decode(message.payload["document"]["base64"])
        assert "Nguyễn Văn An" in _pdf_text(attached)

    # The bank declines one.
    with api.client(staff["bank"]) as bank:
        declined = bank.post(
            f"/api/v1/leads/{second}/status", json={"status": "declined", "reason": "bank_refused"}
        )
        assert declined.status_code == 200, declined.text
        ref_second = declined.json()["reference"]
        # The export of the period is the sent version: it still holds both names.
        export = bank.get("/api/v1/exports/monthly-list", params={"commune_code": COMMUNE_A, "month": PERIOD})
        assert export.status_code == 200, export.text
    text = _xlsx_text(export.content)
    assert "Nguyễn Văn An" in text and "Lê Thị Bình" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "Mỹ Xuyên, ngày 03 tháng 03 năm 2026" in text
    assert "XÁC NHẬN CỦA UBND PHƯỜNG MỸ XUYÊN" in text
    assert "NGƯỜI LẬP" in text and "TRƯỞNG CÔNG AN PHƯỜNG" in text
    assert "Chưa có xác nhận của UBND" in text
    assert "Kính gửi: Phòng giao dịch NHCSXH" in " ".join(text)
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet is not None
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$10:$10"
    header = [c.value for c in sheet[10]]
    assert header[:2] == ["Số thứ tự", "Họ và tên"]
    # The completed fields are on the list.
    an = next(row for row in sheet.iter_rows(values_only=True) if row[1] == "Nguyễn Văn An")
    assert an[2] == 1985 and an[3] == "Nam" and str(an[4]).startswith("Ấp Hòa Phú, Phường Mỹ Xuyên")

    # A correction: a new version, which says what changed and why; UBND confirmed with a scan.
    with api.client(staff["police"]) as police:
        upload = police.post(
            "/api/v1/monthly-lists/scans",
            data={"commune_code": COMMUNE_A},
            files={"file": ("xac-nhan.pdf", PDF_MAGIC, "application/pdf")},
        )
        assert upload.status_code == 201, upload.text
        scan_id = upload.json()["id"]
        body = {"confirmed_by": "Phạm Văn Chủ tịch", "confirmed_on": "2026-03-03", "scan_id": scan_id}
        assert police.post(f"/api/v1/monthly-lists/{COMMUNE_A}/{PERIOD}/send", json=body).status_code == 422
        body["change_note"] = "Ngân hàng từ chối một trường hợp; UBND đã xác nhận"
        again = police.post(f"/api/v1/monthly-lists/{COMMUNE_A}/{PERIOD}/send", json=body)
        assert again.status_code == 201, again.text
        v2 = again.json()
        assert v2["version"] == 2 and v2["people"] == 1 and v2["confirmed"] is True
        assert v2["changes"]["removed"] == [
            {"reference": ref_second, "status": "declined", "reason": "bank_refused"}
        ]
        assert v2["changes"]["confirmation_added"] is True
        versions = police.get(f"/api/v1/monthly-lists/{COMMUNE_A}/{PERIOD}").json()["versions"]
        assert [(v["version"], v["people"], v["confirmed"], v["sent_by"]) for v in versions] == [
            (1, 2, False, "Trần Văn Lập"),
            (2, 1, True, "Trần Văn Lập"),
        ]
        # Version 1 is still the list that was sent: both names.
        v1 = police.get(f"/api/v1/monthly-lists/{COMMUNE_A}/{PERIOD}/versions/1", params={"format": "pdf"})
        assert v1.status_code == 200 and v1.headers["content-type"] == "application/pdf"
        pdf = _pdf_text(v1.content)
        assert "Lê Thị Bình" in pdf and "Nguyễn Văn An" in pdf
        for heading in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Mẫu số 01", "NGƯỜI LẬP", "XÁC NHẬN CỦA UBND"):
            assert heading in pdf, heading
        assert "Chưa có xác nhận của UBND" in pdf
        pdf2 = _pdf_text(police.get(f"/api/v1/monthly-lists/{COMMUNE_A}/{PERIOD}/versions/2").content)
        assert "Lê Thị Bình" not in pdf2 and "Phạm Văn Chủ tịch" in pdf2
        assert "Chưa có xác nhận" not in pdf2 and "Ngân hàng từ chối" in pdf2
        latest = police.get(
            "/api/v1/exports/monthly-list",
            params={"commune_code": COMMUNE_A, "month": PERIOD, "format": "pdf"},
        )
        assert latest.status_code == 200 and "Phạm Văn Chủ tịch" in _pdf_text(latest.content)
    # The bank reads both versions and the scan.
    with api.client(staff["bank"]) as bank:
        assert len(bank.get(f"/api/v1/monthly-lists/{COMMUNE_A}/{PERIOD}").json()["versions"]) == 2
        assert bank.get(f"/api/v1/monthly-lists/scans/{scan_id}").content == PDF_MAGIC
    # Every read of the names is in the audit log.
    with Session(api.engine) as session:
        actions = {
            e.action for e in session.exec(select(AuditEntry).where(col(AuditEntry.lead_id) == second))
        }
    assert {"monthly_list_send", "export", "monthly_list"} <= actions


def test_referrals_listed_after_a_send_belong_to_the_next_period(api: ConsoleApi) -> None:
    staff = _staff(api)
    _listed(api, staff, "p-1", "Nguyễn Văn An")
    with api.client(staff["police"]) as police:
        assert police.post(f"/api/v1/monthly-lists/{COMMUNE_A}/{PERIOD}/send").status_code == 201
    api.clock.fixed = datetime(2026, 3, 20, 3, 0, tzinfo=UTC)
    later = _listed(api, staff, "p-2", "Lê Văn Sau")
    with api.client(staff["police"]) as police:
        assert police.get(f"/api/v1/monthly-lists/{COMMUNE_A}/{PERIOD}").json()["draft_people"] == 1
        assert police.get(f"/api/v1/monthly-lists/{COMMUNE_A}/2026-04").json()["draft_people"] == 1
        april = police.get(
            "/api/v1/exports/monthly-list",
            params={"commune_code": COMMUNE_A, "month": "2026-04", "format": "csv"},
        )
    assert "Lê Văn Sau" in april.content.decode("utf-8-sig") and "Nguyễn Văn An" not in april.text
    assert "Chưa có xác nhận của UBND" in april.content.decode("utf-8-sig")
    assert later


def test_who_may_send_and_read(api: ConsoleApi) -> None:
    staff = _staff(api)
    _listed(api, staff, "r-1", "Nguyễn Văn An")
    path = f"/api/v1/monthly-lists/{COMMUNE_A}/{PERIOD}"
    with api.client(staff["other"]) as other:
        assert other.post(f"{path}/send").status_code == 403
        assert other.get(path).status_code == 403
    for role in ("admin", "coordinator"):
        with api.client(staff[role]) as client:
            assert client.get(path).status_code == 403
            assert client.post(f"{path}/send").status_code == 403
    with api.client(staff["bank"]) as bank:
        assert bank.post(f"{path}/send").status_code == 403  # read-only
        assert bank.get(path).json()["versions"] == []
        # Nothing sent yet: the bank has no list of the period (the draft is the commune's).
        assert (
            bank.get(
                "/api/v1/exports/monthly-list", params={"commune_code": COMMUNE_A, "month": PERIOD}
            ).status_code
            == 404
        )
    with api.client(staff["police"]) as police:
        bad = police.post(
            "/api/v1/monthly-lists/scans",
            data={"commune_code": COMMUNE_A},
            files={"file": ("x.exe", b"MZ\x90\x00", "application/pdf")},
        )
        assert bad.status_code == 415
        assert police.post(f"{path}/send", json={"confirmed_by": "Ông A"}).status_code == 422
        assert police.post(f"{path}/send", json={"scan_id": 99}).status_code == 422
        assert police.post(f"/api/v1/monthly-lists/{COMMUNE_A}/2026-13/send").status_code == 422
        future = {"confirmed_by": "Ông A", "confirmed_on": "2026-04-01"}
        assert police.post(f"{path}/send", json=future).status_code == 422
        assert police.post(f"{path}/send").status_code == 201
    with api.client(staff["other"]) as other:
        assert other.get(f"{path}/versions/1").status_code == 403
        assert other.get("/api/v1/monthly-lists/scans/1").status_code == 404


def test_the_send_is_in_the_openapi_schema(api: ConsoleApi) -> None:
    schema = httpx.get(f"{api.url}/openapi.json").json()
    paths = schema["paths"]
    assert "/api/v1/monthly-lists/{commune_code}/{period}/send" in paths
    assert "/api/v1/monthly-lists/{commune_code}/{period}" in paths
    formats = next(
        p for p in paths["/api/v1/exports/monthly-list"]["get"]["parameters"] if p["name"] == "format"
    )
    assert "pdf" in str(formats["schema"])


async def test_the_bank_chat_gets_the_pdf_as_a_document(database_url: str) -> None:
    """The outbox row a send queues reaches Telegram as `sendDocument` with the file (multipart)."""
    import asyncio

    from api import migrate
    from api.core.db import make_engine
    from api.outbox import store
    from api.outbox.dispatcher import Dispatcher
    from tests.fakes.bot_api import FakeBotApi
    from tests.servers import serving

    migrate.upgrade(database_url)
    engine = make_engine(database_url)
    fake = FakeBotApi()
    pdf = b"%PDF-1.4 a list"
    try:
        with Session(engine) as session:
            store.enqueue(
                session,
                store.telegram_document(
                    chat_id=BANK_CHAT,
                    caption="Danh sách Mẫu số 01",
                    file_name="danh-sach.pdf",
                    content=pdf,
                    dedupe_key="ml:1",
                    purpose="monthly_list",
                ),
            )
            session.commit()
        with serving(fake.app) as url:
            async with httpx.AsyncClient(timeout=5.0) as client:
                dispatcher = Dispatcher(
                    engine, telegram_token="123:ABC", telegram_base_url=f"{url}/bot", client=client
                )
                for _ in range(100):
                    await dispatcher.run_once()
                    if fake.sent("sendDocument"):
                        break
                    await asyncio.sleep(0.05)
        sent = fake.sent("sendDocument")
        assert len(sent) == 1 and sent[0]["caption"] == "Danh sách Mẫu số 01"
        assert sent[0]["document"] == {"file_name": "danh-sach.pdf", "size": len(pdf), "head": pdf[:8].hex()}
        assert str(sent[0]["chat_id"]) == BANK_CHAT
    finally:
        engine.dispose()


def test_a_sent_list_counts_as_sent_in_the_reports(api: ConsoleApi) -> None:
    from api.services.report_figures import lists_sent

    staff = _staff(api)
    _listed(api, staff, "ml-report", "Nguyễn Văn Rõ")
    day = timedelta(days=1)
    with Session(api.engine) as session:
        assert lists_sent(session, {COMMUNE_A, COMMUNE_B}, FIXED - day, FIXED + day) == {}
    with api.client(staff["police"]) as police:
        assert police.post(f"/api/v1/monthly-lists/{COMMUNE_A}/{PERIOD}/send").status_code == 201
    with Session(api.engine) as session:
        assert lists_sent(session, {COMMUNE_A, COMMUNE_B}, FIXED - day, FIXED + day) == {COMMUNE_A: 1}
        # A list sent before the report's period is not counted in it.
        assert lists_sent(session, {COMMUNE_A}, FIXED + day, FIXED + 2 * day) == {}
