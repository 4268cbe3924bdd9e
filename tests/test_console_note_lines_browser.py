"""A note typed on several lines reads on several lines in the timeline (Chromium), and survives
the textarea's maxlength with its line breaks."""

from __future__ import annotations

from selenium.webdriver.common.by import By

from api.roles import Role
from tests.browser import start_chromium, submit
from tests.console_harness import running_console
from tests.harness import COMMUNE_A


def test_a_note_keeps_its_lines(database_url: str) -> None:
    with running_console(database_url) as api:
        intake = api.account(Role.INTAKE)
        officer = api.account_id(api.account(Role.COMMUNE_POLICE, COMMUNE_A))
        lead = api.referral(intake, "k1", COMMUNE_A)
        driver = start_chromium(360, 800)
        try:
            driver.get(api.login_link(officer))
            submit(driver, driver.find_element(By.ID, "signin"))
            driver.get(f"{api.url}/console/referrals/{lead['id']}")
            driver.find_element(By.ID, "note-text").send_keys(
                "Gọi lần 1: không nghe máy.\nGọi lần 2: hẹn thứ Hai."
            )
            submit(driver, driver.find_element(By.CSS_SELECTOR, ".note-form button"))
            note = driver.find_element(By.CSS_SELECTOR, ".timeline .t-note q")
            assert note.text == "Gọi lần 1: không nghe máy.\nGọi lần 2: hẹn thứ Hai."
        finally:
            driver.quit()
