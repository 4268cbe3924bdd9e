"""Bad input in every form of a referral's page: a clear Vietnamese message on the page itself, what
was typed kept in the form, never a JSON error nor a 500; invisible control characters never stored."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest
from sqlmodel import Session, col, select

from api.models import Lead, LeadEvent, LeadNote
from api.roles import Role
from tests.console_harness import ConsoleApi, csrf_of, running_console, sign_in
from tests.harness import COMMUNE_A

FIXED = datetime(2026, 3, 3, 3, 0, tzinfo=UTC)


@pytest.fixture
def api(database_url: str) -> Iterator[ConsoleApi]:
    with running_console(database_url) as running:
        running.clock.fixed = FIXED
        yield running


@pytest.fixture
def officer_page(api: ConsoleApi) -> tuple[httpx.Client, str, str]:
    intake = api.account(Role.INTAKE)
    officer = api.account_id(api.account(Role.COMMUNE_POLICE, COMMUNE_A))
    lead = api.referral(intake, "k1", COMMUNE_A)
    client = sign_in(api, api.login_link(officer))
    page = f"/console/referrals/{lead['id']}"
    return client, page, csrf_of(client.get(page).text)


def _html(response: httpx.Response, status: int = 422) -> str:
    assert response.status_code == status, response.text[:300]
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def test_a_decline_note_with_a_control_character_is_cleaned_not_a_500(
    api: ConsoleApi, officer_page: tuple[httpx.Client, str, str]
) -> None:
    client, page, token = officer_page
    sent = client.post(
        f"{page}/status",
        data={
            "status": "declined",
            "reason": "not_resident",
            "note": "Đã\x07 chuyển\x1b đi\x00",
            "csrf_token": token,
        },
    )
    assert sent.status_code == 303
    with Session(api.engine) as session:
        event = session.exec(select(LeadEvent).where(LeadEvent.to_status == "declined")).one()
        assert event.note == "Đã chuyển đi"


def test_notes_as_a_browser_sends_them(api: ConsoleApi, officer_page: tuple[httpx.Client, str, str]) -> None:
    client, page, token = officer_page
    # 2,000 characters in the textarea (its maxlength), line breaks sent as CRLF: saved.
    typed = ("Đã gọi.\n" * 250)[:-1] + "x"
    assert len(typed) == 2000
    sent = client.post(f"{page}/notes", data={"text": typed.replace("\n", "\r\n"), "csrf_token": token})
    assert sent.status_code == 303
    # Control characters (NUL cannot be stored by PostgreSQL) are dropped, not a database error.
    assert client.post(f"{page}/notes", data={"text": "a\x00b\x1bc", "csrf_token": token}).status_code == 303
    with Session(api.engine) as session:
        texts = [n.text for n in session.exec(select(LeadNote).order_by(col(LeadNote.id))).all()]
    assert texts == [typed, "abc"]
    # Too long (a forged form or a pasted text): the message, and the text still in the box.
    long = "Ghi chú " + "y" * 5000
    shown = _html(client.post(f"{page}/notes", data={"text": long, "csrf_token": token}))
    assert "Ghi chú dài tối đa 2000 ký tự" in shown and long in shown


def test_overlong_or_missing_fields_answer_on_the_page(officer_page: tuple[httpx.Client, str, str]) -> None:
    client, page, token = officer_page
    long_note = "Người đã chuyển đi " + "z" * 3000
    shown = _html(
        client.post(
            f"{page}/status",
            data={"status": "declined", "reason": "not_resident", "note": long_note, "csrf_token": token},
        )
    )
    assert "dài tối đa 1000 ký tự" in shown and long_note in shown
    for data in ({}, {"status": "x" * 40}, {"status": "declined", "reason": "r" * 100}):
        shown = _html(client.post(f"{page}/status", data={**data, "csrf_token": token}))
        assert "Bước này chưa làm được" in shown
    address = "Khóm 3 " + "w" * 5000
    shown = _html(
        client.post(
            f"{page}/details", data={"birth_year": "123456789", "address": address, "csrf_token": token}
        )
    )
    assert "Nơi cư trú dài tối đa 300 ký tự" in shown and address in shown
    assert 'value="123456789"' in shown


def test_dates_and_years_out_of_range_say_why(
    api: ConsoleApi, officer_page: tuple[httpx.Client, str, str]
) -> None:
    client, page, token = officer_page
    old = _html(client.post(f"{page}/details", data={"birth_year": "1800", "csrf_token": token}))
    assert "Năm sinh từ 1926 đến 2012" in old
    # The page opens at its top, far from the fields on a phone: the refusal is said there too,
    # and the form sends the officer back to its fields.
    assert 'role="alert">Chưa lưu thông tin danh sách tháng' in old
    assert f'action="{page}/details#details"' in old
    young = _html(client.post(f"{page}/details", data={"birth_year": "2020", "csrf_token": token}))
    assert "Năm sinh từ 1926 đến 2012" in young
    assert "Năm sinh gồm 4 chữ số" in _html(
        client.post(f"{page}/details", data={"birth_year": "85", "csrf_token": token})
    )
    future = _html(client.post(f"{page}/details", data={"release_date": "2026-03-04", "csrf_token": token}))
    assert "không thể sau hôm nay" in future
    ancient = _html(client.post(f"{page}/details", data={"release_date": "1900-01-01", "csrf_token": token}))
    assert "không thể sau hôm nay" not in ancient and "từ năm 1950" in ancient
    # Control characters in the address are dropped before it reaches the monthly list.
    sent = client.post(f"{page}/details", data={"address": "Khóm\x1b 3\x00", "csrf_token": token})
    assert sent.status_code == 303
    with Session(api.engine) as session:
        assert session.exec(select(Lead)).one().contact_extra == {"address": "Khóm 3"}


def test_a_console_address_with_bad_parameters_answers_a_page(
    api: ConsoleApi, officer_page: tuple[httpx.Client, str, str]
) -> None:
    client, _page, _token = officer_page
    for query in ("page=0", "page=abc", "page=999999999", "queue=" + "x" * 30, "commune=123456789", "x=1"):
        shown = _html(client.get(f"/console/?{query}"))
        assert "Địa chỉ trang không hợp lệ" in shown and "Về hộp việc" in shown
    # A long search (pasted) is cut to its first 100 characters, not refused.
    assert client.get("/console/?q=" + "a" * 150).status_code == 200
    assert client.get("/console/?q=%00%1b").status_code == 200
    # The API keeps its JSON errors.
    with api.client(api.account(Role.ADMIN)) as admin:
        refused = admin.get("/api/v1/admin/audit?limit=0")
        assert refused.status_code == 422 and refused.json()["error"]["code"] == "invalid"


def test_the_persons_dates_read_as_staff_write_them(
    api: ConsoleApi, officer_page: tuple[httpx.Client, str, str]
) -> None:
    client, page, _token = officer_page
    with Session(api.engine) as session:
        answers = dict(session.exec(select(Lead)).one().answers or {})
    shown = client.get(page).text
    assert "release_date" in answers, answers
    year, month = str(answers["release_date"]).split("-")[:2]
    assert f"<dd>{month}/{year}" in shown and f"<dd>{answers['release_date']}</dd>" not in shown
