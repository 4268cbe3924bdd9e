"""Screenshots of the staff console (docs/screenshots/), from a throwaway database with sample
referrals, taken with headless Debian Chromium at desktop width and at 360 px.

    .venv/bin/python scripts/console_screenshots.py
"""

from __future__ import annotations

import sys
import tempfile
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from selenium.webdriver import Chrome  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

from api.models import utcnow  # noqa: E402
from api.roles import Role  # noqa: E402
from tests.browser import start_chromium  # noqa: E402
from tests.console_harness import ConsoleApi, running_console  # noqa: E402
from tests.harness import COMMUNE_A  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
PEOPLE = [
    ("Nguyễn Văn An", "0912345678", 0),
    ("Trần Thị Bích", "0987654321", 1),
    ("Lê Văn Cường", "0905111222", 6),
    ("Phạm Minh Đức", "0933444555", 0),
    ("Võ Thị Hoa", "0912345678", 2),
]


def seed(api: ConsoleApi) -> tuple[int, str]:
    intake = api.account(Role.INTAKE)
    officer = api.account(Role.COMMUNE_POLICE, COMMUNE_A, name="Trần Văn Cảnh")
    first = ""
    for n, (name, phone, days) in enumerate(PEOPLE):
        lead = api.referral(intake, f"k{n}", COMMUNE_A, contact={"name": name, "phone": phone})
        api.set_created(str(lead["id"]), utcnow() - timedelta(days=days))
        first = first or str(lead["id"])
    return api.account_id(officer), first


def shoot(driver: Chrome, url: str, name: str, width: int) -> None:
    """The whole page at `width` CSS pixels (a phone's viewport below 500 px)."""
    metrics = {"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": width < 500}
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    driver.get(url)
    height = int(driver.execute_script("return document.documentElement.scrollHeight"))
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {**metrics, "height": min(height, 5000)})
    driver.save_screenshot(str(OUT / name))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder, running_console(f"sqlite:///{folder}/shots.db") as api:
        officer, lead_id = seed(api)
        driver = start_chromium()
        try:
            driver.get(api.login_link(officer))
            driver.find_element(By.ID, "signin").click()
            # One referral with some history: received, a note, the list fields filled in.
            driver.get(f"{api.url}/console/referrals/{lead_id}")
            driver.find_element(By.CSS_SELECTOR, 'button[data-status="received"]').click()
            driver.find_element(By.ID, "note-text").send_keys("Đã gọi, hẹn gặp tại trụ sở sáng thứ Năm.")
            driver.find_element(By.CSS_SELECTOR, ".note-form button").click()
            driver.find_element(By.ID, "birth_year").send_keys("1988")
            driver.find_element(By.ID, "address").send_keys("Số 12, hẻm 5, khu vực 3")
            driver.find_element(By.CSS_SELECTOR, ".details-form button").click()
            for width, tag in ((1280, "desktop"), (360, "360")):
                shoot(driver, f"{api.url}/console/", f"inbox-{tag}.png", width)
                shoot(driver, f"{api.url}/console/referrals/{lead_id}", f"referral-{tag}.png", width)
            driver.get(f"{api.url}/console/lang/en?next=/console/")
            shoot(driver, f"{api.url}/console/", "inbox-en-desktop.png", 1280)
            shoot(driver, f"{api.url}/", "landing-desktop.png", 1280)
        finally:
            driver.quit()
    print(f"screenshots in {OUT}")


if __name__ == "__main__":
    main()
