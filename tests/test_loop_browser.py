"""The loop closed in a real browser (headless Chromium): a referral from new to disbursed, the
officer's steps then the bank's decisions, each heard by the officer's chat and the person (the
outbox the dispatcher sends to Telegram); a transfer to another commune; the coordinator's reminder.
Fixed clock: a Tuesday morning in Vietnam."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from sqlmodel import Session, col, select

from api.models import Lead, OutboxMessage
from api.roles import Role
from api.wards import ward_name
from content.discreet import forbidden_words_in
from tests.browser import start_chromium, submit
from tests.console_harness import ConsoleApi, running_console
from tests.harness import COMMUNE_A, COMMUNE_B

FIXED = datetime(2026, 3, 3, 3, 0, tzinfo=UTC)
OFFICER_CHAT, OTHER_CHAT, PERSON_CHAT = "5101", "5102", "1001"


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConsoleApi]:
    url = f"sqlite:///{tmp_path_factory.mktemp('loop')}/loop.db"
    with running_console(url) as running:
        running.clock.fixed = FIXED
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    driver = start_chromium()
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def staff(api: ConsoleApi) -> dict[str, int | str]:
    tokens = {
        "intake": api.account(Role.INTAKE),
        "police": api.account(Role.COMMUNE_POLICE, COMMUNE_A, name="Trần Văn Cảnh", chat_id=OFFICER_CHAT),
        "other": api.account(Role.COMMUNE_POLICE, COMMUNE_B, name="Lê Thị Bình", chat_id=OTHER_CHAT),
        "bank": api.account(Role.BANK, COMMUNE_A, name="Phòng giao dịch NHCSXH"),
        "coordinator": api.account(Role.COORDINATOR, name="Điều phối viên tỉnh"),
    }
    ids: dict[str, int | str] = {
        name: api.account_id(token) for name, token in tokens.items() if name != "intake"
    }
    ids["intake"] = tokens["intake"]
    return ids


def _submit(browser: webdriver.Chrome, button: WebElement) -> None:
    submit(browser, button)


def _sign_in(api: ConsoleApi, browser: webdriver.Chrome, account_id: int | str) -> None:
    browser.delete_all_cookies()
    browser.get(api.login_link(int(account_id)))
    _submit(browser, browser.find_element(By.ID, "signin"))


def _press(browser: webdriver.Chrome, status: str) -> None:
    _submit(browser, browser.find_element(By.CSS_SELECTOR, f'button[data-status="{status}"]'))
    assert browser.find_element(By.ID, "status").get_attribute("data-status") == status


def _texts(api: ConsoleApi, chat: str) -> list[str]:
    with Session(api.engine) as session:
        rows = session.exec(
            select(OutboxMessage).where(OutboxMessage.target == chat).order_by(col(OutboxMessage.id))
        ).all()
    return [str(row.payload["params"]["text"]) for row in rows]


def test_from_new_to_disbursed_with_the_decisions_flowing_back(
    api: ConsoleApi, browser: webdriver.Chrome, staff: dict[str, int | str]
) -> None:
    lead = api.referral(str(staff["intake"]), "b1", COMMUNE_A)
    page = f"{api.url}/console/referrals/{lead['id']}"
    _sign_in(api, browser, staff["police"])
    browser.get(page)
    for status in ("received", "contacted", "listed", "sent_to_bank"):
        _press(browser, status)
    # The bank: approves an amount within the cap shown, then records the payout.
    _sign_in(api, browser, staff["bank"])
    browser.get(page)
    assert "100.000.000 đồng" in browser.find_element(By.ID, "approve-cap").text
    browser.find_element(By.ID, "approve-amount").send_keys("150.000.000")
    _submit(browser, browser.find_element(By.CSS_SELECTOR, "#approve-form button"))
    assert "vượt mức tối đa" in browser.find_element(By.CSS_SELECTOR, ".notice.error").text
    browser.find_element(By.ID, "approve-amount").send_keys("45.000.000")
    _submit(browser, browser.find_element(By.CSS_SELECTOR, "#approve-form button"))
    assert browser.find_element(By.ID, "status").get_attribute("data-status") == "approved"
    assert browser.find_element(By.ID, "approved-amount").text == "45.000.000 đồng"
    # The payout form offers today (the app's clock) and the approved amount.
    assert browser.find_element(By.ID, "disburse-date").get_attribute("value") == "2026-03-03"
    assert browser.find_element(By.ID, "disburse-amount").get_attribute("value") == "45.000.000"
    _submit(browser, browser.find_element(By.CSS_SELECTOR, "#disburse-form button"))
    assert browser.find_element(By.ID, "status").get_attribute("data-status") == "disbursed"
    assert browser.find_element(By.ID, "disbursed-on").text == "03/03/2026"
    # The officer's console timeline shows the decisions with their amounts.
    _sign_in(api, browser, staff["police"])
    browser.get(page)
    timeline = browser.find_element(By.CSS_SELECTOR, "ol.timeline").text
    assert "Ngân hàng đã duyệt" in timeline and "45.000.000 đồng" in timeline and "03/03/2026" in timeline
    # The officer's chat heard both decisions; the person heard every step, discreetly.
    officer = _texts(api, OFFICER_CHAT)
    assert sum(str(lead["reference"]) in t and "45.000.000 đồng" in t for t in officer) == 2
    person = _texts(api, PERSON_CHAT)
    assert len(person) == 6  # received, contacted, listed, sent to the bank, approved, disbursed
    assert "đã được giải ngân" in person[-1]
    assert all(not forbidden_words_in(t) for t in person)


def test_a_transfer_and_the_coordinators_reminder(
    api: ConsoleApi, browser: webdriver.Chrome, staff: dict[str, int | str]
) -> None:
    moved = api.referral(str(staff["intake"]), "b2", COMMUNE_A, channel_user="1002")
    late = api.referral(str(staff["intake"]), "b3", COMMUNE_B, channel_user="1003")
    with Session(api.engine) as session:
        row = session.exec(select(Lead).where(Lead.id == late["id"])).one()
        row.created_at, row.escalated_at = datetime(2026, 2, 16, 2, tzinfo=UTC), FIXED
        session.add(row)
        session.commit()
    name_b = ward_name(COMMUNE_B)
    assert name_b is not None
    _sign_in(api, browser, staff["police"])
    browser.get(f"{api.url}/console/referrals/{moved['id']}")
    browser.find_element(By.CSS_SELECTOR, "#transfer summary").click()
    browser.find_element(By.ID, "transfer-commune").send_keys(name_b)
    browser.find_element(By.ID, "transfer-reason").send_keys("Người đề nghị đã chuyển về ở với gia đình")
    _submit(browser, browser.find_element(By.CSS_SELECTOR, "#transfer button"))
    browser.get(f"{api.url}/console/referrals/{moved['id']}")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Không tìm thấy"
    _sign_in(api, browser, staff["other"])
    browser.get(f"{api.url}/console/referrals/{moved['id']}")
    assert "Chuyển từ" in browser.find_element(By.CSS_SELECTOR, "ol.timeline").text
    assert any(str(moved["reference"]) in t for t in _texts(api, OTHER_CHAT))
    assert [t for t in _texts(api, "1002") if name_b in t]
    # The coordinator: the overdue referral names its officer; one press reminds them.
    _sign_in(api, browser, staff["coordinator"])
    browser.find_element(By.LINK_TEXT, "Điều phối tỉnh").click()
    row = browser.find_element(By.ID, f"lead-{late['reference']}")
    assert "Lê Thị Bình" in row.text
    before = len(_texts(api, OTHER_CHAT))
    _submit(browser, row.find_element(By.CSS_SELECTOR, f'button[data-remind="{late["reference"]}"]'))
    assert "1 cán bộ" in browser.find_element(By.CSS_SELECTOR, ".notice.ok").text
    reminders = _texts(api, OTHER_CHAT)[before:]
    assert len(reminders) == 1 and str(late["reference"]) in reminders[0]
