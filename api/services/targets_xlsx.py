"""The targets report as an XLSX workbook: communes, targets, suggested transfers (one sheet each)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from api.services.targets import TargetsReport
from api.sheets import append_row
from content.catalog import get_content

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet


def to_xlsx(report: TargetsReport, lang: str) -> bytes:
    from openpyxl import Workbook  # only when asked for (about 25 MB the service need not carry)

    words = get_content().reminders.targets_report

    def yes_no(value: bool | None) -> str:
        if value is None:
            return ""
        return (words.yes_word if value else words.no_word).get(lang)

    title = words.title.get(lang).format(year=report.year, province=report.province_name)
    book = Workbook()
    communes = book.active
    assert communes is not None
    communes.title = _sheet_name(words.communes_sheet.get(lang))
    headers = [words.code, words.commune, words.requests, words.disbursed, words.minimum, words.met]
    _table(communes, title, [h.get(lang) for h in headers])
    for row in report.communes:
        append_row(
            communes, [row.code, row.name, row.requests, row.disbursed, row.minimum or "", yes_no(row.met)]
        )
    for letter, width in zip("ABCDEF", (8, 30, 12, 12, 12, 8), strict=True):
        communes.column_dimensions[letter].width = width

    targets = book.create_sheet(_sheet_name(words.targets_sheet.get(lang)))
    headers = [words.target, words.unit, words.commune, words.disbursed, words.minimum, words.met]
    _table(targets, title, [h.get(lang) for h in headers] + [words.confirmed.get(lang)])
    for target in report.targets:
        for unit in target.units:
            append_row(
                targets,
                [
                    target.what,
                    target.unit,
                    unit.name,
                    unit.disbursed,
                    unit.minimum,
                    yes_no(unit.met),
                    yes_no(target.confirmed),
                ],
            )

    transfers = book.create_sheet(_sheet_name(words.transfers_sheet.get(lang)))
    _table(transfers, title, [words.from_commune.get(lang), words.to_commune.get(lang)])
    for transfer in report.transfers:
        append_row(
            transfers,
            [
                f"{transfer.from_name} ({transfer.from_code})",
                f"{transfer.to_name} ({transfer.to_code})"
                if transfer.to_code
                else words.no_receiver.get(lang),
            ],
        )
    append_row(transfers, [])
    append_row(transfers, [report.transfer_rule])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _table(sheet: Worksheet, title: str, headers: list[str]) -> None:
    from openpyxl.styles import Font

    append_row(sheet, [title])
    append_row(sheet, [])
    append_row(sheet, list(headers))
    sheet["A1"].font = Font(bold=True)
    for cell in sheet[3]:
        cell.font = Font(bold=True)


def _sheet_name(name: str) -> str:
    # Excel sheet names: at most 31 characters, none of []:*?/\
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in name)
    return cleaned[:31]
