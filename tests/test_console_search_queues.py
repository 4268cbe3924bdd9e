"""A search that finds nothing in the open queue says where it did find referrals: an officer who
types a phone on the inbox's first tab ("Mới") must not conclude that the person is not there."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from api.roles import Role
from tests.console_harness import csrf_of, running_console, sign_in
from tests.harness import COMMUNE_A


def test_search_points_to_the_queues_that_hold_matches(database_url: str) -> None:
    with running_console(database_url) as api:
        api.clock.fixed = datetime(2026, 3, 3, 3, 0, tzinfo=UTC)
        intake = api.account(Role.INTAKE)
        officer = api.account_id(api.account(Role.COMMUNE_POLICE, COMMUNE_A))
        lead = api.referral(intake, "k1", COMMUNE_A, contact={"name": "Đỗ Văn Tìm", "phone": "0912000009"})
        client = sign_in(api, api.login_link(officer))
        token = csrf_of(client.get("/console/").text)
        page = f"/console/referrals/{lead['id']}"
        client.post(f"{page}/status", data={"status": "received", "csrf_token": token})
        shown = client.get("/console/", params={"queue": "new", "q": "0912 000 009"}).text
        assert "0 hồ sơ" in shown
        hint = re.search(r'<p class="elsewhere"[^>]*>(.*?)</p>', shown, re.S)
        assert hint is not None, "no pointer to the other queues"
        assert "Đang xử lý" in hint.group(1) and "queue=in_progress" in hint.group(1)
        assert "q=0912+000+009" in hint.group(1)
        # Nothing anywhere: no pointer.
        assert 'class="elsewhere"' not in client.get("/console/", params={"q": "không ai"}).text
