"""Assisted intake (issue 19) over real HTTP: an intake officer screens a person in the console and
makes the referral with the paper consent; the commune police receive it like a bot referral; the
officer reads only its own referrals and nothing else."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest
from sqlmodel import Session, col, select

from api.models import Account, AuditEntry, Lead, LeadEvent
from api.roles import Role
from api.security import hash_secret
from api.services import accounts
from tests.cli import run_cli
from tests.console_harness import ConsoleApi, csrf_of, running_console, sign_in
from tests.harness import COMMUNE_A, COMMUNE_B, lead_body

FIXED = datetime(2026, 3, 3, 3, 0, tzinfo=UTC)

GOOD = {
    "name": "Trần Văn Bình",
    "phone": "0901 234 567",
    "commune_code": COMMUNE_A,
    "release_status": "completed",
    "has_certificate": "yes",
    "release_date": "15/06/2025",
    "purpose": "production",
    "amount": "50000000",
    "same_purpose_debt": "no",
    "signed_by": "Trần Văn Bình",
    "signed_on": "01/03/2026",
    "form_ref": "GDY-2026-017",
    "consent_police": "yes",
    "consent_bank": "yes",
}


@pytest.fixture
def api(database_url: str) -> Iterator[ConsoleApi]:
    with running_console(database_url) as running:
        running.clock.fixed = FIXED
        yield running


def _officer(api: ConsoleApi, *communes: str) -> tuple[httpx.Client, int]:
    # No API token to ask /me with: the role works only in the console.
    with Session(api.engine) as session:
        account, token = accounts.create_account(
            session, name="Cán bộ trại giam", role=Role.INTAKE_OFFICER, communes=list(communes)
        )
    assert token == "" and account.id is not None
    return sign_in(api, api.login_link(account.id)), account.id


def _post(client: httpx.Client, fields: dict[str, str], action: str = "screen") -> httpx.Response:
    page = client.get("/console/assisted")
    assert page.status_code == 200, page.text
    form_id = page.text.split('name="form_id" value="', 1)[1].split('"', 1)[0]
    data = {"csrf_token": csrf_of(page.text), "form_id": form_id, **fields, "action": action}
    return client.post("/console/assisted", data=data)


def test_officer_screens_refers_and_the_commune_police_receive_it(api: ConsoleApi) -> None:
    client, officer = _officer(api)
    home = client.get("/console/", follow_redirects=True)
    assert "Lập hồ sơ hộ" in home.text and "Cán bộ hỗ trợ lập hồ sơ" in home.text

    # Bad input everywhere: 422, a message next to each field, what was typed kept.
    bad = dict(GOOD, phone="12345", release_date="31/02/2025", signed_on="hôm qua", commune_code="00004")
    bad.pop("consent_police")
    answer = _post(client, bad)
    assert answer.status_code == 422
    text = answer.text
    assert "Số điện thoại di động chưa đúng" in text and 'id="e-phone"' in text
    assert 'id="e-release_date"' in text and 'id="e-signed_on"' in text and 'id="e-commune_code"' in text
    assert "đã ký đồng ý gửi cho Công an xã/phường" in text
    assert 'value="Trần Văn Bình"' in text and 'value="GDY-2026-017"' in text and 'value="hôm qua"' in text
    assert 'value="refer"' not in text
    # A missing screening answer: the screening's own message at that question.
    missing = dict(GOOD, purpose="")
    answer = _post(client, missing)
    assert answer.status_code == 422 and 'id="e-purpose"' in answer.text

    # Right: the result, and the button to refer.
    answer = _post(client, GOOD)
    assert answer.status_code == 200, answer.text
    assert "Có khả năng đủ điều kiện" in answer.text and 'value="refer"' in answer.text
    # A person who is not eligible: no referral.
    not_eligible = _post(client, dict(GOOD, same_purpose_debt="yes"), action="refer")
    assert not_eligible.status_code == 200 and "Chưa đủ điều kiện" in not_eligible.text
    assert 'value="refer"' not in not_eligible.text

    made = _post(client, GOOD, action="refer")
    assert made.status_code == 303
    lead_id = made.headers["location"].split("made=")[1]
    with Session(api.engine) as session:
        lead = session.get(Lead, lead_id)
        assert lead is not None
        assert lead.channel == "assisted" and lead.channel_user == "phone:84901234567"
        assert lead.created_by == officer and lead.contact_phone == "0901234567"
        assert lead.outcome == "likely_eligible" and lead.consent_police and lead.consent_bank
        assert lead.answers["release_date"] == "2025-06-15"
        events = session.exec(select(LeadEvent).where(LeadEvent.lead_id == lead_id)).all()
        paper = [e for e in events if e.reason == "paper_consent"]
        assert len(paper) == 1 and paper[0].note is not None and "GDY-2026-017" in paper[0].note
        assert "Đồng ý trên giấy" in paper[0].note
    page = client.get(made.headers["location"])
    assert lead.reference in page.text
    own = client.get(f"/console/referrals/{lead_id}")
    assert own.status_code == 200 and "GDY-2026-017" in own.text and "Đồng ý trên giấy" in own.text
    assert "/notes" not in own.text  # reads it, adds nothing

    # The commune police see it in their inbox, like a bot referral.
    police_token = api.account(Role.COMMUNE_POLICE, COMMUNE_A)
    police = sign_in(api, api.login_link(api.account_id(police_token)))
    inbox = police.get("/console/?queue=new")
    assert lead.reference in inbox.text
    with api.client(police_token) as http:
        public = http.get(f"/api/v1/leads/{lead_id}").json()
    assert public["channel"] == "assisted" and public["outcome"] == "likely_eligible"

    # Reads of personal data on the officer's page are audited.
    with Session(api.engine) as session:
        actions = {
            e.action
            for e in session.exec(select(AuditEntry).where(col(AuditEntry.account_id) == officer)).all()
        }
    assert {"console_list", "console_read"} <= actions


def test_officer_reads_only_its_own_and_nothing_else(api: ConsoleApi) -> None:
    first, _ = _officer(api)
    second, _ = _officer(api, COMMUNE_B)
    made = _post(first, GOOD, action="refer")
    assert made.status_code == 303
    lead_id = made.headers["location"].split("made=")[1]
    # Another intake officer: not found; its list does not show it.
    assert second.get(f"/console/referrals/{lead_id}").status_code == 404
    assert lead_id not in second.get("/console/assisted").text
    # A commune-bound officer enters only for its communes.
    answer = _post(second, GOOD)
    assert answer.status_code == 422 and "chỉ lập hồ sơ cho các xã/phường được giao" in answer.text
    # No other page: admin, coordinator, monthly lists, targets.
    for path in (
        "/console/admin/accounts",
        "/console/coordinator",
        "/console/monthly-lists",
        "/console/targets",
    ):
        assert first.get(path).status_code in (403, 404), path
    # The inbox sends it to its own page.
    assert first.get("/console/").headers["location"] == "/console/assisted"
    # Nor the API: the role has no token (see test_no_api_token_for_an_intake_officer).


def test_csrf_missing_is_refused_and_others_cannot_open_the_page(api: ConsoleApi) -> None:
    client, _ = _officer(api)
    refused = client.post("/console/assisted", data={**GOOD, "action": "refer"})
    assert refused.status_code == 403
    with Session(api.engine) as session:
        assert session.exec(select(Lead)).first() is None
    police = sign_in(api, api.login_link(api.account_id(api.account(Role.COMMUNE_POLICE, COMMUNE_A))))
    assert police.get("/console/assisted").status_code == 403
    assert "/console/assisted" not in police.get("/console/").text


def test_the_person_writing_later_with_the_same_phone_is_not_joined_to_it(api: ConsoleApi) -> None:
    """A phone number is no proof of who writes: a chat giving the same number gets a referral of
    its own and sees nothing of the assisted one (no name, no answers, no erasure of it); the
    commune officer sees the same-phone warning on both and decides."""
    client, _ = _officer(api)
    made = _post(client, GOOD, action="refer")
    lead_id = made.headers["location"].split("made=")[1]
    bot = api.account(Role.INTAKE)
    body = lead_body("tg-1", COMMUNE_A, contact={"name": "Bình", "phone": "+84 901 234 567"})
    with api.client(bot) as http:
        own = http.post("/api/v1/leads", json=body)
        assert own.status_code == 201, own.text
        assert own.json()["id"] != lead_id and own.json()["channel"] == "telegram"
        mine = http.get("/api/v1/people/telegram/1001/leads").json()
        assert [lead["id"] for lead in mine["data"]] == [own.json()["id"]]
        # Erasure from that chat reaches only its own referral.
        assert http.delete("/api/v1/people/telegram/1001").json()["erased"] == 1
    with Session(api.engine) as session:
        assisted = session.get(Lead, lead_id)
        assert assisted is not None and assisted.status == "new" and assisted.contact_phone == "0901234567"
        assert not session.exec(select(LeadEvent).where(LeadEvent.reason == "joined")).all()
    # A second chat's referral with the same number: the officer is warned on the assisted one.
    with api.client(bot) as http:
        body2 = lead_body(
            "tg-2", COMMUNE_A, channel_user="1002", contact={"name": "Bình", "phone": "0901234567"}
        )
        assert http.post("/api/v1/leads", json=body2).status_code == 201
    police_token = api.account(Role.COMMUNE_POLICE, COMMUNE_A)
    police = sign_in(api, api.login_link(api.account_id(police_token)))
    page = police.get(f"/console/referrals/{lead_id}")
    assert "Số điện thoại này còn 1 đề nghị khác" in page.text


def test_admin_creates_intake_officers_by_form_and_by_import(api: ConsoleApi) -> None:
    admin = sign_in(api, api.login_link(api.account_id(api.account(Role.ADMIN, name="Quản trị"))))
    form_page = admin.get("/console/admin/accounts/new")
    assert "Cán bộ hỗ trợ lập hồ sơ (intake_officer)" in form_page.text
    made = admin.post(
        "/console/admin/accounts",
        data={
            "csrf_token": csrf_of(form_page.text),
            "role": "intake_officer",
            "name": "Trại giam Y",
            "communes": "",
        },
    )
    assert made.status_code in (200, 303), made.text
    csv_file = (
        "vai_tro,ten,ma_xa\ncán bộ hỗ trợ lập hồ sơ,Công an xã lập hồ sơ,31684\nintake_officer,Trại giam Z,\n"
    )
    page = admin.get("/console/admin/import")
    sent = admin.post(
        "/console/admin/import",
        data={"csrf_token": csrf_of(page.text)},
        files={"file": ("a.csv", csv_file.encode(), "text/csv")},
    )
    assert sent.status_code == 303, sent.text
    preview = admin.get(sent.headers["location"])
    assert "2 dòng sẽ tạo tài khoản, 0 dòng có lỗi" in preview.text
    confirm = preview.text.split('action="', 2)
    path = next(p.split('"', 1)[0] for p in confirm if p.startswith("/console/admin/import/"))
    done = admin.post(path, data={"csrf_token": csrf_of(preview.text)})
    assert done.status_code == 200 and "Đã tạo 2 tài khoản" in done.text
    with Session(api.engine) as session:
        officers = session.exec(select(Account).where(Account.role == "intake_officer")).all()
        assert len(officers) == 3
        # Not linkable to a chat: no link code was issued.
        assert all(a.link_code_hash is None for a in officers)


def test_officer_sees_a_reduced_view_of_its_referral(api: ConsoleApi) -> None:
    """Least privilege: the intake officer confirms what it typed and the referral's status; the
    commune's notes and steps, the monthly-list fields and the province-wide same-phone count are
    the commune's, not its."""
    client, _ = _officer(api)
    made = _post(client, GOOD, action="refer")
    lead_id = made.headers["location"].split("made=")[1]
    # Another referral with the same phone, from the bot: the commune officer is warned of it.
    bot = api.account(Role.INTAKE)
    api.referral(bot, "tg-same", COMMUNE_A, contact={"name": "Bình", "phone": "0901234567"})
    police_token = api.account(Role.COMMUNE_POLICE, COMMUNE_A, name="CA phường Mỹ Xuyên")
    police = sign_in(api, api.login_link(api.account_id(police_token)))
    page = police.get(f"/console/referrals/{lead_id}")
    note = police.post(
        f"/console/referrals/{lead_id}/notes",
        data={"csrf_token": csrf_of(page.text), "text": "Đã gọi, hẹn thứ Năm gặp ở trụ sở"},
    )
    assert note.status_code == 303
    with api.client(police_token) as http:
        assert http.post(f"/api/v1/leads/{lead_id}/status", json={"status": "received"}).status_code == 200
    full = police.get(f"/console/referrals/{lead_id}").text
    assert "Số điện thoại này còn 1 đề nghị khác" in full and "hẹn thứ Năm" in full

    own = client.get(f"/console/referrals/{lead_id}")
    assert own.status_code == 200
    text = own.text
    # What it typed and the status, as the commune now has it.
    assert "GDY-2026-017" in text and 'data-status="received"' in text and "Trần Văn Bình" in text
    # Not the commune's work, nor the province-wide count, nor the list fields or next steps.
    assert "hẹn thứ Năm" not in text and "CA phường Mỹ Xuyên" not in text
    assert "Số điện thoại này còn" not in text
    assert 'id="details"' not in text and 'id="h-next"' not in text and "/status" not in text


def test_no_api_token_for_an_intake_officer(api: ConsoleApi) -> None:
    """Console only: no token is issued by the API, the command line, the admin's form or the
    import, and a token such an account holds from before is refused like an unknown one."""
    admin = api.account(Role.ADMIN, name="Quản trị")
    with api.client(admin) as http:
        made = http.post("/api/v1/accounts", json={"name": "Trại giam X", "role": "intake_officer"})
        assert made.status_code == 201, made.text
        assert made.json()["token"] == ""
        # Other roles still get theirs.
        police = http.post(
            "/api/v1/accounts", json={"name": "CA", "role": "commune_police", "communes": [COMMUNE_A]}
        )
        assert police.json()["token"].startswith("bm_")
    officer_id = int(made.json()["id"])
    result = run_cli(
        "accounts",
        "create",
        "--role",
        "intake_officer",
        "--name",
        "Trại giam Y",
        env={"DATABASE_URL": api.settings.database_url},
    )
    assert result.returncode == 0, result.stderr
    assert "bm_" not in result.stdout and "login-link" in result.stdout.splitlines()[-1]
    # The admin's form goes to the account's page (its sign-in link), showing no token.
    browser = sign_in(api, api.login_link(api.account_id(admin)))
    form = browser.get("/console/admin/accounts/new")
    created = browser.post(
        "/console/admin/accounts",
        data={
            "csrf_token": csrf_of(form.text),
            "role": "intake_officer",
            "name": "Trại giam Z",
            "communes": "",
        },
    )
    assert created.status_code == 303 and created.headers["location"].startswith("/console/admin/accounts/")
    assert "bm_" not in browser.get(created.headers["location"]).text
    # An account made before this change holds a working token: now refused (401), as unknown.
    old = "bm_" + "x" * 40
    with Session(api.engine) as session:
        account = session.get(Account, officer_id)
        assert account is not None
        account.token_hash = hash_secret(old)
        session.add(account)
        session.commit()
    with api.client(old) as http:
        assert http.get("/api/v1/me").status_code == 401
        assert http.get("/api/v1/leads").status_code == 401
    # It still signs in to the console.
    client = sign_in(api, api.login_link(officer_id))
    assert client.get("/console/assisted").status_code == 200
