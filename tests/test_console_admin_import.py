"""Bulk import of accounts from a CSV or XLSX file over real HTTP: the preview writes nothing, the
confirmation writes every row in one go (or none), 103 communes in one file, bad files answered
with clear messages (never a 5xx), CSRF on upload and confirm, the pending import bound to the
admin's session, and the created tokens offered once as a neutralised CSV."""

from __future__ import annotations

import base64
import csv
import html
import io
import re
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from openpyxl import Workbook, load_workbook
from sqlmodel import Session, col, select

from api.models import Account, AccountImport
from api.roles import Role
from content.communes.official import province_wards
from tests.console_harness import ConsoleApi, csrf_of, running_console, sign_in
from tests.harness import COMMUNE_A, COMMUNE_B

FIXED = datetime(2026, 3, 3, 3, 0, tzinfo=UTC)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ["vai_tro", "ten", "ma_xa", "loai_co_quan"]


@pytest.fixture
def api(database_url: str) -> Iterator[ConsoleApi]:
    with running_console(database_url) as running:
        running.clock.fixed = FIXED
        yield running


def admin_browser(api: ConsoleApi, name: str = "Quản trị tỉnh") -> httpx.Client:
    token = api.account(Role.ADMIN, name=name)
    return sign_in(api, api.login_link(api.account_id(token)))


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(
    admin: httpx.Client, name: str, data: bytes, mime: str = XLSX, token: str | None = ""
) -> httpx.Response:
    form = {} if token is None else {"csrf_token": token or csrf_of(admin.get("/console/admin/import").text)}
    return admin.post("/console/admin/import", data=form, files={"file": (name, data, mime)})


def account_count(api: ConsoleApi) -> int:
    with Session(api.engine) as session:
        return len(session.exec(select(Account.id)).all())


def test_a_province_in_one_file_preview_writes_nothing_confirm_writes_all(api: ConsoleApi) -> None:
    wards = province_wards()
    assert len(wards) == 103
    rows: list[list[object]] = [HEADER]
    # Codes as Excel keeps them (numbers), names with diacritics.
    rows += [["commune_police", f"Công an {w.name}", int(w.code), None] for w in wards]
    rows.append(["Ngân hàng", "PGD NHCSXH Ninh Kiều", f"{wards[0].code}; {wards[1].code}", None])
    rows.append(["agency", "Sở Tài chính", None, "Sở Tài chính"])
    # A name a spreadsheet would run (typed as text: a "=" cell in XLSX is a formula, read as empty).
    rows.append(["coordinator", "+HYPERLINK(1)", None, None])
    admin = admin_browser(api)
    before = account_count(api)
    sent = upload(admin, "ca-xa.xlsx", xlsx(rows))
    assert sent.status_code == 303
    preview = admin.get(sent.headers["location"])
    assert preview.status_code == 200
    assert "106 dòng sẽ tạo tài khoản, 0 dòng có lỗi" in preview.text
    assert preview.text.count("Sẽ tạo") == 106
    assert account_count(api) == before  # the preview wrote nothing
    confirm_path = re.search(r'action="(/console/admin/import/[\w-]+/confirm)"', preview.text)
    assert confirm_path is not None
    token = csrf_of(preview.text)
    # The confirmation needs the form's token too.
    assert admin.post(confirm_path.group(1)).status_code == 403
    assert account_count(api) == before
    done = admin.post(confirm_path.group(1), data={"csrf_token": token})
    assert done.status_code == 200 and "Đã tạo 106 tài khoản" in done.text and "Chỉ hiện một lần" in done.text
    assert done.headers["cache-control"] == "no-store"
    assert account_count(api) == before + 106
    with Session(api.engine) as session:
        made = session.exec(select(Account).where(col(Account.id) > before).order_by(col(Account.id))).all()
        assert all(a.link_code_hash for a in made)
        assert made[-2].agency_kind == "department_finance"
    # The CSV (offered as a download of the page itself): every account, its token and link code;
    # the formula-like name stays text.
    link = re.search(r'href="(data:text/csv;charset=utf-8;base64,[^"]+)" download="([^"]+)"', done.text)
    assert link is not None and link.group(2).endswith(".csv")
    text = base64.b64decode(html.unescape(link.group(1)).split(",", 1)[1]).decode()
    table = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert table[0][:6] == ["dong", "id", "vai_tro", "ten", "ma_xa", "token"]
    assert len(table) == 107
    assert table[-1][3] == "'+HYPERLINK(1)"
    first_token = table[1][5]
    with api.client(first_token) as client:
        me = client.get("/api/v1/me").json()
    assert me["communes"] == [wards[0].code] and me["name"] == f"Công an {wards[0].name}"
    assert table[1][6].startswith("/canbo ")
    # Pressed again (or the page resent): nothing more is created, no secret shown again.
    again = admin.post(confirm_path.group(1), data={"csrf_token": token})
    assert again.status_code == 409 and "đã được xác nhận" in again.text
    assert account_count(api) == before + 106
    # The same file once more: every row is now a duplicate of an existing account.
    repeat = admin.get(upload(admin, "ca-xa.xlsx", xlsx(rows)).headers["location"])
    assert "0 dòng sẽ tạo tài khoản, 106 dòng có lỗi" in repeat.text and "giống hệt" in repeat.text
    assert "/confirm" not in repeat.text


def test_rows_in_error_are_named_and_the_file_is_refused_whole(api: ConsoleApi) -> None:
    api.account(Role.COMMUNE_POLICE, COMMUNE_B, name="Đã có")
    rows: list[list[object]] = [
        ["Vai trò", "Tên", "Mã xã", "Loại cơ quan"],
        ["commune_police", "Công an A", COMMUNE_A, None],  # row 2: fine
        ["thủ trưởng", "X", COMMUNE_A, None],  # 3: unknown role
        ["commune_police", "Công an Z", "12345678", None],  # 4: unknown commune
        ["commune_police", "Công an A", COMMUNE_A, None],  # 5: duplicate of row 2
        ["commune_police", "Đã có", COMMUNE_B, None],  # 6: already an account
        ["agency", "Sở Y", None, "so_phep_thuat"],  # 7: unknown agency kind, valid ones named
        ["admin", "Quản trị 2", None, None],  # 8: not from a file
        ["bank", "", COMMUNE_A, None],  # 9: no name
        [None, None, None, None],  # 10: blank, skipped
        ["commune_police", "Hai xã", f"{COMMUNE_A} {COMMUNE_B}", None],  # 11: one commune only
    ]
    admin = admin_browser(api)
    before = account_count(api)
    preview = admin.get(upload(admin, "loi.xlsx", xlsx(rows)).headers["location"])
    text = preview.text
    assert "1 dòng sẽ tạo tài khoản, 8 dòng có lỗi" in text
    expected = {
        3: "Vai trò “thủ trưởng” không có. Dùng một trong: commune_police, bank, coordinator, agency",
        4: "Mã xã không có trong danh mục: 12345678",
        5: "Trùng với dòng 2 trong tệp",
        6: "Đã có tài khoản #",
        7: "Loại cơ quan “so_phep_thuat” không có. Các loại hợp lệ: commune_committee",
        8: "Vai trò admin không nhập từ tệp",
        9: "Thiếu tên",
        11: "cần đúng một mã xã (có 2)",
    }
    cells = dict(
        re.findall(
            r'<td data-label="Dòng" class="num">(\d+)</td>\s*<td data-label="Kết quả">(.*?)</td>', text, re.S
        )
    )
    for row, message in expected.items():
        assert message in html.unescape(cells[str(row)]), (row, cells.get(str(row)))
    assert "Sẽ tạo" in cells["2"] and "10" not in cells
    assert "/confirm" not in text
    # Confirming anyway (a hand-made POST) is refused, and writes nothing.
    pending = re.search(r"/console/admin/import/([\w-]+)", preview.url.path)
    assert pending is not None
    refused = admin.post(
        f"/console/admin/import/{pending.group(1)}/confirm", data={"csrf_token": csrf_of(text)}
    )
    assert refused.status_code == 422
    assert account_count(api) == before


def test_csv_files_with_semicolons_and_a_bom_and_the_templates(api: ConsoleApi) -> None:
    admin = admin_browser(api)
    template = admin.get("/console/admin/import/mau-tai-khoan.xlsx")
    assert template.status_code == 200 and "attachment" in template.headers["content-disposition"]
    book = load_workbook(io.BytesIO(template.content), read_only=True)
    assert [c for c in next(book.worksheets[0].iter_rows(values_only=True))] == HEADER
    assert len(list(book.worksheets[1].iter_rows(values_only=True))) == 104  # header + 103 communes
    # The templates as downloaded go through as they are.
    sent = upload(admin, "mau.xlsx", template.content)
    assert "3 dòng sẽ tạo tài khoản, 0 dòng có lỗi" in admin.get(sent.headers["location"]).text
    csv_template = admin.get("/console/admin/import/mau-tai-khoan.csv").content
    sent = upload(admin, "mau.csv", csv_template, "text/csv")
    assert "3 dòng sẽ tạo tài khoản, 0 dòng có lỗi" in admin.get(sent.headers["location"]).text
    # Excel in Vietnamese saves with ";" between cells, and a BOM.
    semicolons = (
        '\ufeffvai_tro;ten;ma_xa\r\ncommune_police;Công an Mỹ Xuyên;31684\r\nbank;PGD;"31684, 31471"\r\n'
    )
    preview = admin.get(upload(admin, "vi.csv", semicolons.encode(), "text/csv").headers["location"])
    assert "2 dòng sẽ tạo tài khoản, 0 dòng có lỗi" in preview.text and "Công an Mỹ Xuyên" in preview.text


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.pdf", b"%PDF-1.4 not a table", "Chỉ nhận tệp CSV hoặc XLSX"),
        ("a.png", b"\x89PNG\r\n\x1a\n\x00\x00", "Chỉ nhận tệp CSV hoặc XLSX"),
        ("a.csv", b"", "Tệp trống"),
        ("a.csv", b"\n\n", "Tệp trống"),
        ("a.csv", b"vai_tro,ten,ma_xa\n", "chỉ có dòng tiêu đề"),
        ("a.csv", "tên,số điện thoại\nA,090\n".encode(), "Sai tiêu đề cột"),
        ("a.csv", b"vai_tro,ten,ma_xa,ten\nbank,A,31684,B\n", "có hai lần"),
        ("a.csv", "vai_tro,ten,ma_xa\nbank,Công an,31684\n".encode("cp1258"), "UTF-8"),
        ("a.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
        ("a.xlsx", b"PK\x03\x04 broken zip", "Không đọc được tệp XLSX"),
        ("a.xlsx", b"just text", "không phải bảng tính Excel"),
    ],
)
def test_bad_files_get_clear_messages(api: ConsoleApi, name: str, data: bytes, message: str) -> None:
    admin = admin_browser(api)
    answer = upload(admin, name, data, "application/octet-stream")
    assert answer.status_code == 422, answer.text[-500:]
    assert message in html.unescape(answer.text)
    with Session(api.engine) as session:
        assert session.exec(select(AccountImport)).first() is None


def test_a_zip_that_unpacks_to_too_much_and_too_many_rows(api: ConsoleApi) -> None:
    admin = admin_browser(api)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b"a" * (50 * 1024 * 1024))
    answer = upload(admin, "bomb.xlsx", bomb.getvalue())
    assert answer.status_code == 422 and "quá lớn khi giải nén" in answer.text
    many = "vai_tro,ten,ma_xa\n" + "".join(f"commune_police,CB {n},31684\n" for n in range(1001))
    answer = upload(admin, "many.csv", many.encode(), "text/csv")
    assert answer.status_code == 422 and "hơn 1000 dòng" in answer.text


def test_size_limit_is_the_upload_routes_own(api: ConsoleApi) -> None:
    admin = admin_browser(api)
    token = csrf_of(admin.get("/console/admin/import").text)
    # 1 MiB: over the app's usual 256 KiB bound, within the import's 2 MiB.
    padding = "vai_tro,ten,ma_xa\ncommune_police,Công an A,31684\n" + "\n" * (1024 * 1024)
    fine = upload(admin, "big.csv", padding.encode(), "text/csv", token)
    assert fine.status_code == 303
    # Over 2 MiB: refused before it is read, with a page (not a 5xx).
    huge = upload(admin, "huge.csv", b"x" * (3 * 1024 * 1024), "text/csv", token)
    assert huge.status_code == 413 and "quá lớn" in huge.text and "2.1 MiB" in huge.text
    # The larger bound is for that route only.
    other = admin.post("/console/admin/accounts", data={"csrf_token": token, "name": "x" * (300 * 1024)})
    assert other.status_code == 413


def test_upload_needs_the_form_token_and_the_import_belongs_to_its_session(api: ConsoleApi) -> None:
    admin = admin_browser(api)
    data = xlsx([HEADER, ["commune_police", "Công an A", COMMUNE_A, None]])
    assert upload(admin, "a.xlsx", data, token=None).status_code == 403
    assert upload(admin, "a.xlsx", data, token="x" * 43).status_code == 403
    with Session(api.engine) as session:
        assert session.exec(select(AccountImport)).first() is None
    path = upload(admin, "a.xlsx", data).headers["location"]
    # Another admin (another session) neither sees nor confirms it.
    other = admin_browser(api, "Quản trị 2")
    assert other.get(path).status_code == 404
    token = csrf_of(other.get("/console/admin/import").text)
    before = account_count(api)
    assert other.post(f"{path}/confirm", data={"csrf_token": token}).status_code == 404
    assert account_count(api) == before
    # Non-admins: refused.
    before += 1  # the officer's own account
    officer = sign_in(api, api.login_link(api.account_id(api.account(Role.COMMUNE_POLICE, COMMUNE_A))))
    officer_token = csrf_of(officer.get("/console/").text)
    assert upload(officer, "a.xlsx", data, token=officer_token).status_code == 403
    assert officer.post(f"{path}/confirm", data={"csrf_token": officer_token}).status_code == 403
    # An old preview is not confirmed: uploaded again.
    api.clock.offset = timedelta(hours=3)
    stale = admin.post(f"{path}/confirm", data={"csrf_token": csrf_of(admin.get(path).text)})
    assert stale.status_code == 409 and "quá 2 giờ" in stale.text
    assert account_count(api) == before


def test_no_file_chosen_and_messages_in_english(api: ConsoleApi) -> None:
    admin = admin_browser(api)
    token = csrf_of(admin.get("/console/admin/import").text)
    answer = admin.post("/console/admin/import", data={"csrf_token": token})
    assert answer.status_code == 422 and "Bạn chưa chọn tệp" in answer.text
    admin.get("/console/lang/en?next=/console/admin/import")
    rows = xlsx([HEADER, ["boss", "A", COMMUNE_A, None]])
    preview = admin.get(upload(admin, "a.xlsx", rows).headers["location"])
    assert "0 rows will create accounts, 1 rows have errors" in preview.text
    assert "Unknown role “boss”. Use one of: commune_police, bank, coordinator, agency" in html.unescape(
        preview.text
    )


def test_old_previews_are_cleared_by_the_next_upload(api: ConsoleApi) -> None:
    admin = admin_browser(api)
    data = xlsx([HEADER, ["commune_police", "Công an A", COMMUNE_A, None]])
    old = upload(admin, "a.xlsx", data).headers["location"]
    api.clock.offset = timedelta(hours=3)
    fresh = upload(admin, "b.xlsx", data).headers["location"]
    with Session(api.engine) as session:
        kept = [f"/console/admin/import/{row.key}" for row in session.exec(select(AccountImport)).all()]
    assert kept == [fresh] and old != fresh
    assert admin.get(old).status_code == 404
