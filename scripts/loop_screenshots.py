"""Screenshots of the loop closed (issue 15) into docs/screenshots/: the bank's view of a referral
(approval form with the cap, then the payout form) and the coordinator's page, at desktop width and
at 360 px, from a throwaway database.

    .venv/bin/python scripts/loop_screenshots.py
"""

from __future__ import annotations

import sys
import tempfile
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from selenium.webdriver.common.by import By  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

from api.models import Lead, utcnow  # noqa: E402
from api.roles import Role  # noqa: E402
from scripts.console_screenshots import OUT, shoot  # noqa: E402
from tests.browser import start_chromium  # noqa: E402
from tests.console_harness import ConsoleApi, running_console  # noqa: E402
from tests.harness import COMMUNE_A, COMMUNE_B  # noqa: E402

PEOPLE = [
    ("Nguyễn Văn An", "0912345678", COMMUNE_A),
    ("Trần Thị Bích", "0987654321", COMMUNE_B),
    ("Lê Văn Cường", "0905111222", COMMUNE_A),
]


def seed(api: ConsoleApi) -> dict[str, object]:
    intake = api.account(Role.INTAKE)
    police = api.account(Role.COMMUNE_POLICE, COMMUNE_A, name="Trần Văn Cảnh", chat_id="5001")
    api.account(Role.COMMUNE_POLICE, COMMUNE_B, name="Lê Thị Bình")
    bank = api.account(Role.BANK, COMMUNE_A, name="Phòng giao dịch NHCSXH")
    coordinator = api.account(Role.COORDINATOR, name="Điều phối viên tỉnh")
    ids = []
    for n, (name, phone, commune) in enumerate(PEOPLE):
        lead = api.referral(intake, f"s{n}", commune, contact={"name": name, "phone": phone})
        ids.append(str(lead["id"]))
    with api.client(police) as client:
        for status in ("received", "contacted", "listed", "sent_to_bank"):
            client.post(f"/api/v1/leads/{ids[0]}/status", json={"status": status})
        client.post(f"/api/v1/leads/{ids[2]}/status", json={"status": "received"})
    # Two referrals nobody received in time, escalated to the coordinator.
    with Session(api.engine) as session:
        for lead_id in ids[1:2]:
            row = session.exec(select(Lead).where(Lead.id == lead_id)).one()
            row.created_at = utcnow() - timedelta(days=12)
            row.escalated_at = utcnow() - timedelta(days=3)
            session.add(row)
        session.commit()
    return {
        "bank": api.account_id(bank),
        "coordinator": api.account_id(coordinator),
        "lead": ids[0],
    }


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder, running_console(f"sqlite:///{folder}/loop.db") as api:
        world = seed(api)
        driver = start_chromium()
        try:
            driver.get(api.login_link(int(str(world["bank"]))))
            driver.find_element(By.ID, "signin").click()
            page = f"{api.url}/console/referrals/{world['lead']}"
            for width, tag in ((1280, "desktop"), (360, "360")):
                shoot(driver, page, f"bank-referral-{tag}.png", width)
            driver.get(page)
            driver.find_element(By.ID, "approve-amount").send_keys("45.000.000")
            driver.find_element(By.CSS_SELECTOR, "#approve-form button").click()
            shoot(driver, page, "bank-referral-approved-desktop.png", 1280)
            driver.delete_all_cookies()
            driver.get(api.login_link(int(str(world["coordinator"]))))
            driver.find_element(By.ID, "signin").click()
            for width, tag in ((1280, "desktop"), (360, "360")):
                shoot(driver, f"{api.url}/console/coordinator", f"coordinator-{tag}.png", width)
        finally:
            driver.quit()


if __name__ == "__main__":
    main()
