"""A business's referral in the staff console (issue 18), over real HTTP: the bank sees it in its inbox
at once and works its own steps (received, plan confirmed by UBND xã on Mẫu số 02, approved with an
amount, disbursed); the commune police never see it; no monthly-list fields on its page."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from api.roles import Role
from tests.console_harness import ConsoleApi, csrf_of, running_console, sign_in
from tests.harness import COMMUNE_A
from tests.test_business_api import business_body

FIXED = datetime(2026, 3, 3, 3, 0, tzinfo=UTC)  # a Tuesday, an ordinary working day


@pytest.fixture
def api(database_url: str) -> Iterator[ConsoleApi]:
    with running_console(database_url) as running:
        running.clock.fixed = FIXED
        yield running


def test_the_bank_works_a_business_referral_in_the_console(api: ConsoleApi) -> None:
    intake = api.account(Role.INTAKE)
    police = api.account_id(api.account(Role.COMMUNE_POLICE, COMMUNE_A))
    bank = api.account_id(api.account(Role.BANK, COMMUNE_A))
    with api.client(intake) as client:
        lead = client.post("/api/v1/leads", json=business_body()).json()
    officer = sign_in(api, api.login_link(police))
    assert lead["reference"] not in officer.get("/console/", params={"queue": "new"}).text
    assert officer.get(f"/console/referrals/{lead['id']}").status_code == 404

    banker = sign_in(api, api.login_link(bank))
    # The bank's new queue holds it at once (its persons' referrals arrive already listed).
    assert lead["reference"] in banker.get("/console/", params={"queue": "new"}).text
    url = f"/console/referrals/{lead['id']}"
    page = banker.get(url).text
    assert "Hộ kinh doanh Bánh Pía Năm Lợi" in page and "Trần Văn Lợi" in page
    assert 'href="tel:02993822123"' in page
    assert "Thông tin cho danh sách tháng" not in page  # never on a Mẫu 01 list
    assert 'data-status="received"' in page
    for status in ("received", "plan_confirmed"):
        done = banker.post(f"{url}/status", data={"status": status, "csrf_token": csrf_of(page)})
        assert done.status_code == 303, done.text
        page = banker.get(url).text
    assert "UBND xã đã xác nhận phương án" in page
    assert 'id="approve-form"' in page
    approved = banker.post(
        f"{url}/status", data={"status": "approved", "amount": "300.000.000", "csrf_token": csrf_of(page)}
    )
    assert approved.status_code == 303, approved.text
    page = banker.get(url).text
    assert 'id="disburse-form"' in page
    with api.client(intake) as client:
        stored = client.get(f"/api/v1/leads/{lead['id']}").json()
    assert (stored["status"], stored["approved_amount"]) == ("approved", 300_000_000)
