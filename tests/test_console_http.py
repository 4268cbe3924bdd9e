"""The staff console over real HTTP: sign-in links, sessions, CSRF, scope between communes, audit,
queues and the referral page's forms. The same rules as the API, checked through the API."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlmodel import Session, select

from api.console import auth
from api.models import AuditEntry, Lead
from api.roles import Role
from tests.cli import run_cli
from tests.console_harness import ConsoleApi, csrf_of, open_link, revoke, running_console, sign_in
from tests.harness import COMMUNE_A, COMMUNE_B

# A Tuesday in Vietnam; Monday 2026-03-02 and the days around it are ordinary working days.
FIXED = datetime(2026, 3, 3, 3, 0, tzinfo=UTC)


@pytest.fixture
def api(database_url: str) -> Iterator[ConsoleApi]:
    with running_console(database_url) as running:
        running.clock.fixed = FIXED
        yield running


def _officer(api: ConsoleApi, commune: str = COMMUNE_A) -> tuple[str, int]:
    token = api.account(Role.COMMUNE_POLICE, commune)
    return token, api.account_id(token)


def test_login_link_works_once_and_for_15_minutes(api: ConsoleApi) -> None:
    _, officer = _officer(api)
    link = api.login_link(officer)
    client = sign_in(api, link)
    assert client.get("/console/whoami").json() == {"account_id": officer, "role": "commune_police"}
    # Used once: a second browser cannot use it again.
    assert open_link(api.browser(), link).status_code == 403
    # Expired: issued 16 minutes before the (fixed) clock.
    old = api.login_link(officer, now=FIXED - timedelta(minutes=16))
    late = api.browser()
    refused = open_link(late, old)
    assert refused.status_code == 403 and "15 phút" in refused.text
    assert late.get("/console/whoami").status_code == 303  # not signed in


def test_session_cookie_flags_idle_expiry_signout_and_revocation(api: ConsoleApi) -> None:
    _, officer = _officer(api)
    client = api.browser()
    path = httpx.URL(api.login_link(officer)).path
    page = client.get(path)
    answer = client.post(path, data={"csrf_token": csrf_of(page.text)})
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
    # 8 idle hours end the session; activity keeps it alive.
    api.clock.offset = timedelta(hours=7)
    assert client.get("/console/").status_code == 200
    api.clock.offset = timedelta(hours=14, minutes=59)
    assert client.get("/console/").status_code == 200
    api.clock.offset = timedelta(hours=23)
    assert client.get("/console/").headers["location"] == "/console/signin"
    # Sign-out ends the session on the server (the old cookie is refused afterwards).
    api.clock.offset = timedelta()
    client = sign_in(api, api.login_link(officer))
    kept = dict(client.cookies)
    form = csrf_of(client.get("/console/").text)
    assert client.post("/console/logout", data={"csrf_token": form}).status_code == 303
    assert api.browser(cookies=kept).get("/console/").status_code == 303
    # A revoked account's sessions end at once.
    client = sign_in(api, api.login_link(officer))
    revoke(api, officer)
    assert client.get("/console/").status_code == 303
    with Session(api.engine) as session:
        account = session.get(auth.Account, officer)
        assert account is not None
        with pytest.raises(auth.LoginRefused):
            auth.issue_login_link(session, account, api.url)


def test_secure_cookie_behind_https(database_url: str) -> None:
    with running_console(database_url, BUOCMOI_PUBLIC_URL="https://console.example.vn") as api:
        _, officer = _officer(api)
        link = api.login_link(officer)
        assert link.startswith("https://console.example.vn/console/login/")
        client = api.browser()
        path = httpx.URL(link).path
        page = client.get(path)
        assert "secure" in page.headers["set-cookie"].lower()
        # A browser sends a Secure cookie back over HTTPS only; this test server speaks HTTP.
        pre = page.headers["set-cookie"].split(";")[0]
        answer = client.post(path, data={"csrf_token": csrf_of(page.text)}, headers={"Cookie": pre})
        assert answer.status_code == 303 and "secure" in answer.headers["set-cookie"].lower()


def test_every_form_needs_its_token_and_this_origin(api: ConsoleApi) -> None:
    intake = api.account(Role.INTAKE)
    _, officer = _officer(api)
    lead = api.referral(intake, "k1", COMMUNE_A)
    client = sign_in(api, api.login_link(officer))
    token = csrf_of(client.get(f"/console/referrals/{lead['id']}").text)
    target = f"/console/referrals/{lead['id']}/status"
    assert client.post(target, data={"status": "received"}).status_code == 403
    assert client.post(target, data={"status": "received", "csrf_token": "x" * 43}).status_code == 403
    evil = client.post(
        target, data={"status": "received", "csrf_token": token}, headers={"Origin": "https://evil.example"}
    )
    assert evil.status_code == 403
    notes = client.post(f"/console/referrals/{lead['id']}/notes", data={"text": "hi"})
    assert notes.status_code == 403
    assert client.post("/console/logout").status_code == 403
    with Session(api.engine) as session:
        assert session.exec(select(Lead)).one().status == "new"
    ok = client.post(target, data={"status": "received", "csrf_token": token}, headers={"Origin": api.url})
    assert ok.status_code == 303


def test_scope_status_and_audit_are_the_apis(api: ConsoleApi) -> None:
    intake = api.account(Role.INTAKE)
    token_a, officer_a = _officer(api, COMMUNE_A)
    _, officer_b = _officer(api, COMMUNE_B)
    lead = api.referral(intake, "k1", COMMUNE_A)
    a = sign_in(api, api.login_link(officer_a))
    b = sign_in(api, api.login_link(officer_b))
    assert lead["reference"] in a.get("/console/").text
    inbox_b = b.get("/console/")
    assert inbox_b.status_code == 200 and lead["reference"] not in inbox_b.text
    assert b.get(f"/console/referrals/{lead['id']}").status_code == 404
    page = a.get(f"/console/referrals/{lead['id']}")
    assert page.status_code == 200 and 'href="tel:0912345678"' in page.text
    # B cannot move A's referral either, even with a valid token of its own.
    b_token = csrf_of(b.get("/console/").text)
    moved = b.post(
        f"/console/referrals/{lead['id']}/status", data={"status": "received", "csrf_token": b_token}
    )
    assert moved.status_code == 404
    done = a.post(
        f"/console/referrals/{lead['id']}/status",
        data={"status": "received", "csrf_token": csrf_of(page.text)},
    )
    assert done.status_code == 303
    with api.client(token_a) as client:
        assert client.get(f"/api/v1/leads/{lead['id']}").json()["status"] == "received"
        history = client.get(f"/api/v1/leads/{lead['id']}/events").json()["data"]
        # The step is stamped by the app's (fixed) clock, the intake by the real one: find it by status.
        [step] = [e for e in history if e["to_status"] == "received"]
        assert step["actor_account_id"] == officer_a
    with Session(api.engine) as session:
        actions = {(e.account_id, e.action) for e in session.exec(select(AuditEntry)).all()}
    assert {(officer_a, "console_list"), (officer_a, "console_read"), (officer_a, "update")} <= actions
    assert not any(account == officer_b and action != "console_list" for account, action in actions)


def test_decline_needs_a_reason_from_the_list(api: ConsoleApi) -> None:
    intake = api.account(Role.INTAKE)
    _, officer = _officer(api)
    lead = api.referral(intake, "k1", COMMUNE_A)
    client = sign_in(api, api.login_link(officer))
    token = csrf_of(client.get(f"/console/referrals/{lead['id']}").text)
    target = f"/console/referrals/{lead['id']}/status"
    assert client.post(target, data={"status": "declined", "csrf_token": token}).status_code == 422
    bad = client.post(target, data={"status": "declined", "reason": "nope", "csrf_token": token})
    assert bad.status_code == 422
    assert client.post(target, data={"status": "listed", "csrf_token": token}).status_code == 409
    ok = client.post(
        target, data={"status": "declined", "reason": "not_eligible", "note": "Đã gọi", "csrf_token": token}
    )
    assert ok.status_code == 303
    page = client.get(f"/console/referrals/{lead['id']}").text
    assert "Đã gọi" in page and "Không đủ điều kiện theo Quyết định 22" in page


def test_notes_and_monthly_list_fields_validated_and_in_the_timeline(api: ConsoleApi) -> None:
    intake = api.account(Role.INTAKE)
    _, officer = _officer(api)
    lead = api.referral(intake, "k1", COMMUNE_A)
    client = sign_in(api, api.login_link(officer))
    page = f"/console/referrals/{lead['id']}"
    token = csrf_of(client.get(page).text)
    assert (
        client.post(f"{page}/notes", data={"text": "Hẹn gặp thứ Năm", "csrf_token": token}).status_code == 303
    )
    wrong = client.post(
        f"{page}/details",
        data={"birth_year": "85", "gender": "x", "release_date": "2099-01-01", "csrf_token": token},
    )
    assert wrong.status_code == 422
    assert "Năm sinh gồm 4 chữ số" in wrong.text and 'aria-invalid="true"' in wrong.text
    saved = client.post(
        f"{page}/details",
        data={
            "birth_year": "1985",
            "gender": "nu",
            "address": "Số 5, hẻm 12",
            "release_date": "2025-01-15",
            "csrf_token": token,
        },
    )
    assert saved.status_code == 303
    with Session(api.engine) as session:
        stored = session.exec(select(Lead)).one()
        assert stored.contact_extra == {
            "birth_year": 1985,
            "gender": "nu",
            "address": "Số 5, hẻm 12",
            "release_date": "2025-01-15",
        }
        edits = session.exec(select(AuditEntry).where(AuditEntry.action == "console_edit")).all()
        assert [e.account_id for e in edits] == [officer]
    shown = client.get(page).text
    assert "Hẹn gặp thứ Năm" in shown and "Sửa thông tin danh sách tháng" in shown
    assert 'value="1985"' in shown


def test_queues_count_working_days_to_the_receive_deadline(api: ConsoleApi) -> None:
    intake = api.account(Role.INTAKE)
    _, officer = _officer(api)
    today = api.referral(intake, "k1", COMMUNE_A, contact={"name": "Lê Hôm Nay", "phone": "0912000001"})
    monday = api.referral(intake, "k2", COMMUNE_A, contact={"name": "Phạm Thứ Hai", "phone": "0912000002"})
    friday = api.referral(intake, "k3", COMMUNE_A, contact={"name": "Võ Thứ Sáu", "phone": "0912000003"})
    taken = api.referral(intake, "k4", COMMUNE_A, contact={"name": "Đỗ Đã Nhận", "phone": "0912000004"})
    api.set_created(str(today["id"]), FIXED - timedelta(hours=1))
    api.set_created(str(monday["id"]), FIXED - timedelta(days=1))
    api.set_created(str(friday["id"]), FIXED - timedelta(days=4))
    client = sign_in(api, api.login_link(officer))
    token = csrf_of(client.get("/console/").text)
    client.post(f"/console/referrals/{taken['id']}/status", data={"status": "received", "csrf_token": token})

    def names(queue: str, **params: str) -> set[str]:
        text = client.get("/console/", params={"queue": queue, **params}).text
        return {n for n in ("Lê Hôm Nay", "Phạm Thứ Hai", "Võ Thứ Sáu", "Đỗ Đã Nhận") if n in text}

    assert names("new") == {"Lê Hôm Nay", "Phạm Thứ Hai", "Võ Thứ Sáu"}
    assert names("due_soon") == {"Phạm Thứ Hai"}
    assert names("overdue") == {"Võ Thứ Sáu"}
    assert names("in_progress") == {"Đỗ Đã Nhận"}
    assert names("closed") == set()
    inbox = client.get("/console/", params={"queue": "new"}).text
    assert "Còn 2 ngày làm việc" in inbox and "Còn 1 ngày làm việc" in inbox and "Quá hạn tiếp nhận" in inbox
    # Search by part of a name, by phone (any way it is written) and by reference.
    assert names("new", q="thứ hai") == {"Phạm Thứ Hai"}
    assert names("new", q="+84 912 000 003") == {"Võ Thứ Sáu"}
    assert names("new", q=str(today["reference"]).lower()) == {"Lê Hôm Nay"}
    assert names("new", q="%") == set()


def test_pages_of_twenty(api: ConsoleApi) -> None:
    intake = api.account(Role.INTAKE)
    _, officer = _officer(api)
    for n in range(23):
        api.referral(intake, f"k{n}", COMMUNE_A)
    client = sign_in(api, api.login_link(officer))
    first = client.get("/console/", params={"queue": "new"}).text
    assert "23 hồ sơ" in first and "Trang 1/2" in first and first.count('class="lead-row') == 20
    second = client.get("/console/", params={"queue": "new", "page": "2"}).text
    assert second.count('class="lead-row') == 3


def test_same_phone_within_a_year_is_flagged(api: ConsoleApi) -> None:
    intake = api.account(Role.INTAKE)
    _, officer = _officer(api)
    first = api.referral(intake, "k1", COMMUNE_A)
    second = api.referral(intake, "k2", COMMUNE_B)
    client = sign_in(api, api.login_link(officer))
    assert "còn 1 đề nghị khác trong 12 tháng qua" in client.get(f"/console/referrals/{first['id']}").text
    api.set_created(str(second["id"]), FIXED - timedelta(days=400))
    assert "đề nghị khác" not in client.get(f"/console/referrals/{first['id']}").text


def test_english_switch_and_landing(api: ConsoleApi) -> None:
    _, officer = _officer(api)
    client = sign_in(api, api.login_link(officer))
    switched = client.get("/console/lang/en", params={"next": "/console/"})
    assert switched.status_code == 303 and switched.headers["location"] == "/console/"
    assert "Inbox" in client.get("/console/").text
    assert (
        client.get("/console/lang/vi", params={"next": "https://evil.example"}).headers["location"]
        == "/console/"
    )
    landing = client.get("/")
    assert landing.status_code == 200 and 'href="/console/"' in landing.text


def test_cli_prints_the_link_alone_on_the_last_line(database_url: str) -> None:
    with running_console(database_url) as api:
        _, officer = _officer(api)
        env = {"DATABASE_URL": database_url, "BUOCMOI_PUBLIC_URL": api.url}
        result = run_cli("accounts", "login-link", str(officer), env=env)
        assert result.returncode == 0, result.stderr
        link = result.stdout.strip().splitlines()[-1]
        assert link.startswith(f"{api.url}/console/login/")
        client = sign_in(api, link)
        assert client.get("/console/whoami").json()["account_id"] == officer
        assert run_cli("accounts", "login-link", "9999", env=env).returncode == 2
        created = run_cli("accounts", "create", "--role", "admin", "--name", "Quản trị", env=env)
        assert created.stdout.splitlines()[0].lower().startswith("account ")


def test_bot_asks_for_a_link_for_its_linked_chat(api: ConsoleApi) -> None:
    intake = api.account(Role.INTAKE)
    api.account(Role.COMMUNE_POLICE, COMMUNE_A, chat_id="777")
    with api.client(intake, **{"X-Acting-Chat": "777"}) as bot:
        answer = bot.post("/api/v1/me/login-link")
        assert answer.status_code == 200 and answer.json()["valid_minutes"] == 15
    with api.client(intake, **{"X-Acting-Chat": "999"}) as bot:
        assert bot.post("/api/v1/me/login-link").status_code == 403
    with api.client(intake) as bot:  # the bot itself never signs in
        assert bot.post("/api/v1/me/login-link").status_code == 403


def test_officer_records_that_the_person_withdrew(api: ConsoleApi) -> None:
    intake = api.account(Role.INTAKE)
    token, officer = _officer(api)
    lead = api.referral(intake, "k1", COMMUNE_A)
    client = sign_in(api, api.login_link(officer))
    page = client.get(f"/console/referrals/{lead['id']}").text
    assert 'data-status="withdrawn"' in page
    done = client.post(
        f"/console/referrals/{lead['id']}/status", data={"status": "withdrawn", "csrf_token": csrf_of(page)}
    )
    assert done.status_code == 303
    with api.client(token) as check:
        assert check.get(f"/api/v1/leads/{lead['id']}").json()["status"] == "withdrawn"


def test_the_monthly_list_carries_what_the_officer_filled_in(api: ConsoleApi) -> None:
    intake = api.account(Role.INTAKE)
    token, officer = _officer(api)
    lead = api.referral(intake, "k1", COMMUNE_A)
    client = sign_in(api, api.login_link(officer))
    page = f"/console/referrals/{lead['id']}"
    form = csrf_of(client.get(page).text)
    fields = {"birth_year": "1985", "gender": "nu", "address": "Số 5, hẻm 12", "release_date": "2025-01-15"}
    assert client.post(f"{page}/details", data={**fields, "csrf_token": form}).status_code == 303
    for status in ("received", "listed"):
        assert client.post(f"{page}/status", data={"status": status, "csrf_token": form}).status_code == 303
    with Session(api.engine) as session:
        listed_at = session.exec(select(Lead)).one().listed_at
    assert listed_at is not None
    month = (listed_at + timedelta(hours=7)).strftime("%Y-%m")
    with api.client(token) as check:
        params = {"commune_code": COMMUNE_A, "month": month, "format": "csv"}
        csv = check.get("/api/v1/exports/monthly-list", params=params)
    assert csv.status_code == 200, csv.text
    row = csv.text.splitlines()[1]  # under the header (the last line: "Chưa có xác nhận của UBND")
    assert "1985" in row and "Nữ" in row and "Số 5, hẻm 12" in row and "15/01/2025" in row
