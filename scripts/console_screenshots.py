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


def sign_in(driver: Chrome, link: str) -> None:
    """Open a sign-in link and press its button; wait for the page it leads to (the cookie is set)."""
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(link)
    button = driver.find_element(By.ID, "signin")
    button.click()
    WebDriverWait(driver, 15).until(expected_conditions.staleness_of(button))


def shoot(driver: Chrome, url: str, name: str, width: int) -> None:
    """The whole page at `width` CSS pixels (a phone's viewport below 500 px)."""
    metrics = {"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": width < 500}
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    driver.get(url)
    height = int(driver.execute_script("return document.documentElement.scrollHeight"))
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {**metrics, "height": min(height, 5000)})
    driver.save_screenshot(str(OUT / name))


def admin_shots(api: ConsoleApi, driver: Chrome, folder: str) -> None:
    """The admin's accounts page and a bulk import's preview (with two rows in error)."""
    from openpyxl import Workbook

    from content.communes.official import province_wards

    wards = province_wards()
    admin = api.account_id(api.account(Role.ADMIN, name="Quản trị tỉnh"))
    for ward, name in zip(
        wards[:4], ("Nguyễn Văn Bảo", "Lê Thị Thu", "Phạm Quốc Huy", "Đỗ Minh Tâm"), strict=True
    ):
        api.account(Role.COMMUNE_POLICE, ward.code, name=f"{name} (CA {ward.name})")
    api.account(Role.BANK, wards[0].code, wards[1].code, name="PGD NHCSXH Ninh Kiều")
    api.account(Role.COORDINATOR, name="Điều phối viên PC10")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["vai_tro", "ten", "ma_xa", "loai_co_quan"])
    for ward in wards[4:12]:
        sheet.append(["commune_police", f"Công an {ward.name}", int(ward.code), None])
    sheet.append(["commune_police", "Công an xã Không Có", "99999", None])
    sheet.append(["agency", "Sở Y tế", None, "so_y_te"])
    sheet.append(["bank", "PGD NHCSXH Cái Răng", f"{wards[5].code}; {wards[6].code}", None])
    upload = Path(folder) / "tai-khoan.xlsx"
    book.save(upload)
    driver.delete_all_cookies()
    sign_in(driver, api.login_link(admin))
    for width, tag in ((1280, "desktop"), (360, "360")):
        shoot(driver, f"{api.url}/console/admin/accounts", f"admin-accounts-{tag}.png", width)
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    driver.get(f"{api.url}/console/admin/import")
    driver.find_element(By.ID, "file").send_keys(str(upload))
    driver.find_element(By.ID, "upload").click()
    preview = driver.current_url
    for width, tag in ((1280, "desktop"), (360, "360")):
        shoot(driver, preview, f"admin-import-preview-{tag}.png", width)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder, running_console(f"sqlite:///{folder}/shots.db") as api:
        officer, lead_id = seed(api)
        driver = start_chromium()
        try:
            sign_in(driver, api.login_link(officer))
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
            admin_shots(api, driver, folder)
        finally:
            driver.quit()
    print(f"screenshots in {OUT}")


if __name__ == "__main__":
    main()
