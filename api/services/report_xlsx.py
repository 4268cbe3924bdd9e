"""The implementation report's figures as an XLSX workbook (the DOCX's tables as numbers, for a unit
that merges several reports): summary, per commune, per month, suggested transfers. Every cell goes
through api/sheets.py (commune names are data, never formulas)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from api.services import report_words as W
from api.services.report_figures import ReportFigures
from api.sheets import append_row

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet


def summary(figures: ReportFigures) -> dict[str, int | float | None]:
    """The summary sheet's figures by key (the tests compare them with the database)."""
    persons, businesses, contact = figures.persons, figures.businesses, figures.contact
    return {
        "referrals": figures.referrals,
        "business_referrals": figures.business_referrals,
        "contacted": contact.count,
        "median_days": contact.median_days,
        "p90_days": contact.p90_days,
        "lists_sent": figures.lists_sent,
        "approved": persons.approved,
        "approved_amount": persons.approved_amount,
        "disbursed": persons.disbursed,
        "disbursed_amount": persons.disbursed_amount,
        "business_approved": businesses.approved,
        "business_approved_amount": businesses.approved_amount,
        "business_disbursed": businesses.disbursed,
        "business_disbursed_amount": businesses.disbursed_amount,
        "targets_met": figures.targets_met,
        "without_case": len(figures.without_case),
    }


def to_xlsx(figures: ReportFigures, issuer: str) -> bytes:
    from openpyxl import Workbook

    period = W.period_text(figures.period.year, figures.period.half)
    title = f"{issuer} - Kết quả thực hiện {period} (số liệu đến hết ngày {W.day_text(figures.as_of)})"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = W.SHEET_SUMMARY
    _table(sheet, title, W.SUMMARY_HEADERS)
    for key, value in summary(figures).items():
        append_row(sheet, [W.SUMMARY_ROWS[key], "" if value is None else value])
    sheet.column_dimensions["A"].width = 62
    sheet.column_dimensions["B"].width = 18

    communes = book.create_sheet(W.SHEET_COMMUNES)
    _table(communes, title, W.XLSX_COMMUNE_HEADERS)
    for c in figures.communes:
        append_row(
            communes,
            [
                c.code,
                c.name,
                c.referrals,
                c.business,
                c.lists_sent,
                c.approved,
                c.approved_amount,
                c.disbursed,
                c.disbursed_amount,
                "" if c.target is None else c.target,
                c.year_disbursed,
                "" if c.met is None else (W.YES if c.met else W.NO),
            ],
        )
    communes.column_dimensions["B"].width = 30

    months = book.create_sheet(W.SHEET_MONTHS)
    _table(months, title, W.MONTH_HEADERS)
    for month in figures.months:
        append_row(months, [month.month, month.persons, month.businesses])

    transfers = book.create_sheet(W.SHEET_TRANSFERS)
    _table(transfers, title, W.TRANSFERS_HEADERS)
    for index, t in enumerate(figures.transfers, start=1):
        append_row(
            transfers,
            [
                index,
                f"{t.from_name} ({t.from_code})",
                f"{t.to_name} ({t.to_code})" if t.to_code else W.NO_RECEIVER,
            ],
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _table(sheet: Worksheet, title: str, headers: tuple[str, ...]) -> None:
    from openpyxl.styles import Font

    append_row(sheet, [title])
    append_row(sheet, [])
    append_row(sheet, list(headers))
    sheet["A1"].font = Font(bold=True)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
