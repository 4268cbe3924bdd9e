"""The monthly list (Mẫu số 01) as files a commune office can print, sign, stamp and send: XLSX
(openpyxl), PDF (fpdf2) and CSV, from a frozen version or from the period's draft.

The frame follows Nghị định 30/2020/NĐ-CP where it applies to a list: the issuing unit top left
under its parent unit, the national motto top right, the title centred, then the addressee, a
bordered table whose header row repeats on each page, the place-and-date line and the signature
blocks (the maker, the head of the commune police, the UBND confirmation). A4 landscape, a serif
font (Liberation Serif is metrically Times New Roman; DejaVu Serif when it is missing). The texts are
content (`content/data/monthly_list.yaml`), so a province can match its own form.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from api.models import MonthlyList
from api.sheets import clean_text, csv_cell
from api.wards import ward_name, ward_province
from content.catalog import get_content
from content.communes.official import province_name, ward
from content.exports import MonthlyListLayout

VIETNAM = timedelta(hours=7)
# Debian's fonts-liberation2 (2.x) has Vietnamese; fonts-liberation (1.x) lacks many of its letters,
# so each candidate is checked for them before use.
FONT_DIRS = (
    Path("/usr/share/fonts/truetype/liberation2"),
    Path("/usr/share/fonts/truetype/liberation"),
    Path("/usr/share/fonts/truetype/dejavu"),
)
VIETNAMESE = "ƯỜỸỘỦỆộậựạẫốếịầửứổư"
FONTS = (
    (
        "LiberationSerif",
        "LiberationSerif-Regular.ttf",
        "LiberationSerif-Bold.ttf",
        "LiberationSerif-Italic.ttf",
    ),
    ("DejaVuSerif", "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf"),
)


@dataclass
class ListDoc:
    """What a file shows: a frozen version, or the draft (version None)."""

    commune_code: str
    period: str
    rows: list[dict[str, Any]]
    addressee: str
    version: int | None = None
    sent_at: datetime | None = None
    sent_by_name: str = ""
    confirmed_by: str | None = None
    confirmed_on: date | None = None
    scan_id: int | None = None
    change_note: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def confirmed(self) -> bool:
        return bool(self.confirmed_by or self.scan_id)


def from_version(version: MonthlyList) -> ListDoc:
    return ListDoc(
        commune_code=version.commune_code,
        period=version.period,
        rows=list(version.rows),
        addressee=version.addressee,
        version=version.version,
        sent_at=version.sent_at,
        sent_by_name=version.sent_by_name,
        confirmed_by=version.confirmed_by,
        confirmed_on=version.confirmed_on,
        scan_id=version.scan_id,
        change_note=version.change_note,
    )


def draft(commune_code: str, period: str, rows: list[dict[str, Any]], addressee: str) -> ListDoc:
    return ListDoc(commune_code=commune_code, period=period, rows=rows, addressee=addressee)


# --- cells ---------------------------------------------------------------------------------------


def _money(amount: object) -> str:
    return f"{amount:,}".replace(",", ".") + " đồng" if isinstance(amount, int) else ""


def _release_date(raw: object) -> str:
    parts = str(raw or "").split("-")
    if len(parts) == 3:
        return f"{parts[2]}/{parts[1]}/{parts[0]}"
    if len(parts) == 2:
        return f"{parts[1]}/{parts[0]}"
    return str(raw or "")


def cell(
    column: str, number: int, row: dict[str, Any], commune: str, layout: MonthlyListLayout, lang: str
) -> str | int:
    if column == "stt":
        return number
    if column == "full_name":
        return clean_text(str(row.get("full_name") or ""))
    if column == "birth_year":
        return row.get("birth_year") or ""
    if column == "gender":
        gender = layout.genders.get(str(row.get("gender")))
        return gender.get(lang) if gender else ""
    if column == "residence":
        address = clean_text(str(row.get("address") or ""))
        return f"{address}, {commune}" if address else commune
    if column == "release_date":
        return _release_date(row.get("release_date"))
    if column == "loan_need":
        purpose = layout.purposes.get(str(row.get("purpose")))
        label = purpose.get(lang) if purpose else ""
        amount = _money(row.get("amount"))
        return f"{label}: {amount}" if label and amount else label or amount
    if column in ("reference", "note"):
        return str(row.get("reference") or "")
    return ""


def table(doc: ListDoc, lang: str) -> tuple[list[str], list[list[str | int]]]:
    layout = get_content().monthly_list
    commune = ward_name(doc.commune_code) or doc.commune_code
    headers = [c.header.get(lang) for c in layout.columns]
    body = [
        [cell(c.id, n, row, commune, layout, lang) for c in layout.columns]
        for n, row in enumerate(doc.rows, 1)
    ]
    return headers, body


# --- the frame's texts ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Frame:
    parent_unit: str
    issuer: str
    motto: str
    motto_sub: str
    form_name: str
    title: str
    subtitle: str
    addressee: str
    confirmation: str
    unconfirmed: bool
    total: str
    change_note: str
    place_date: str
    maker: str
    police_head: str
    committee: str
    sign_hint: str
    stamp_hint: str
    maker_name: str
    committee_name: str


def frame(doc: ListDoc, lang: str) -> Frame:
    layout = get_content().monthly_list
    texts = layout.document
    found = ward(doc.commune_code)
    commune = found.name if found else doc.commune_code
    kind = found.kind if found else ""
    place = commune[len(kind) :].strip() if kind and commune.startswith(kind) else commune
    province = ward_province(doc.commune_code)
    province_label = province_name(province) if province else ""
    if doc.sent_at is not None:
        local = (doc.sent_at if doc.sent_at.tzinfo else doc.sent_at.replace(tzinfo=UTC)) + VIETNAM
        day, month, year = f"{local.day:02d}", f"{local.month:02d}", str(local.year)
    else:  # the draft: filled in by hand on the day it is signed
        day = month = year = "……"
    subtitle = texts.period.get(lang).format(period=_period_label(doc.period))
    subtitle += " — " + (
        texts.version.get(lang).format(version=doc.version) if doc.version else texts.draft.get(lang)
    )
    if doc.confirmed:
        when = doc.confirmed_on.strftime("%d/%m/%Y") if doc.confirmed_on else ""
        confirmation = texts.confirmed.get(lang).format(who=doc.confirmed_by or "", date=when)
    else:
        confirmation = texts.unconfirmed.get(lang)
    note = texts.change_note.get(lang).format(note=doc.change_note) if doc.change_note else ""
    return Frame(
        parent_unit=texts.parent_unit.get(lang).format(province=province_label.upper()),
        issuer=texts.issuer.get(lang).format(commune=commune.upper()),
        motto=texts.motto.get(lang),
        motto_sub=texts.motto_sub.get(lang),
        form_name=layout.form_name.get(lang),
        title=layout.title.get(lang),
        subtitle=subtitle,
        addressee=texts.addressee.get(lang).format(office=doc.addressee),
        confirmation=confirmation,
        unconfirmed=not doc.confirmed,
        total=texts.total.get(lang).format(n=len(doc.rows)),
        change_note=clean_text(note),
        place_date=texts.place_date.get(lang).format(place=place, day=day, month=month, year=year),
        maker=texts.maker.get(lang),
        police_head=texts.police_head.get(lang).format(kind=kind.upper()),
        committee=texts.committee.get(lang).format(commune=commune.upper()),
        sign_hint=texts.sign_hint.get(lang),
        stamp_hint=texts.stamp_hint.get(lang),
        maker_name=clean_text(doc.sent_by_name),
        committee_name=clean_text(doc.confirmed_by or ""),
    )


def _period_label(period: str) -> str:
    year, month = period.split("-")
    return f"{month}/{year}"


# --- CSV -----------------------------------------------------------------------------------------


def to_csv(doc: ListDoc, lang: str) -> bytes:
    headers, body = table(doc, lang)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_cell(h) for h in headers])
    writer.writerows([csv_cell(value) for value in row] for row in body)
    if not doc.confirmed:
        writer.writerow([csv_cell(frame(doc, lang).confirmation)])
    # A byte-order mark so Excel opens Vietnamese text correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# --- XLSX ----------------------------------------------------------------------------------------

WIDTHS = {
    "stt": 6,
    "full_name": 24,
    "birth_year": 9,
    "gender": 8,
    "residence": 32,
    "release_date": 16,
    "loan_need": 32,
    "reference": 14,
    "note": 14,
}


def _thirds(n: int) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int]]:
    """Three column spans (1-based, inclusive) across n columns, for the header and signatures."""
    if n < 3:
        return (1, 1), (1, n), (n, n)
    a = max(1, round(n * 0.375))
    b = max(a + 1, round(n * 0.625))
    last = (b + 1, n) if b < n else (n, n)
    return (1, a), (a + 1, b), last


def to_xlsx(doc: ListDoc, lang: str) -> bytes:
    from openpyxl import Workbook  # only when a list is exported (6 MB the service need not carry)
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    layout = get_content().monthly_list
    headers, body = table(doc, lang)
    texts = frame(doc, lang)
    n = len(headers)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = doc.period
    font = "Times New Roman"
    left, _middle, right = _thirds(n)
    head_left = (1, max(1, min(n, left[1] + 1)))
    head_right = (min(n, head_left[1] + 1), n)

    def put(row: int, span: tuple[int, int], text: str, **style: Any) -> None:
        first, last = span
        target = sheet.cell(row=row, column=first)
        append_value(target, text)
        target.font = Font(
            name=font,
            size=style.get("size", 12),
            bold=style.get("bold", False),
            italic=style.get("italic", False),
            color=style.get("color"),
        )
        target.alignment = Alignment(
            horizontal=style.get("align", "center"), vertical="center", wrap_text=True
        )
        if last > first:
            sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)

    def append_value(target: Any, text: str) -> None:
        target.value = clean_text(text)
        target.data_type = "s"

    put(1, head_left, texts.parent_unit)
    put(1, head_right, texts.motto, bold=True)
    put(2, head_left, texts.issuer, bold=True)
    put(2, head_right, texts.motto_sub, bold=True, size=13)
    put(3, head_left, "———————")
    put(3, head_right, "———————————————")
    put(4, (1, n), texts.form_name, italic=True, align="right", size=11)
    put(5, (1, n), texts.title, bold=True, size=14)
    put(6, (1, n), texts.subtitle, italic=True)
    put(7, (1, n), texts.addressee)
    put(
        8,
        (1, n),
        texts.confirmation,
        bold=texts.unconfirmed,
        italic=not texts.unconfirmed,
        color="C00000" if texts.unconfirmed else None,
    )
    header_row = 10
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    sheet.row_dimensions[header_row].height = 48
    for index, heading in enumerate(headers, start=1):
        target = sheet.cell(row=header_row, column=index, value=heading)
        target.font = Font(name=font, size=12, bold=True)
        target.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        target.border = border
    for offset, values in enumerate(body, start=1):
        row_number = header_row + offset
        for index, value in enumerate(values, start=1):
            target = sheet.cell(row=row_number, column=index)
            if isinstance(value, str):
                append_value(target, value)
            else:
                target.value = value
            target.font = Font(name=font, size=12)
            target.alignment = Alignment(
                horizontal="center"
                if layout.columns[index - 1].id in ("stt", "birth_year", "gender")
                else "left",
                vertical="top",
                wrap_text=True,
            )
            target.border = border
    row = header_row + len(body) + 1
    put(row, (1, n), texts.total, italic=True, align="left")
    if texts.change_note:
        row += 1
        put(row, (1, n), texts.change_note, italic=True, align="left")
        sheet.row_dimensions[row].height = 32
    row += 2
    left, middle, right = _thirds(n)
    put(row, right, texts.place_date, italic=True)
    row += 1
    put(row, left, texts.committee, bold=True)
    put(row, middle, texts.maker, bold=True)
    put(row, right, texts.police_head, bold=True)
    sheet.row_dimensions[row].height = 32
    row += 1
    put(row, left, texts.stamp_hint, italic=True, size=11)
    put(row, middle, texts.sign_hint, italic=True, size=11)
    put(row, right, texts.stamp_hint, italic=True, size=11)
    row += 5
    if texts.committee_name:
        put(row, left, texts.committee_name, bold=True)
    put(row, middle, texts.maker_name, bold=True)
    for index, column in enumerate(layout.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(column.id, 14)
    for number in (1, 2, 5, 7, 8):
        sheet.row_dimensions[number].height = 20 if number != 5 else 36
    # Print set-up: A4 landscape, one page wide, the header row on every page.
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_margins.left = sheet.page_margins.right = 0.6
    sheet.page_margins.top = sheet.page_margins.bottom = 0.7
    sheet.print_options.horizontalCentered = True
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- PDF -----------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _font() -> tuple[str, Path, Path, Path]:
    for name, regular, bold, italic in FONTS:
        for folder in FONT_DIRS:
            files = (folder / regular, folder / bold, folder / italic)
            if all(path.exists() and _writes_vietnamese(path) for path in files):
                return name, *files
    raise RuntimeError(
        "no serif font with Vietnamese letters (install fonts-liberation2 or fonts-dejavu-core)"
    )


def _writes_vietnamese(path: Path) -> bool:
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    with TTFont(str(path), lazy=True) as font:
        cmap = font.getBestCmap() or {}
    return all(ord(letter) in cmap for letter in VIETNAMESE)


PDF_WIDTHS = {
    "stt": 10,
    "full_name": 46,
    "birth_year": 15,
    "gender": 14,
    "residence": 54,
    "release_date": 32,
    "loan_need": 62,
    "reference": 24,
    "note": 24,
}


def to_pdf(doc: ListDoc, lang: str) -> bytes:
    """A4 landscape. Signature blocks never stand alone on the last page: when they would, the last
    two rows move to that page with them (a signed page must show what it signs)."""
    content, alone = _render_pdf(doc, lang, None)
    if alone and len(doc.rows) >= 3:
        content, _ = _render_pdf(doc, lang, len(doc.rows) - 2)
    return content


def _render_pdf(doc: ListDoc, lang: str, split: int | None) -> tuple[bytes, bool]:
    from fpdf.enums import TableCellFillMode

    layout = get_content().monthly_list
    headers, body = table(doc, lang)
    texts = frame(doc, lang)
    name, regular, bold, italic = _font()
    pdf = _new_pdf(orientation="L", unit="mm", format="A4")
    pdf.footer_font = name
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_font(name, "", str(regular))
    pdf.add_font(name, "B", str(bold))
    pdf.add_font(name, "I", str(italic))
    pdf.set_title(f"{texts.title} — {doc.commune_code} {doc.period}")
    pdf.set_creator("Bước Mới")
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    left_w, right_w = width * 0.42, width * 0.58
    x0, y0 = pdf.l_margin, pdf.t_margin

    def line(text: str, w: float, x: float, style: str = "", size: float = 12, align: str = "C") -> None:
        pdf.set_xy(x, pdf.get_y())
        pdf.set_font(name, style, size)
        pdf.multi_cell(w, 6, text, align=align, new_x="LEFT", new_y="NEXT")

    pdf.set_y(y0)
    line(texts.parent_unit, left_w, x0, "", 12)
    line(texts.issuer, left_w, x0, "B", 12)
    after_left = pdf.get_y()
    pdf.line(x0 + left_w / 2 - 15, after_left + 0.5, x0 + left_w / 2 + 15, after_left + 0.5)
    pdf.set_y(y0)
    line(texts.motto, right_w, x0 + left_w, "B", 12)
    line(texts.motto_sub, right_w, x0 + left_w, "B", 13)
    after_right = pdf.get_y()
    sub_w = pdf.get_string_width(texts.motto_sub)
    centre = x0 + left_w + right_w / 2
    pdf.line(centre - sub_w / 2, after_right + 0.5, centre + sub_w / 2, after_right + 0.5)
    pdf.set_y(max(after_left, after_right) + 4)
    line(texts.form_name, width, x0, "I", 11, "R")
    pdf.ln(1)
    line(texts.title, width, x0, "B", 13)
    line(texts.subtitle, width, x0, "I", 12)
    line(texts.addressee, width, x0, "", 12)
    if texts.unconfirmed:
        pdf.set_text_color(192, 0, 0)
        line(texts.confirmation, width, x0, "B", 12)
        pdf.set_text_color(0, 0, 0)
    else:
        line(texts.confirmation, width, x0, "I", 12)
    pdf.ln(3)
    widths = [PDF_WIDTHS.get(c.id, 24) for c in layout.columns]
    scale = width / sum(widths)
    pdf.set_font(name, "", 11)
    parts = [body] if split is None else [body[:split], body[split:]]
    for number, part in enumerate(parts):
        if number:
            pdf.add_page()  # the last rows go with the signatures (see `to_pdf`)
        with pdf.table(
            col_widths=[w * scale for w in widths],
            width=width,
            line_height=5,
            text_align=[
                "CENTER" if c.id in ("stt", "birth_year", "gender") else "LEFT" for c in layout.columns
            ],
            headings_style=_heading_style(name),
            repeat_headings=1,
            cell_fill_mode=TableCellFillMode.NONE,
            first_row_as_headings=True,
            padding=(0.8, 1.2),
        ) as grid:
            heading = grid.row()
            for text in headers:
                heading.cell(text, align="C")
            for values in part:
                entry = grid.row()
                for value in values:
                    entry.cell(clean_text(str(value)))
    pdf.ln(2)
    line(texts.total, width, x0, "I", 12, "L")
    if texts.change_note:
        line(texts.change_note, width, x0, "I", 11, "L")
    # The signature blocks stay together: a new page when they would not fit.
    alone = pdf.get_y() + 48 > pdf.h - pdf.b_margin
    if alone:
        pdf.add_page()
    pdf.ln(4)
    third = width / 3
    # The place and date sit above the head of the commune police, who signs the list (NĐ 30/2020);
    # the UBND confirmation on the left, the maker in the middle.
    line(texts.place_date, third, x0 + 2 * third, "I", 12)
    top = pdf.get_y()
    for index, (title, hint, signer) in enumerate(
        (
            (texts.committee, texts.stamp_hint, texts.committee_name),
            (texts.maker, texts.sign_hint, texts.maker_name),
            (texts.police_head, texts.stamp_hint, ""),
        )
    ):
        pdf.set_y(top)
        pdf.set_font(name, "B", 12)
        line(_balanced(pdf, title, third - 4), third, x0 + index * third, "B", 12)
        line(hint, third, x0 + index * third, "I", 11)
        if signer:
            pdf.set_y(top + 28)
            line(signer, third, x0 + index * third, "B", 12)
    return bytes(pdf.output()), alone


def _balanced(pdf: Any, text: str, width: float) -> str:
    """A title too long for one line, broken at the space nearest its middle (two even lines
    rather than one word alone on the second)."""
    if pdf.get_string_width(text) <= width or " " not in text:
        return text
    middle = len(text) / 2
    spaces = [i for i, char in enumerate(text) if char == " "]
    cut = min(spaces, key=lambda i: abs(i - middle))
    return text[:cut] + "\n" + text[cut + 1 :]


def _pdf_class() -> Any:
    from fpdf import FPDF

    class Pdf(FPDF):
        footer_font = ""

        def footer(self) -> None:
            # "Trang 2/3": a loose page of a signed list is found out.
            self.set_y(-11)
            self.set_font(self.footer_font, "I", 9)
            self.cell(0, 5, f"{self.page_no()}/{{nb}}", align="R")

    return Pdf


def _new_pdf(**options: Any) -> Any:
    return _pdf_class()(**options)


def _heading_style(name: str) -> Any:
    from fpdf.fonts import FontFace

    return FontFace(family=name, emphasis="BOLD", size_pt=11)
