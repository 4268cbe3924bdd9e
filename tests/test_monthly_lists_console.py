"""The monthly list in the console: the commune police prepare (missing fields named), record the
UBND confirmation and send, over HTTP with the form's token, and in a real browser (headless
Chromium); the bank sees what was sent with the "not confirmed" mark and its own decisions."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from selenium.webdriver.common.by import By
from sqlmodel import Session

from api.models import Lead
from api.roles import Role
from tests.browser import start_chromium, submit
from tests.console_harness import ConsoleApi, csrf_of, running_console, sign_in
from tests.harness import COMMUNE_A

FIXED = datetime(2026, 3, 3, 3, 0, tzinfo=UTC)  # Tuesday 3 March 2026, 10:00 in Vietnam
PERIOD = "2026-03"


@pytest.fixture
def api(database_url: str) -> Iterator[ConsoleApi]:
    with running_console(database_url) as running:
        running.clock.fixed = FIXED
        yield running


def _listed(api: ConsoleApi, intake: str, police: str, key: str, name: str) -> str:
    lead = api.referral(intake, key, COMMUNE_A, contact={"name": name, "phone": "0912345678"})
    with api.client(police) as client:
        for status in ("received", "listed"):
            assert (
                client.post(f"/api/v1/leads/{lead['id']}/status", json={"status": status}).status_code == 200
            )
    return str(lead["id"])


def test_prepare_confirm_send_and_the_banks_view_over_http(api: ConsoleApi) -> None:
    intake = api.account(Role.INTAKE)
    police = api.account(Role.COMMUNE_POLICE, COMMUNE_A, name="Trần Văn Lập")
    bank = api.account(Role.BANK, COMMUNE_A, name="NHCSXH A")
    admin = api.account(Role.ADMIN)
    lead_id = _listed(api, intake, police, "c-1", "Nguyễn Văn An")

    officer = sign_in(api, api.login_link(api.account_id(police)))
    page = officer.get("/console/monthly-lists")
    assert page.status_code == 200, page.text
    assert "Nguyễn Văn An" in page.text and 'href="/console/monthly-lists"' in page.text
    assert f'href="/console/referrals/{lead_id}#details"' in page.text  # year, sex, address missing
    draft = officer.get(
        f"/console/monthly-lists/{COMMUNE_A}/{PERIOD}/file", params={"version": 0, "format": "pdf"}
    )
    assert draft.status_code == 200 and draft.content.startswith(b"%PDF")
    # Without the form's token: refused.
    action = f"/console/monthly-lists/{COMMUNE_A}/{PERIOD}/send"
    assert officer.post(action, data={"confirmed_by": "x"}).status_code == 403
    # A date that is not one, then a scan that is not a PDF/JPEG/PNG: the page says why, nothing sent.
    token = csrf_of(page.text)
    bad = officer.post(action, data={"csrf_token": token, "confirmed_by": "Ông Phạm", "confirmed_on": "3/3"})
    assert bad.status_code == 422 and 'id="problem"' in bad.text
    exe = officer.post(
        action,
        data={"csrf_token": token, "confirmed_by": "Ông Phạm", "confirmed_on": "2026-03-03"},
        files={"scan": ("scan.exe", b"MZ\x90", "application/octet-stream")},
    )
    assert exe.status_code == 422 and "PDF, JPEG hoặc PNG" in exe.text
    sent = officer.post(
        action,
        data={"csrf_token": token, "confirmed_by": "Ông Phạm Văn Chủ", "confirmed_on": "2026-03-03"},
        files={"scan": ("scan.png", b"\x89PNG\r\n\x1a\n0000", "image/png")},
        follow_redirects=True,
    )
    assert sent.status_code == 200 and 'id="sent-notice"' in sent.text
    assert 'data-version="1"' in sent.text and "Ông Phạm Văn Chủ" in sent.text

    banker = sign_in(api, api.login_link(api.account_id(bank)))
    seen = banker.get("/console/monthly-lists")
    assert seen.status_code == 200 and "Nguyễn Văn An" in seen.text and f'data-period="{PERIOD}"' in seen.text
    assert "Chưa có xác nhận của UBND" not in seen.text  # confirmed, with the scan
    assert banker.get("/console/monthly-lists/scans/1").content.startswith(b"\x89PNG")
    # The bank records its decision on the referral's page (the loop's form); the list shows it.
    with Session(api.engine) as session:
        lead = session.get(Lead, lead_id)
        assert lead is not None and lead.status == "sent_to_bank"
    with api.client(bank) as client:
        assert client.post(
            f"/api/v1/leads/{lead_id}/status", json={"status": "approved", "amount": 30_000_000}
        )
    assert "30.000.000" in banker.get("/console/monthly-lists").text
    # The bank cannot send, nor download a draft; the admin has no such page.
    token = csrf_of(seen.text)
    assert banker.post(action, data={"csrf_token": token}).status_code == 403
    assert (
        banker.get(f"/console/monthly-lists/{COMMUNE_A}/{PERIOD}/file", params={"version": 0}).status_code
        == 404
    )
    assert (
        sign_in(api, api.login_link(api.account_id(admin))).get("/console/monthly-lists").status_code == 404
    )


def test_the_console_list_page_in_a_browser(api: ConsoleApi) -> None:
    intake = api.account(Role.INTAKE)
    police = api.account(Role.COMMUNE_POLICE, COMMUNE_A, name="Trần Văn Lập")
    api.account(Role.BANK, COMMUNE_A, name="NHCSXH A", chat_id="6001")
    _listed(api, intake, police, "b-1", "Nguyễn Văn An")
    _listed(api, intake, police, "b-2", "Lê Thị Bình")
    browser = start_chromium()
    try:
        browser.get(api.login_link(api.account_id(police)))
        submit(browser, browser.find_element(By.ID, "signin"))
        browser.find_element(By.LINK_TEXT, "Danh sách tháng").click()
        assert browser.find_element(By.ID, "draft-count").text == "2"
        assert len(browser.find_elements(By.CSS_SELECTOR, "#draft-rows a.complete")) == 2
        browser.find_element(By.ID, "confirmed_by").send_keys("Ông Phạm Văn Chủ")
        browser.find_element(By.ID, "confirmed_on").send_keys("03032026")
        submit(browser, browser.find_element(By.ID, "send-list"))
        assert "lần gửi thứ 1" in browser.find_element(By.ID, "sent-notice").text
        row = browser.find_element(By.CSS_SELECTOR, '#version-rows tr[data-version="1"]')
        assert "Ông Phạm Văn Chủ" in row.text and "03/03/2026" in row.text
    finally:
        browser.quit()
