"""Bulk import of staff accounts from a CSV or XLSX file: read, check every row with the same rules
as `POST /api/v1/accounts` (api/services/accounts.py), and write all the rows in one transaction.

Nothing is written while the admin previews: the rows as read are kept server-side
(`AccountImport`), bound to the admin's console session, and checked again on confirmation. A file
with any row in error is refused as a whole: the admin fixes the file and uploads it again, and
never has to work out which half of a file went in (the tokens shown once are then a complete set).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from api.actor import Actor
from api.console.i18n import T_
from api.models import Account, AccountCommune
from api.roles import Role
from api.services import accounts
from api.sheets import append_row, csv_cell
from content.catalog import get_content
from content.communes.official import province_wards
from content.communes.text import fold

MAX_FILE_BYTES = 2 * 1024 * 1024
# A province has about a hundred communes; several accounts each still fits.
MAX_ROWS = 1000
# An XLSX is a zip: what it may unpack to (a small file that unpacks to gigabytes is refused).
MAX_UNPACKED_BYTES = 40 * 1024 * 1024
MAX_CELL = 400

# Bulk import makes staff accounts: an admin or a front-door (intake) account is made one at a
# time on the accounts page, never from a file that passes through many hands.
IMPORT_ROLES = (Role.COMMUNE_POLICE, Role.BANK, Role.COORDINATOR, Role.AGENCY, Role.INTAKE_OFFICER)

COLUMNS = ("vai_tro", "ten", "ma_xa", "loai_co_quan")
REQUIRED = ("vai_tro", "ten", "ma_xa")
# Header spellings taken for each column (compared folded: no diacritics, case, "_" or spaces).
HEADER_ALIASES = {
    "vai_tro": ("vai tro", "role"),
    "ten": ("ten", "ho ten", "ho va ten", "ten tai khoan", "name"),
    "ma_xa": ("ma xa", "ma xa phuong", "xa", "communes", "commune"),
    "loai_co_quan": ("loai co quan", "agency kind", "agency"),
}
ROLE_ALIASES: dict[str, Role] = {
    "commune police": Role.COMMUNE_POLICE,
    "cong an": Role.COMMUNE_POLICE,
    "cong an xa": Role.COMMUNE_POLICE,
    "cong an phuong": Role.COMMUNE_POLICE,
    "cong an xa/phuong": Role.COMMUNE_POLICE,
    "bank": Role.BANK,
    "ngan hang": Role.BANK,
    "nhcsxh": Role.BANK,
    "ngan hang chinh sach xa hoi": Role.BANK,
    "coordinator": Role.COORDINATOR,
    "dieu phoi vien": Role.COORDINATOR,
    "dieu phoi vien tinh": Role.COORDINATOR,
    "agency": Role.AGENCY,
    "co quan": Role.AGENCY,
    "admin": Role.ADMIN,
    "quan tri vien": Role.ADMIN,
    "intake": Role.INTAKE,
    "intake officer": Role.INTAKE_OFFICER,
    "can bo ho tro lap ho so": Role.INTAKE_OFFICER,
    "can bo lap ho so": Role.INTAKE_OFFICER,
}


def _key(text: str) -> str:
    return " ".join(fold(text).replace("_", " ").replace("-", " ").split())


class ImportFileError(Exception):
    """The file as a whole cannot be read; `message` (a console message id) says why."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


@dataclass
class CheckedRow:
    row: int  # the row number in the file (the header is row 1)
    raw: dict[str, str]
    spec: accounts.AccountSpec | None = None
    errors: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


# --- reading the file -------------------------------------------------------------------------


def read_table(file_name: str, data: bytes) -> list[list[str]]:
    """The first sheet (XLSX) or the rows (CSV) as text cells; `ImportFileError` if unreadable."""
    if not data:
        raise ImportFileError(T_("Tệp trống."))
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(T_("Tệp lớn hơn {limit} MiB."), limit=MAX_FILE_BYTES // (1024 * 1024))
    lower = file_name.lower()
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    if data.startswith(b"\xd0\xcf\x11\xe0") or lower.endswith(".xls"):
        raise ImportFileError(
            T_("Tệp Excel 97–2003 (.xls) chưa đọc được: bạn lưu lại thành .xlsx rồi tải lên.")
        )
    if lower.endswith((".xlsx", ".xlsm")):
        raise ImportFileError(T_("Tệp có đuôi .xlsx nhưng không phải bảng tính Excel hợp lệ."))
    if not lower.endswith((".csv", ".txt")) or b"\x00" in data[:4096]:
        raise ImportFileError(T_("Chỉ nhận tệp CSV hoặc XLSX."))
    return _read_csv(data)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a commune code typed as a number: 31135.0 -> "31135"
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value).strip()[:MAX_CELL]


def _read_csv(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            T_("Tệp CSV không ở dạng UTF-8. Trong Excel chọn Lưu thành → “CSV UTF-8”, hoặc tải lên tệp XLSX.")
        ) from None
    first = text.split("\n", 1)[0]
    # Excel in Vietnamese writes ";" between cells (the comma is the decimal mark).
    delimiter = max((",", ";", "\t"), key=first.count)
    try:
        rows = [[_text(cell) for cell in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    except csv.Error:
        raise ImportFileError(T_("Không đọc được tệp CSV (dấu ngoặc kép không khớp?).")) from None
    return rows[: MAX_ROWS + 2]


def _read_xlsx(data: bytes) -> list[list[str]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > 200 or sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
                raise ImportFileError(T_("Tệp XLSX quá lớn khi giải nén."))
    except zipfile.BadZipFile:
        raise ImportFileError(T_("Không đọc được tệp XLSX (tệp hỏng?).")) from None
    from openpyxl import load_workbook  # only this page reads workbooks

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            rows: list[list[str]] = []
            for values in sheet.iter_rows(max_row=MAX_ROWS + 2, max_col=20, values_only=True):
                rows.append([_text(v) for v in values])
        finally:
            book.close()
    except ImportFileError:
        raise
    except Exception:  # any malformed workbook: a message for the admin, never a 500
        raise ImportFileError(T_("Không đọc được tệp XLSX (tệp hỏng?).")) from None
    return rows


def parse_rows(table: list[list[str]]) -> list[dict[str, str]]:
    """The data rows as {"row", column: text}; the header must name the columns."""
    while table and not any(table[-1]):
        table.pop()
    if not table or not any(table[0]):
        raise ImportFileError(
            T_("Tệp trống: dòng đầu phải là tiêu đề cột ({columns})."), columns=", ".join(COLUMNS)
        )
    positions: dict[str, int] = {}
    unknown: list[str] = []
    for index, title in enumerate(table[0]):
        if not title:
            continue
        key = _key(title)
        column = next((c for c, aliases in HEADER_ALIASES.items() if key in aliases or key == _key(c)), None)
        if column is None:
            unknown.append(title)
        elif column in positions:
            raise ImportFileError(T_("Cột “{column}” có hai lần trong dòng tiêu đề."), column=title)
        else:
            positions[column] = index
    missing = [c for c in REQUIRED if c not in positions]
    if missing or unknown:
        raise ImportFileError(
            T_("Sai tiêu đề cột. Cần các cột: {columns}. Thiếu: {missing}. Không nhận ra: {unknown}."),
            columns=", ".join(COLUMNS),
            missing=", ".join(missing) or "—",
            unknown=", ".join(unknown) or "—",
        )
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(cells):
            continue  # blank lines between blocks are common in hand-made sheets
        row: dict[str, Any] = {"row": number}
        for column, index in positions.items():
            row[column] = cells[index] if index < len(cells) else ""
        rows.append(row)
    if not rows:
        raise ImportFileError(T_("Tệp chỉ có dòng tiêu đề, không có tài khoản nào."))
    if len(rows) > MAX_ROWS:
        raise ImportFileError(T_("Tệp có hơn {limit} dòng; bạn chia thành nhiều tệp."), limit=MAX_ROWS)
    return rows


# --- checking the rows --------------------------------------------------------------------------


def _role(text: str) -> Role | None:
    key = _key(text)
    for role in Role:
        if key == _key(role.value):
            return role
    return ROLE_ALIASES.get(key)


def _agency_kind(text: str) -> str | None:
    """The kind's code, from its code or its Vietnamese name; the text itself when unknown."""
    key = _key(text)
    for code, names in get_content().deadlines.schedule.names.agency_kinds.items():
        if key in (_key(code), _key(names.vi), _key(names.en)):
            return code
    return text.strip()


def _split_codes(text: str) -> list[str]:
    return [c for c in text.replace(";", " ").replace(",", " ").replace("/", " ").split() if c]


def _identity(spec: accounts.AccountSpec) -> tuple[str, str, tuple[str, ...], str]:
    return (spec.role.value, spec.name.casefold(), spec.communes, spec.agency_kind or "")


def existing_identities(session: Session) -> dict[tuple[str, str, tuple[str, ...], str], int]:
    """Active accounts by (role, name, communes, kind): importing the same file twice is caught."""
    communes: dict[int, list[str]] = {}
    for account_id, code in session.exec(select(AccountCommune.account_id, AccountCommune.commune_code)):
        communes.setdefault(account_id, []).append(code)
    found = {}
    for account in session.exec(select(Account).where(col(Account.active))):
        assert account.id is not None
        key = (
            account.role,
            account.name.casefold(),
            tuple(sorted(communes.get(account.id, []))),
            account.agency_kind or "",
        )
        found[key] = account.id
    return found


ROLE_LIST = ", ".join(r.value for r in IMPORT_ROLES)


def account_error_message(err: accounts.AccountError) -> tuple[str, dict[str, Any]]:
    """The service's refusal, said in the console's language (the same rule, the same words)."""
    need = {
        "one": T_("đúng một mã xã"),
        "at_least_one": T_("ít nhất một mã xã"),
        "none": T_("không có mã xã nào"),
    }
    messages: dict[str, str] = {
        "communes_count": T_("Vai trò {role} cần {need} (có {got})."),
        "unknown_communes": T_("Mã xã không có trong danh mục: {codes}."),
        "empty_name": T_("Thiếu tên."),
        "long_name": T_("Tên dài quá {limit} ký tự."),
        "agency_kind_role": T_("Loại cơ quan chỉ dành cho vai trò agency, không cho {role}."),
        "unknown_agency_kind": T_("Loại cơ quan “{kind}” không có. Các loại hợp lệ: {valid}."),
    }
    params: dict[str, Any] = dict(err.params)
    if "need" in params:
        params["need"] = need[params["need"]]
        params["_translate"] = ("need",)
    return messages.get(err.code, str(err)), params


def check_rows(session: Session, rows: Iterable[dict[str, Any]]) -> list[CheckedRow]:
    """Every row with its account (ready to write) or its reasons (with the file's row number)."""
    existing = existing_identities(session)
    seen: dict[tuple[str, str, tuple[str, ...], str], int] = {}
    checked = []
    for raw in rows:
        row = CheckedRow(int(raw["row"]), {c: str(raw.get(c, "")) for c in COLUMNS})
        checked.append(row)
        role = _role(row.raw["vai_tro"])
        if role is None:
            row.errors.append(
                (
                    T_("Vai trò “{role}” không có. Dùng một trong: {valid}."),
                    {"role": row.raw["vai_tro"], "valid": ROLE_LIST},
                )
            )
            continue
        if role not in IMPORT_ROLES:
            row.errors.append(
                (
                    T_("Vai trò {role} không nhập từ tệp: bạn tạo từng tài khoản trên trang Tài khoản."),
                    {"role": role.value},
                )
            )
            continue
        kind_text = row.raw["loai_co_quan"].strip()
        try:
            row.spec = accounts.validate_account(
                name=row.raw["ten"],
                role=role,
                communes=_split_codes(row.raw["ma_xa"]),
                agency_kind=_agency_kind(kind_text) if kind_text else None,
            )
        except accounts.AccountError as err:
            row.errors.append(account_error_message(err))
            continue
        identity = _identity(row.spec)
        if identity in seen:
            row.errors.append((T_("Trùng với dòng {row} trong tệp."), {"row": seen[identity]}))
            row.spec = None
        elif identity in existing:
            row.errors.append(
                (T_("Đã có tài khoản #{id} giống hệt (vai trò, tên, xã)."), {"id": existing[identity]})
            )
            row.spec = None
        else:
            seen[identity] = row.row
    return checked


# --- writing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Created:
    row: int
    account_id: int
    role: str
    name: str
    communes: tuple[str, ...]
    token: str
    link_code: str
    link_expires: datetime


def write_all(session: Session, checked: list[CheckedRow], now: datetime, by: Actor) -> list[Created]:
    """Add every account with a link code and its audit entry (`by`, through the import), in the
    caller's transaction (no commit here)."""
    created = []
    for row in checked:
        assert row.spec is not None and not row.errors
        account, token = accounts.add_account(session, row.spec, by=by, via="import")
        # An intake officer works only in the console: no chat to link, so no code (it would not work).
        code = accounts.set_link_code(session, account, now) if accounts.may_link(account) else ""
        expires = account.link_code_expires_at or now + accounts.LINK_CODE_VALIDITY
        assert account.id is not None
        created.append(
            Created(
                row.row,
                account.id,
                account.role,
                account.name,
                row.spec.communes,
                token,
                code,
                expires,
            )
        )
    return created


def created_csv(created: list[Created], expires: str) -> str:
    """The created accounts with their secrets, for the admin to hand out; every text cell is
    neutralised (a name like "=HYPERLINK(...)" stays text in Excel)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["dong", "id", "vai_tro", "ten", "ma_xa", "token", "lenh_lien_ket_telegram", "han_ma_lien_ket"]
    )
    for item in created:
        writer.writerow(
            [
                csv_cell(v)
                for v in (
                    item.row,
                    item.account_id,
                    item.role,
                    item.name,
                    " ".join(item.communes),
                    item.token,
                    f"/canbo {item.link_code}" if item.link_code else "",
                    expires,
                )
            ]
        )
    return "\ufeff" + out.getvalue()  # the BOM: Excel then reads the Vietnamese names right


def template_xlsx() -> bytes:
    """The sample file: the columns with three example rows, the province's communes with their
    codes (one file for all of them), and the accepted values."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Tai khoan"
    for row in template_rows():
        append_row(sheet, list(row))
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 36
    sheet.column_dimensions["C"].width = 22
    sheet.column_dimensions["D"].width = 24
    codes = book.create_sheet("Ma xa")
    append_row(codes, ["ma_xa", "ten_xa"])
    for ward in province_wards():
        append_row(codes, [ward.code, ward.name])
    codes.column_dimensions["B"].width = 30
    values = book.create_sheet("Gia tri hop le")
    append_row(values, ["cot", "gia_tri", "ghi_chu"])
    for role in IMPORT_ROLES:
        append_row(values, ["vai_tro", role.value, ""])
    for code, names in get_content().deadlines.schedule.names.agency_kinds.items():
        append_row(values, ["loai_co_quan", code, names.vi])
    append_row(values, ["ma_xa", "31135; 31120", "ngân hàng: nhiều mã, cách nhau bằng dấu ; hoặc dấu cách"])
    append_row(values, ["ma_xa", "", "cán bộ hỗ trợ lập hồ sơ ở trại giam: để trống (mọi xã của tỉnh)"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def template_rows() -> list[tuple[str, ...]]:
    wards = province_wards()
    first, second = (wards[0].code, wards[1].code) if len(wards) > 1 else ("31135", "31120")
    return [
        COLUMNS,
        ("commune_police", f"Công an {wards[0].name if wards else 'phường Ninh Kiều'}", first, ""),
        ("bank", "Phòng giao dịch NHCSXH Ninh Kiều", f"{first}; {second}", ""),
        ("agency", "UBND phường Ninh Kiều", "", "commune_committee"),
    ]


def template_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in template_rows():
        writer.writerow(row)
    return "\ufeff" + out.getvalue()
