"""The targets page (Chỉ tiêu) in a real browser (headless Chromium): the coordinator opens it from
the navigation, sees the chart drawn, the commune that met its target, the suggested transfer naming
both communes, the communes without a case, and downloads links for the report drafts. Fixed clock."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By

from api.roles import Role
from tests.browser import start_chromium, submit
from tests.console_harness import ConsoleApi, running_console
from tests.report_helpers import BUSY, NOW, QUIET, account, scenario


@pytest.fixture
def api(database_url: str) -> Iterator[ConsoleApi]:
    with running_console(database_url) as running:
        running.clock.fixed = NOW
        yield running


@pytest.fixture
def browser() -> Iterator[webdriver.Chrome]:
    driver = start_chromium()
    try:
        yield driver
    finally:
        driver.quit()


def test_the_coordinator_reads_the_targets_dashboard(api: ConsoleApi, browser: webdriver.Chrome) -> None:
    scenario(api)
    coordinator = api.account_id(account(api, Role.COORDINATOR, name="Điều phối viên tỉnh"))
    browser.get(api.login_link(coordinator))
    submit(browser, browser.find_element(By.ID, "signin"))
    browser.find_element(By.CSS_SELECTOR, 'nav a[href="/console/targets"]').click()
    assert browser.find_element(By.TAG_NAME, "h1").text == "Chỉ tiêu năm 2026"
    assert browser.find_element(By.ID, "met-count").text.startswith("1/")

    # The chart is a PNG the page's own route draws (no outside asset): loaded, with a size.
    chart = browser.find_element(By.ID, "targets-chart")
    width = browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth", chart)
    assert isinstance(width, int) and width > 300

    busy = browser.find_element(By.CSS_SELECTOR, f'#progress tr[data-commune="{BUSY}"]')
    assert "met" in (busy.get_attribute("class") or "") and "Đạt" in busy.text
    progress = busy.find_element(By.TAG_NAME, "progress")
    assert progress.get_attribute("value") == "1" and progress.get_attribute("max") == "1"
    quiet = browser.find_element(By.CSS_SELECTOR, f'#progress tr[data-commune="{QUIET}"]')
    assert "Chưa đạt" in quiet.text

    first = browser.find_elements(By.CSS_SELECTOR, "#transfers tbody tr")[0]
    giver, receiver = (cell.text for cell in first.find_elements(By.TAG_NAME, "td"))
    assert (
        first.get_attribute("data-to") == BUSY
        and giver
        and receiver == busy.find_element(By.TAG_NAME, "td").text
    )

    browser.find_element(By.CSS_SELECTOR, "#without-list summary").click()
    without = browser.find_elements(By.CSS_SELECTOR, "#without li")
    assert without and all(li.get_attribute("data-commune") != BUSY for li in without)
    assert QUIET in {li.get_attribute("data-commune") for li in without}

    links = {
        (a.get_attribute("data-period"), a.get_attribute("data-format"))
        for a in browser.find_elements(By.CSS_SELECTOR, "#drafts a")
    }
    assert ("2026-H2", "docx") in links and ("2026", "xlsx") in links
