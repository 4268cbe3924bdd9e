"""The admin's console pages over real HTTP: accounts (list, create, revoke, link codes, sign-in
links), failed deliveries with retry, and the audit log; who may see them; CSRF on every form."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest
from sqlmodel import Session, col, select

from api.models import Account, AccountCommune, AuditEntry, OutboxMessage
from api.roles import Role
from tests.console_harness import ConsoleApi, csrf_of, open_link, running_console, sign_in
from tests.harness import COMMUNE_A, COMMUNE_B

FIXED = datetime(2026, 3, 3, 3, 0, tzinfo=UTC)


@pytest.fixture
def api(database_url: str) -> Iterator[ConsoleApi]:
    with running_console(database_url) as running:
        running.clock.fixed = FIXED
        yield running


def admin_browser(api: ConsoleApi) -> httpx.Client:
    token = api.account(Role.ADMIN, name="Quản trị tỉnh")
    return sign_in(api, api.login_link(api.account_id(token)))


def _accounts(api: ConsoleApi) -> list[Account]:
    with Session(api.engine) as session:
        return list(session.exec(select(Account).order_by(col(Account.id))).all())


PAGES = [
    "/console/admin/accounts",
    "/console/admin/accounts/new",
    "/console/admin/accounts/1",
    "/console/admin/accounts/1/revoke",
    "/console/admin/import",
    "/console/admin/import/mau-tai-khoan.xlsx",
    "/console/admin/deliveries",
    "/console/admin/audit",
]


def test_only_the_admin_sees_the_admin_pages(api: ConsoleApi) -> None:
    intake = api.account(Role.INTAKE)
    lead = api.referral(intake, "k1", COMMUNE_A)
    admin = admin_browser(api)
    for path in PAGES:
        assert admin.get(path).status_code == 200, path
    # The admin's home is the accounts page, never the referrals' inbox.
    home = admin.get("/console/")
    assert home.status_code == 303 and home.headers["location"] == "/console/admin/accounts"
    assert admin.get(f"/console/referrals/{lead['id']}").status_code == 404
    page = admin.get("/console/admin/accounts").text
    for label in ("Tài khoản", "Nhập từ tệp", "Tin gửi lỗi", "Nhật ký truy cập"):
        assert label in page
    for role, communes in (
        (Role.COMMUNE_POLICE, [COMMUNE_A]),
        (Role.BANK, [COMMUNE_A]),
        (Role.COORDINATOR, []),
    ):
        token = api.account(role, *communes)
        other = sign_in(api, api.login_link(api.account_id(token)))
        for path in PAGES:
            answer = other.get(path)
            assert answer.status_code == 403, (role, path)
            assert "chỉ dành cho quản trị viên" in answer.text
        form = csrf_of(other.get("/console/").text)
        before = len(_accounts(api))
        refused = other.post(
            "/console/admin/accounts", data={"csrf_token": form, "role": "admin", "name": "x"}
        )
        assert refused.status_code == 403 and len(_accounts(api)) == before
        assert "Tài khoản" not in other.get("/console/").text.split("<main")[0]
    # Not signed in: the sign-in page.
    assert api.browser().get("/console/admin/accounts").headers["location"] == "/console/signin"


def test_create_shows_the_token_once_with_the_api_rules(api: ConsoleApi) -> None:
    admin = admin_browser(api)
    form = csrf_of(admin.get("/console/admin/accounts/new").text)
    made = admin.post(
        "/console/admin/accounts",
        data={
            "csrf_token": form,
            "role": "commune_police",
            "name": "Công an phường Mỹ Xuyên",
            "communes": COMMUNE_A,
        },
    )
    assert made.status_code == 200 and "Chỉ hiện một lần" in made.text
    assert made.headers["cache-control"] == "no-store"
    token = re.search(r'<code id="secret">([^<]+)</code>', made.text)
    assert token is not None
    # The token works on the API, as the officer's.
    with api.client(token.group(1)) as client:
        me = client.get("/api/v1/me").json()
    assert me["role"] == "commune_police" and me["communes"] == [COMMUNE_A]
    # Sent again (the browser's "resend"): no second account.
    again = admin.post(
        "/console/admin/accounts",
        data={
            "csrf_token": form,
            "role": "commune_police",
            "name": "Công an phường Mỹ Xuyên",
            "communes": COMMUNE_A,
        },
    )
    assert again.status_code == 409 and "giống hệt" in again.text
    # The service's rules, said in Vietnamese.
    cases = [
        ({"role": "commune_police", "name": "A", "communes": ""}, "cần đúng một mã xã"),
        (
            {"role": "commune_police", "name": "A", "communes": "99999"},
            "Mã xã không có trong danh mục: 99999",
        ),
        ({"role": "bank", "name": " ", "communes": COMMUNE_A}, "Thiếu tên"),
        ({"role": "agency", "name": "Sở X", "agency_kind": "department_magic"}, "department_finance"),
        (
            {
                "role": "commune_police",
                "name": "A",
                "communes": COMMUNE_A,
                "agency_kind": "department_finance",
            },
            "chỉ dành cho vai trò agency",
        ),
        ({"role": "boss", "name": "A"}, "Chọn một vai trò"),
    ]
    count = len(_accounts(api))
    for data, expected in cases:
        answer = admin.post("/console/admin/accounts", data={"csrf_token": form, **data})
        assert answer.status_code == 422 and expected in answer.text, (data, answer.text[-800:])
    assert len(_accounts(api)) == count
    # A bank for two communes, an agency with its kind.
    bank = admin.post(
        "/console/admin/accounts",
        data={
            "csrf_token": form,
            "role": "bank",
            "name": "PGD NHCSXH",
            "communes": f"{COMMUNE_A}; {COMMUNE_B}",
        },
    )
    assert bank.status_code == 200
    agency = admin.post(
        "/console/admin/accounts",
        data={
            "csrf_token": form,
            "role": "agency",
            "name": "Sở Tài chính",
            "agency_kind": "department_finance",
        },
    )
    assert agency.status_code == 200
    made_accounts = _accounts(api)
    assert [a.agency_kind for a in made_accounts][-1] == "department_finance"
    with Session(api.engine) as session:
        bank_id = made_accounts[-2].id
        codes = session.exec(
            select(AccountCommune.commune_code).where(AccountCommune.account_id == bank_id)
        ).all()
    assert sorted(codes) == sorted([COMMUNE_A, COMMUNE_B])


def test_list_search_and_filters(api: ConsoleApi) -> None:
    api.account(Role.COMMUNE_POLICE, COMMUNE_A, name="Nguyễn Văn Ánh")
    api.account(Role.COMMUNE_POLICE, COMMUNE_B, name="Trần Thị Bình")
    api.account(Role.BANK, COMMUNE_A, COMMUNE_B, name="PGD Ninh Kiều")
    gone = api.account(Role.COORDINATOR, name="Điều phối cũ")
    admin = admin_browser(api)
    form = csrf_of(admin.get("/console/admin/accounts").text)
    assert (
        admin.post(
            f"/console/admin/accounts/{api.account_id(gone)}/revoke", data={"csrf_token": form}
        ).status_code
        == 303
    )

    def names(query: str) -> set[str]:
        page = admin.get("/console/admin/accounts" + query)
        assert page.status_code == 200
        return set(re.findall(r'<a href="/console/admin/accounts/\d+">([^<]+)</a>', page.text))

    assert {"Nguyễn Văn Ánh", "Trần Thị Bình", "PGD Ninh Kiều"} <= names("")
    assert "Điều phối cũ" not in names("")
    assert names("?q=bình") == {"Trần Thị Bình"}
    assert names("?role=bank") == {"PGD Ninh Kiều"}
    assert names(f"?commune={COMMUNE_B}") == {"Trần Thị Bình", "PGD Ninh Kiều"}
    assert names("?state=revoked") == {"Điều phối cũ"}
    assert admin.get("/console/admin/accounts?bogus=1").status_code == 422


def test_revoke_asks_first_and_ends_the_sessions_at_once(api: ConsoleApi) -> None:
    officer_token = api.account(Role.COMMUNE_POLICE, COMMUNE_A, name="Cán bộ A")
    officer = api.account_id(officer_token)
    officer_browser = sign_in(api, api.login_link(officer))
    assert officer_browser.get("/console/").status_code == 200
    admin = admin_browser(api)
    confirm = admin.get(f"/console/admin/accounts/{officer}/revoke")
    assert "Không thể hoàn tác" in confirm.text and 'id="confirm-revoke"' in confirm.text
    form = csrf_of(confirm.text)
    # Without the form's token: refused, nothing revoked.
    assert admin.post(f"/console/admin/accounts/{officer}/revoke").status_code == 403
    assert officer_browser.get("/console/").status_code == 200
    done = admin.post(f"/console/admin/accounts/{officer}/revoke", data={"csrf_token": form})
    assert done.status_code == 303
    assert "Đã thu hồi" in admin.get(done.headers["location"]).text
    assert officer_browser.get("/console/").headers["location"] == "/console/signin"
    with api.client(officer_token) as client:
        assert client.get("/api/v1/me").status_code == 401
    # The admin cannot revoke itself.
    me = admin.get("/console/whoami").json()["account_id"]
    assert admin.post(f"/console/admin/accounts/{me}/revoke", data={"csrf_token": form}).status_code == 303
    assert admin.get("/console/admin/accounts").status_code == 200
    assert admin.get("/console/admin/accounts/999999").status_code == 404


def test_link_code_and_sign_in_link_are_shown_once_and_work(api: ConsoleApi) -> None:
    # The bot's link route checks a code against the real clock: the console's runs with it here.
    api.clock.fixed = None
    officer = api.account_id(api.account(Role.COMMUNE_POLICE, COMMUNE_A, name="Cán bộ B"))
    intake = api.account_id(api.account(Role.INTAKE))
    admin = admin_browser(api)
    page = admin.get(f"/console/admin/accounts/{officer}")
    form = csrf_of(page.text)
    assert admin.post(f"/console/admin/accounts/{officer}/link-code").status_code == 403
    shown = admin.post(f"/console/admin/accounts/{officer}/link-code", data={"csrf_token": form})
    assert shown.status_code == 200 and "Chỉ hiện một lần" in shown.text
    code = re.search(r'<code id="secret">/canbo ([^<]+)</code>', shown.text)
    assert code is not None
    bot = api.account(Role.INTAKE)
    with api.client(bot) as client:
        linked = client.post("/api/v1/telegram/link", json={"code": code.group(1), "chat_id": "4242"})
    assert linked.status_code == 200 and linked.json()["id"] == officer
    # A sign-in link: opened in another browser, it signs the officer in (15 minutes, once).
    link = admin.post(f"/console/admin/accounts/{officer}/login-link", data={"csrf_token": form})
    assert link.status_code == 200 and "15 phút" in link.text
    url = re.search(r'<code id="secret">([^<]+)</code>', link.text)
    assert url is not None and "/console/login/" in url.group(1)
    fresh = api.browser()
    assert open_link(fresh, url.group(1)).status_code == 303
    assert fresh.get("/console/whoami").json()["account_id"] == officer
    assert open_link(api.browser(), url.group(1)).status_code == 403
    # The bot (intake) neither links a chat nor signs in: refused with a message, not a 500.
    assert (
        admin.post(f"/console/admin/accounts/{intake}/link-code", data={"csrf_token": form}).status_code
        == 409
    )
    assert (
        admin.post(f"/console/admin/accounts/{intake}/login-link", data={"csrf_token": form}).status_code
        == 409
    )


def test_failed_deliveries_and_retry(api: ConsoleApi) -> None:
    with Session(api.engine) as session:
        for n, status in enumerate(("dead", "dead", "sent")):
            session.add(
                OutboxMessage(
                    kind="telegram",
                    target=f"chat-secret-{n}",
                    payload={"text": "Nội dung riêng tư"},
                    dedupe_key=f"d{n}",
                    purpose="status_update",
                    status=status,
                    attempts=8,
                    last_error="Forbidden: bot was blocked by the user",
                )
            )
        session.commit()
        dead_id, _, sent_id = session.exec(select(OutboxMessage.id).order_by(col(OutboxMessage.id))).all()
    admin = admin_browser(api)
    page = admin.get("/console/admin/deliveries")
    assert page.status_code == 200 and "bot was blocked" in page.text
    assert "Nội dung riêng tư" not in page.text and "chat-secret" not in page.text
    form = csrf_of(page.text)
    assert admin.post(f"/console/admin/deliveries/{dead_id}/retry").status_code == 403
    done = admin.post(f"/console/admin/deliveries/{dead_id}/retry", data={"csrf_token": form})
    assert done.status_code == 303
    assert f"Tin #{dead_id} đã vào lại hàng đợi" in admin.get(done.headers["location"]).text
    with Session(api.engine) as session:
        row = session.get(OutboxMessage, dead_id)
        assert row is not None and row.status == "pending" and row.attempts == 0
    assert (
        admin.post(f"/console/admin/deliveries/{sent_id}/retry", data={"csrf_token": form}).status_code == 409
    )
    assert admin.post("/console/admin/deliveries/99999/retry", data={"csrf_token": form}).status_code == 404
    assert "Đã gửi" in admin.get("/console/admin/deliveries?status=sent").text


def test_audit_log_search_and_pages(api: ConsoleApi) -> None:
    officer = api.account_id(api.account(Role.COMMUNE_POLICE, COMMUNE_A, name="Cán bộ C"))
    bank = api.account_id(api.account(Role.BANK, COMMUNE_A, name="NHCSXH C"))
    with Session(api.engine) as session:
        for n in range(60):
            session.add(
                AuditEntry(
                    at=datetime(2026, 2, 1 + n % 28, 5, tzinfo=UTC),
                    account_id=officer,
                    action="console_read",
                    lead_id=f"lead{n:03d}",
                )
            )
        session.add(
            AuditEntry(
                at=datetime(2026, 3, 1, 2, tzinfo=UTC), account_id=bank, action="export", lead_id="leadbank"
            )
        )
        session.commit()
    admin = admin_browser(api)
    first = admin.get("/console/admin/audit")
    # The 61 reads and the creation of the three accounts (officer, bank, admin).
    assert "64 mục" in first.text and "Trang 1/2" in first.text
    assert "lead000" not in first.text and "leadbank" in first.text
    second = admin.get("/console/admin/audit?page=2")
    assert "Trang 2/2" in second.text and "lead000" in second.text
    assert "1 mục" in admin.get(f"/console/admin/audit?account={bank}").text
    assert "1 mục" in admin.get("/console/admin/audit?lead=lead007").text
    assert "60 mục" in admin.get("/console/admin/audit?action=console_read").text
    # Local days (Vietnam): 2026-02-01 05:00 UTC is 12:00 on 1 February.
    assert "3 mục" in admin.get("/console/admin/audit?since=2026-02-01&until=2026-02-01").text
    # (Bounded: the accounts made above are audited too, at the real time.)
    assert "1 mục" in admin.get("/console/admin/audit?since=01/03/2026&until=31/03/2026").text
    bad = admin.get("/console/admin/audit?since=hôm qua&account=abc")
    assert bad.status_code == 200 and "Ngày không đúng dạng" in bad.text and "phải là một số" in bad.text


def test_the_console_audits_accounts_it_creates_imports_and_revokes(api: ConsoleApi) -> None:
    admin = admin_browser(api)
    admin_id = next(a.id for a in _accounts(api) if a.role == "admin")
    form = admin.get("/console/admin/accounts/new")
    made = admin.post(
        "/console/admin/accounts",
        data={"csrf_token": csrf_of(form.text), "role": "coordinator", "name": "PC10 mới", "communes": ""},
    )
    assert made.status_code == 200
    created = next(a.id for a in _accounts(api) if a.name == "PC10 mới")
    page = admin.get(f"/console/admin/accounts/{created}/revoke")
    done = admin.post(f"/console/admin/accounts/{created}/revoke", data={"csrf_token": csrf_of(page.text)})
    assert done.status_code == 303
    upload = admin.get("/console/admin/import")
    sent = admin.post(
        "/console/admin/import",
        data={"csrf_token": csrf_of(upload.text)},
        files={"file": ("a.csv", b"vai_tro,ten,ma_xa\ncommune_police,CA nhap,31684\n", "text/csv")},
    )
    preview = admin.get(sent.headers["location"])
    path = next(
        p.split('"', 1)[0] for p in preview.text.split('action="') if p.startswith("/console/admin/import/")
    )
    assert admin.post(path, data={"csrf_token": csrf_of(preview.text)}).status_code == 200
    imported = next(a.id for a in _accounts(api) if a.name == "CA nhap")
    with Session(api.engine) as session:
        rows = session.exec(
            select(AuditEntry)
            .where(col(AuditEntry.subject_account_id).in_([created, imported]))
            .order_by(col(AuditEntry.id))
        ).all()
    assert [(r.action, r.account_id, r.subject_account_id, r.details) for r in rows] == [
        ("account_create", admin_id, created, {"via": "console", "role": "coordinator"}),
        ("account_revoke", admin_id, created, {"via": "console", "role": "coordinator"}),
        ("account_create", admin_id, imported, {"via": "import", "role": "commune_police"}),
    ]
    # The log page names the account each entry is about.
    log = admin.get("/console/admin/audit?action=account_revoke").text
    assert f'href="/console/admin/accounts/{created}"' in log and "PC10 mới" in log
