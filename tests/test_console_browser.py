"""The console in a real browser (headless Chromium): a new officer signs in with the CLI's link,
finds the commune's referral, calls, receives it; another commune's officer cannot see it; a form
without its token is refused; used, expired and revoked sign-ins end. One browser for the module."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement

from api.roles import Role
from tests.browser import start_chromium, submit
from tests.cli import run_cli
from tests.console_harness import ConsoleApi, revoke, running_console
from tests.harness import COMMUNE_A, COMMUNE_B


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConsoleApi]:
    url = f"sqlite:///{tmp_path_factory.mktemp('console')}/browser.db"
    with running_console(url) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    driver = start_chromium()
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def world(api: ConsoleApi) -> dict[str, object]:
    intake = api.account(Role.INTAKE)
    token_a = api.account(Role.COMMUNE_POLICE, COMMUNE_A, name="Trần Văn Cảnh")
    token_b = api.account(Role.COMMUNE_POLICE, COMMUNE_B, name="Lê Thị Bình")
    lead = api.referral(intake, "k1", COMMUNE_A)
    return {"token_a": token_a, "a": api.account_id(token_a), "b": api.account_id(token_b), "lead": lead}


def _submit(browser: webdriver.Chrome, button: WebElement) -> None:
    submit(browser, button)


def _sign_in(browser: webdriver.Chrome, link: str) -> None:
    browser.delete_all_cookies()
    browser.get(link)
    _submit(browser, browser.find_element(By.ID, "signin"))


def test_officer_signs_in_with_the_cli_link_and_receives_the_referral(
    api: ConsoleApi, browser: webdriver.Chrome, world: dict[str, object]
) -> None:
    env = {"DATABASE_URL": str(api.settings.database_url), "BUOCMOI_PUBLIC_URL": api.url}
    printed = run_cli("accounts", "login-link", str(world["a"]), env=env)
    assert printed.returncode == 0, printed.stderr
    link = printed.stdout.strip().splitlines()[-1]
    _sign_in(browser, link)
    lead = world["lead"]
    assert isinstance(lead, dict)
    assert browser.current_url == f"{api.url}/console/"
    browser.find_element(By.PARTIAL_LINK_TEXT, "Nguyễn Văn A").click()
    phone = browser.find_element(By.ID, "phone")
    assert phone.get_attribute("href") == "tel:0912345678" and phone.text == "0912345678"
    _submit(browser, browser.find_element(By.CSS_SELECTOR, 'button[data-status="received"]'))
    assert browser.find_element(By.ID, "status").get_attribute("data-status") == "received"
    with api.client(str(world["token_a"])) as client:
        assert client.get(f"/api/v1/leads/{lead['id']}").json()["status"] == "received"
    # The link was used: a second use is refused.
    _sign_in(browser, link)
    assert "Không đăng nhập được" in browser.find_element(By.TAG_NAME, "h1").text


def test_other_commune_does_not_see_it(
    api: ConsoleApi, browser: webdriver.Chrome, world: dict[str, object]
) -> None:
    _sign_in(browser, api.login_link(int(str(world["b"]))))
    lead = world["lead"]
    assert isinstance(lead, dict)
    assert str(lead["reference"]) not in browser.find_element(By.TAG_NAME, "main").text
    browser.get(f"{api.url}/console/referrals/{lead['id']}")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Không tìm thấy"


def test_a_form_without_its_token_is_refused(
    api: ConsoleApi, browser: webdriver.Chrome, world: dict[str, object]
) -> None:
    _sign_in(browser, api.login_link(int(str(world["a"]))))
    lead = world["lead"]
    assert isinstance(lead, dict)
    browser.get(f"{api.url}/console/referrals/{lead['id']}")
    browser.execute_script(
        "document.querySelectorAll('input[name=csrf_token]').forEach(function (e) { e.remove(); });"
    )
    browser.find_element(By.ID, "note-text").send_keys("không có mã")
    _submit(browser, browser.find_element(By.CSS_SELECTOR, ".note-form button"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Không được phép"


def test_expired_link_revoked_account_and_sign_out(
    api: ConsoleApi, browser: webdriver.Chrome, world: dict[str, object]
) -> None:
    officer = int(str(world["a"]))
    # Fixed clock: the link is opened 16 minutes after it was made.
    link = api.login_link(officer)
    api.clock.offset = timedelta(minutes=16)
    try:
        _sign_in(browser, link)
        assert "Không đăng nhập được" in browser.find_element(By.TAG_NAME, "h1").text
    finally:
        api.clock.offset = timedelta()
    # Sign-out.
    _sign_in(browser, api.login_link(officer))
    _submit(browser, browser.find_element(By.CSS_SELECTOR, "form[action='/console/logout'] button"))
    assert browser.current_url.endswith("/console/signin?out=1")
    browser.get(f"{api.url}/console/")
    assert browser.current_url.endswith("/console/signin")
    # A revoked account's session ends at once.
    _sign_in(browser, api.login_link(officer))
    assert browser.current_url == f"{api.url}/console/"
    revoke(api, officer)
    browser.get(f"{api.url}/console/")
    assert browser.current_url.endswith("/console/signin")
