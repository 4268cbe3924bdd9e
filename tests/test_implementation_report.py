"""The implementation report drafts (issue 16) over real HTTP and a real database, at a fixed clock:
the DOCX opens, states the period's referrals as the database counts them and holds a chart; the
XLSX's figures equal the database's; each account gets its own part or a 403; a bad period is a
422; a report's reminder links to its draft; the console's targets page and downloads."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlmodel import Session, col, func, select

from api.models import AuditEntry, Lead, LeadEvent, OutboxMessage
from api.reminders.scheduler import run_reminders
from api.roles import Role
from api.services import accounts
from api.services.report_words import SUMMARY_ROWS
from api.services.targets import targets_report
from tests.console_harness import ConsoleApi, running_console, sign_in
from tests.report_helpers import BUSY, CODES, EARLY, NOW, QUIET, VIETNAM, account, local, scenario


@pytest.fixture
def console(database_url: str) -> Iterator[ConsoleApi]:
    with running_console(database_url) as running:
        running.clock.fixed = NOW
        yield running


def _db_referrals(
    api: ConsoleApi, first: date, last: date, applicant: str = "person", commune: str | None = None
) -> int:
    start, end = local(first, 0), local(date.fromordinal(last.toordinal() + 1), 0)
    with Session(api.engine) as session:
        query = (
            select(func.count())
            .select_from(Lead)
            .where(Lead.applicant == applicant, col(Lead.created_at) >= start, col(Lead.created_at) < end)
        )
        if commune:
            query = query.where(Lead.commune_code == commune)
        return int(session.exec(query).one())


def _db_step(api: ConsoleApi, step: str, applicant: str = "person") -> tuple[int, int]:
    start, end = local(date(2026, 7, 1), 0), local(date(2027, 1, 1), 0)
    with Session(api.engine) as session:
        rows = session.exec(
            select(LeadEvent.details)
            .join(Lead, col(Lead.id) == col(LeadEvent.lead_id))
            .where(
                LeadEvent.to_status == step,
                Lead.applicant == applicant,
                col(LeadEvent.at) >= start,
                col(LeadEvent.at) < end,
            )
        ).all()
    return len(rows), sum(int(d["amount"]) for d in rows if d)


def test_the_coordinators_docx_and_xlsx_hold_the_databases_figures(console: ConsoleApi) -> None:
    tokens = scenario(console)
    coordinator = account(console, Role.COORDINATOR, name="Phòng PC10 Công an thành phố Cần Thơ")
    with console.client(coordinator) as client:
        docx = client.get("/api/v1/reports/implementation", params={"period": "2026-H2", "format": "docx"})
        xlsx = client.get("/api/v1/reports/implementation", params={"period": "2026-H2", "format": "xlsx"})
    assert docx.status_code == 200, docx.text
    assert docx.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert "bao-cao-ket-qua-2026-H2-tinh.docx" in docx.headers["content-disposition"]

    referrals = _db_referrals(console, date(2026, 7, 1), date(2026, 12, 31))
    assert referrals == 4  # a, b, c, d (the business lead apart, h1 outside)
    document = Document(io.BytesIO(docx.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert f"đã tiếp nhận {referrals} đề nghị vay vốn" in text
    assert "có 1 đề nghị của cơ sở sản xuất, kinh doanh" in text
    assert "6 tháng cuối năm 2026" in text and "BÁO CÁO" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cells and "Độc lập - Tự do - Hạnh phúc" in cells
    assert "PHÒNG PC10 CÔNG AN THÀNH PHỐ CẦN THƠ" in cells and "Cần Thơ, ngày" in cells
    assert "Nơi nhận:" in cells and "[QUYỀN HẠN, CHỨC VỤ CỦA NGƯỜI KÝ]" in cells
    assert "[Đơn vị tự đánh giá" in text and "[Đơn vị tự nêu đề xuất" in text
    approved, approved_amount = _db_step(console, "approved")
    disbursed, disbursed_amount = _db_step(console, "disbursed")
    assert (approved, disbursed) == (2, 2)
    assert f"phê duyệt {approved} khoản vay với số tiền {approved_amount:,} đồng".replace(",", ".") in text
    assert "gửi 2 lượt danh sách" in text
    assert len(document.inline_shapes) >= 1
    section = document.sections[0]
    assert section.page_width is not None and round(section.page_width.mm) == 210
    assert section.left_margin is not None and round(section.left_margin.mm) == 30
    assert document.styles["Normal"].font.name == "Times New Roman"

    assert xlsx.status_code == 200, xlsx.text
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["Tổng hợp", "Theo xã, phường", "Theo tháng", "Điều chuyển chỉ tiêu"]
    summary = {row[0]: row[1] for row in book["Tổng hợp"].iter_rows(min_row=4, values_only=True)}
    business_approved, business_amount = _db_step(console, "approved", "business")
    assert summary[SUMMARY_ROWS["referrals"]] == referrals
    assert summary[SUMMARY_ROWS["business_referrals"]] == 1
    assert summary[SUMMARY_ROWS["approved"]] == approved
    assert summary[SUMMARY_ROWS["approved_amount"]] == approved_amount == 50_000_000
    assert summary[SUMMARY_ROWS["disbursed"]] == disbursed
    assert summary[SUMMARY_ROWS["disbursed_amount"]] == disbursed_amount
    assert summary[SUMMARY_ROWS["business_approved"]] == business_approved == 1
    assert summary[SUMMARY_ROWS["business_approved_amount"]] == business_amount
    assert summary[SUMMARY_ROWS["lists_sent"]] == 2
    # a was contacted 2 days after it was sent, b 17 days after; c and d not yet.
    assert summary[SUMMARY_ROWS["contacted"]] == 2
    assert summary[SUMMARY_ROWS["median_days"]] == 9.5
    assert summary[SUMMARY_ROWS["p90_days"]] == 17.0
    assert summary[SUMMARY_ROWS["targets_met"]] == 1
    communes = {row[0]: row for row in book["Theo xã, phường"].iter_rows(min_row=4, values_only=True)}
    assert len(communes) == len(CODES)
    assert communes[BUSY][2:] == (3, 1, 2, 2, 50_000_000, 2, 50_000_000, 1, 2, "Có")
    assert (
        communes[QUIET][2] == _db_referrals(console, date(2026, 7, 1), date(2026, 12, 31), commune=QUIET) == 1
    )
    assert communes[EARLY][2] == 0
    months = {row[0]: row[1:] for row in book["Theo tháng"].iter_rows(min_row=4, values_only=True)}
    assert months["2026-08"] == (1, 0) and months["2026-10"] == (0, 1) and months["2026-11"] == (2, 0)
    transfers = list(book["Điều chuyển chỉ tiêu"].iter_rows(min_row=4, values_only=True))
    assert transfers[0][2] is not None and BUSY in str(transfers[0][2])  # BUSY has demand beyond its target

    # The annual report (the year) counts H1 too; every read is audited.
    with console.client(coordinator) as client:
        year = client.get("/api/v1/reports/implementation", params={"period": "2026", "format": "xlsx"})
    year_summary = {
        row[0]: row[1]
        for row in load_workbook(io.BytesIO(year.content))["Tổng hợp"].iter_rows(min_row=4, values_only=True)
    }
    assert (
        year_summary[SUMMARY_ROWS["referrals"]]
        == _db_referrals(console, date(2026, 1, 1), date(2026, 12, 31))
        == 5
    )
    assert year_summary[SUMMARY_ROWS["lists_sent"]] == 3
    with Session(console.engine) as session:
        audited = session.exec(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "report_implementation")
        ).one()
    assert audited == 3
    assert tokens  # the scenario's accounts stay in use below


def test_each_account_gets_its_own_part_or_a_403_and_a_bad_period_a_422(console: ConsoleApi) -> None:
    tokens = scenario(console)
    admin = account(console, Role.ADMIN)
    department = account(console, Role.AGENCY, agency_kind="department_home_affairs")

    def summary_of(token: str, period: str = "2026-H2") -> tuple[dict[Any, Any], int]:
        with console.client(token) as client:
            response = client.get(
                "/api/v1/reports/implementation", params={"period": period, "format": "xlsx"}
            )
        assert response.status_code == 200, response.text
        book = load_workbook(io.BytesIO(response.content))
        rows = {row[0]: row[1] for row in book["Tổng hợp"].iter_rows(min_row=4, values_only=True)}
        return rows, len(list(book["Theo xã, phường"].iter_rows(min_row=4)))

    police, communes = summary_of(tokens["police"])
    assert (
        communes == 1 and police[SUMMARY_ROWS["referrals"]] == 3 and police[SUMMARY_ROWS["lists_sent"]] == 2
    )
    quiet, communes = summary_of(tokens["quiet"])
    assert communes == 1 and quiet[SUMMARY_ROWS["referrals"]] == 1 and quiet[SUMMARY_ROWS["approved"]] == 0
    bank, communes = summary_of(tokens["bank"])
    assert communes == 3 and bank[SUMMARY_ROWS["referrals"]] == 4
    province, communes = summary_of(department)
    assert communes == len(CODES) and province[SUMMARY_ROWS["referrals"]] == 4

    for token in (tokens["intake"], admin):
        with console.client(token) as client:
            refused = client.get("/api/v1/reports/implementation", params={"period": "2026-H2"})
        assert refused.status_code == 403, refused.text
    with console.client() as client:
        assert client.get("/api/v1/reports/implementation", params={"period": "2026-H2"}).status_code == 401
    with console.client(tokens["police"]) as client:
        for bad in ("2026-H3", "26-H1", "2026-Q1", "1999", "2026-h1x"):
            response = client.get("/api/v1/reports/implementation", params={"period": bad})
            assert response.status_code == 422, (bad, response.text)
            assert (
                "YYYY-H1" in response.json()["error"]["message"]
                or "year" in response.json()["error"]["message"]
            )
        assert client.get("/api/v1/reports/implementation").status_code == 422
        assert (
            client.get(
                "/api/v1/reports/implementation", params={"period": "2026", "format": "pdf"}
            ).status_code
            == 422
        )


def test_a_reports_reminder_links_to_its_draft(console: ConsoleApi) -> None:
    with Session(console.engine) as session:
        police_kind, _ = accounts.create_account(
            session, name="Công an thành phố", role=Role.AGENCY, communes=[], agency_kind="provincial_police"
        )
        police_kind.telegram_chat_id = "7101"
        officer, _ = accounts.create_account(
            session, name="CA phường", role=Role.COMMUNE_POLICE, communes=[BUSY]
        )
        officer.telegram_chat_id = "7102"
        session.add(police_kind)
        session.add(officer)
        session.commit()
    # 7 December 2026: the annual report's first reminder (due 14/12, 7 days before); the same run
    # catches up the monthly list's (due 5/12) for the officer, which has no draft to link.
    assert run_reminders(console.engine, local(date(2026, 12, 7)), base_url="https://bm.example.vn") >= 2
    messages: dict[str, list[str]] = {}
    with Session(console.engine) as session:
        for m in session.exec(select(OutboxMessage).where(OutboxMessage.kind == "telegram")).all():
            messages.setdefault(m.target, []).append(m.payload["params"]["text"])
    (annual,) = messages["7101"]
    assert "https://bm.example.vn/console/reports/implementation?period=2026&format=docx" in annual
    assert annual.rstrip().endswith("period=2026&format=docx") and "Bản dự thảo báo cáo" in annual
    assert messages["7102"] and all("/console/reports/" not in text for text in messages["7102"])


def test_the_console_targets_page_and_draft_downloads(console: ConsoleApi) -> None:
    tokens = scenario(console)
    coordinator = account(console, Role.COORDINATOR)
    department = account(console, Role.AGENCY, agency_kind="department_home_affairs")
    browser = sign_in(console, console.login_link(console.account_id(coordinator)))
    page = browser.get("/console/targets")
    assert page.status_code == 200
    assert 'href="/console/targets"' in page.text and "Chỉ tiêu năm 2026" in page.text
    assert f'data-commune="{BUSY}" class="met"' in page.text
    assert f'data-to="{BUSY}"' in page.text  # a suggested transfer names BUSY as the receiver
    assert 'id="met-count">1/' in page.text
    chart = browser.get("/console/targets/chart.png")
    assert chart.status_code == 200 and chart.content.startswith(b"\x89PNG")
    download = browser.get("/console/reports/implementation", params={"period": "2026-H2", "format": "docx"})
    assert download.status_code == 200 and download.content.startswith(b"PK")
    assert browser.get("/console/reports/implementation", params={"period": "H2"}).status_code == 422

    reader = sign_in(console, console.login_link(console.account_id(department)))
    assert reader.get("/console/targets").status_code == 200
    officer = sign_in(console, console.login_link(console.account_id(tokens["police"])))
    assert officer.get("/console/targets").status_code == 404
    # The officer's own part of the draft (what a report's reminder links to).
    own = officer.get("/console/reports/implementation", params={"period": "2026", "format": "xlsx"})
    assert own.status_code == 200
    rows = list(
        load_workbook(io.BytesIO(own.content))["Theo xã, phường"].iter_rows(min_row=4, values_only=True)
    )
    assert [row[0] for row in rows] == [BUSY]


def test_a_loan_disbursed_just_after_local_new_year_counts_in_the_new_year(console: ConsoleApi) -> None:
    """1 January 2026, 03:00 in Vietnam is still 31 December 2025 in UTC: the year is the local one
    (the database stores UTC; the targets count compares in UTC)."""
    scenario(console)
    with Session(console.engine) as session:
        events = session.exec(
            select(LeadEvent)
            .join(Lead, col(Lead.id) == col(LeadEvent.lead_id))
            .where(LeadEvent.to_status == "disbursed", Lead.commune_code == BUSY)
        ).all()
        events[0].at = datetime(2026, 1, 1, 3, 0, tzinfo=VIETNAM).astimezone(UTC)
        session.add(events[0])
        session.commit()
        this_year = {row.code: row.disbursed for row in targets_report(session, 92, 2026, "vi").communes}
        last_year = {row.code: row.disbursed for row in targets_report(session, 92, 2025, "vi").communes}
    assert this_year[BUSY] == 2 and last_year[BUSY] == 0
