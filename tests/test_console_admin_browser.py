"""The admin's bulk import in a real browser (headless Chromium): a real XLSX file chosen through
the page's file input, the preview, the confirmation, and the CSV of tokens downloaded."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from sqlmodel import Session, select

from api.models import Account
from api.roles import Role
from content.communes.official import province_wards
from tests.browser import start_chromium, submit
from tests.console_harness import ConsoleApi, running_console


@pytest.fixture
def api(tmp_path: Path) -> Iterator[ConsoleApi]:
    with running_console(f"sqlite:///{tmp_path}/browser.db") as running:
        yield running


@pytest.fixture
def browser() -> Iterator[webdriver.Chrome]:
    driver = start_chromium()
    try:
        yield driver
    finally:
        driver.quit()


def _submit(browser: webdriver.Chrome, button: WebElement) -> None:
    submit(browser, button)


def test_bulk_import_through_the_browser(api: ConsoleApi, browser: webdriver.Chrome, tmp_path: Path) -> None:
    admin = api.account_id(api.account(Role.ADMIN, name="Quản trị tỉnh"))
    wards = province_wards()[:12]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Vai trò", "Tên", "Mã xã", "Loại cơ quan"])
    for ward in wards:
        sheet.append(["commune_police", f"Công an {ward.name}", int(ward.code), None])
    sheet.append(["bank", "PGD NHCSXH Ninh Kiều", f"{wards[0].code}; {wards[1].code}", None])
    upload = tmp_path / "tai-khoan.xlsx"
    book.save(upload)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    browser.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )

    browser.get(api.login_link(admin))
    _submit(browser, browser.find_element(By.ID, "signin"))
    # The admin lands on the accounts page; the import is one click away.
    assert browser.current_url.endswith("/console/admin/accounts")
    browser.find_element(By.LINK_TEXT, "Nhập từ tệp").click()
    browser.find_element(By.ID, "file").send_keys(str(upload))
    _submit(browser, browser.find_element(By.ID, "upload"))
    assert "13 dòng sẽ tạo tài khoản, 0 dòng có lỗi" in browser.find_element(By.CSS_SELECTOR, ".notice").text
    assert len(browser.find_elements(By.CSS_SELECTOR, "table.preview tbody tr")) == 13
    with Session(api.engine) as session:
        assert len(session.exec(select(Account)).all()) == 1  # nothing written yet
    _submit(browser, browser.find_element(By.ID, "confirm"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Đã tạo 13 tài khoản"
    assert len(browser.find_elements(By.CSS_SELECTOR, "table.created tbody tr")) == 13
    with Session(api.engine) as session:
        assert len(session.exec(select(Account)).all()) == 14
    # The CSV of tokens and link codes, downloaded from the page.
    browser.find_element(By.ID, "download-csv").click()
    # The file can be there before Chromium has finished writing it: wait for all its rows.
    deadline = time.monotonic() + 15
    rows: list[list[str]] = []
    while time.monotonic() < deadline:
        files = [f for f in downloads.iterdir() if f.suffix == ".csv"]
        if files:
            rows = list(csv.reader(io.StringIO(files[0].read_text(encoding="utf-8-sig"))))
            if len(rows) == 14:
                break
        time.sleep(0.2)
    assert len(rows) == 14, f"the CSV was not downloaded whole: {len(rows)} rows"
    assert rows[1][3] == f"Công an {wards[0].name}"
    assert rows[1][6].startswith("/canbo ")
    # The new accounts are on the accounts page, filtered by role.
    browser.get(f"{api.url}/console/admin/accounts?role=bank")
    assert "PGD NHCSXH Ninh Kiều" in browser.find_element(By.TAG_NAME, "table").text
