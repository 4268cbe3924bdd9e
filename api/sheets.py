"""Untrusted text made safe for spreadsheets (every XLSX and CSV the API hands out).

Two dangers: a cell that starts like a formula (`=HYPERLINK(...)`, `+`, `-`, `@`, tab, CR) is run by
Excel and LibreOffice when the file is opened (OWASP "CSV injection"); and control characters that
XML 1.0 cannot hold make openpyxl refuse the whole workbook. Older rows may hold either, so the
exports clean every cell rather than trusting what intake let in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from contract.text import CONTROL_CHARACTERS

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

# What a spreadsheet takes as the start of a formula (full-width forms too: some input methods
# type them, and Excel treats them alike).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")

Cell = str | int | float | None


def clean_text(value: str) -> str:
    """The text without control characters a sheet (or a terminal) should never see."""
    return CONTROL_CHARACTERS.sub("", value)


def looks_like_formula(value: str) -> bool:
    return value.startswith(FORMULA_STARTS)


def csv_cell(value: Cell) -> Cell:
    """A CSV value that no spreadsheet runs: a leading apostrophe makes a formula-like text literal."""
    if not isinstance(value, str):
        return value
    text = clean_text(value)
    return "'" + text if looks_like_formula(text) else text


def append_row(sheet: Worksheet, row: list[Cell]) -> None:
    """Append a row of untrusted values: every text is stored as text, never as a formula."""
    from openpyxl.cell.cell import Cell as SheetCell

    values: list[object] = []
    for value in row:
        if not isinstance(value, str):
            values.append(value)
            continue
        cell = SheetCell(sheet, value=clean_text(value))
        if cell.data_type == "f" or looks_like_formula(clean_text(value)):
            cell.data_type = "s"
            # Excel's own mark for "typed as text": editing the cell later does not make it a
            # formula either.
            cell.quotePrefix = True
        values.append(cell)
    sheet.append(values)
