"""The monthly list per commune and month (Mẫu số 01 layout from content), as XLSX and CSV.

It holds the leads the commune police put on the list that month, that the person allowed the bank
to see, and that are still on their way (not declined or withdrawn).
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session, col, select

from api.models import Lead
from api.sheets import append_row, csv_cell
from api.wards import ward_name
from content.catalog import get_content
from content.exports import MonthlyListLayout

ON_THE_LIST = ("listed", "sent_to_bank", "approved", "disbursed")
VIETNAM = timedelta(hours=7)


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """UTC start and end of a month in Vietnam time; raises ValueError for a bad 'YYYY-MM'."""
    year, number = (int(part) for part in month.split("-"))
    first = date(year, number, 1)
    following = date(year + (number == 12), number % 12 + 1, 1)
    start = datetime(first.year, first.month, 1, tzinfo=UTC) - VIETNAM
    end = datetime(following.year, following.month, 1, tzinfo=UTC) - VIETNAM
    return start, end


def monthly_leads(session: Session, commune_code: str, month: str) -> list[Lead]:
    start, end = month_bounds(month)
    return list(
        session.exec(
            select(Lead)
            .where(
                Lead.commune_code == commune_code,
                # Mẫu số 01 lists persons; a business's referral is never on it (issue 18).
                col(Lead.applicant) != "business",
                col(Lead.consent_bank),
                col(Lead.status).in_(ON_THE_LIST),
                col(Lead.listed_at) >= start,
                col(Lead.listed_at) < end,
            )
            .order_by(col(Lead.listed_at), col(Lead.id))
        ).all()
    )


def _money(amount: object) -> str:
    return f"{amount:,}".replace(",", ".") + " đồng" if isinstance(amount, int) else ""


def _release_date(raw: object) -> str:
    text = str(raw or "")
    parts = text.split("-")
    if len(parts) == 3:
        return f"{parts[2]}/{parts[1]}/{parts[0]}"
    if len(parts) == 2:
        return f"{parts[1]}/{parts[0]}"
    return text


def cell(column: str, number: int, lead: Lead, layout: MonthlyListLayout, lang: str) -> str | int:
    extra = lead.contact_extra or {}
    answers = lead.answers or {}
    if column == "stt":
        return number
    if column == "full_name":
        return lead.contact_name or ""
    if column == "birth_year":
        return extra.get("birth_year") or ""
    if column == "gender":
        gender = layout.genders.get(str(extra.get("gender")))
        return gender.get(lang) if gender else ""
    if column == "residence":
        commune = ward_name(lead.commune_code) or lead.commune_code
        address = extra.get("address")
        return f"{address}, {commune}" if address else commune
    if column == "release_date":
        # The exact date the officer checked on the certificate, else what the person said.
        return _release_date(extra.get("release_date") or answers.get("release_date"))
    if column == "loan_need":
        purpose = layout.purposes.get(str(answers.get("purpose")))
        label = purpose.get(lang) if purpose else ""
        amount = _money(answers.get("amount"))
        return f"{label}: {amount}" if label and amount else label or amount
    if column == "reference":
        return lead.reference
    if column == "note":
        return lead.reference
    return ""


def rows(leads: list[Lead], lang: str) -> tuple[list[str], list[list[str | int]]]:
    layout = get_content().monthly_list
    headers = [c.header.get(lang) for c in layout.columns]
    body = [[cell(c.id, n, lead, layout, lang) for c in layout.columns] for n, lead in enumerate(leads, 1)]
    return headers, body


def to_csv(leads: list[Lead], lang: str) -> bytes:
    headers, body = rows(leads, lang)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_cell(h) for h in headers])
    writer.writerows([csv_cell(value) for value in row] for row in body)
    # A byte-order mark so Excel opens Vietnamese text correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(leads: list[Lead], commune_code: str, month: str, lang: str) -> bytes:
    from openpyxl import Workbook  # only when a list is exported (6 MB the service need not carry)
    from openpyxl.styles import Alignment, Font

    layout = get_content().monthly_list
    headers, body = rows(leads, lang)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = month
    commune = ward_name(commune_code) or commune_code
    sheet.append([layout.form_name.get(lang)])
    sheet.append([layout.title.get(lang)])
    append_row(sheet, [f"{commune} — {month}"])
    sheet.append([])
    append_row(sheet, list(headers))
    for row in body:
        append_row(sheet, list(row))
    sheet["A2"].font = Font(bold=True)
    for heading in sheet[5]:
        heading.font = Font(bold=True)
        heading.alignment = Alignment(wrap_text=True, vertical="top")
    for index, width in enumerate([8, 28, 10, 10, 36, 18, 34, 16][: len(headers)], start=1):
        sheet.column_dimensions[sheet.cell(row=5, column=index).column_letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
