"""Dates as people say them, resolved with the injected clock: "năm ngoái", "tháng trước", "hồi Tết",
"Tết năm kia", "3 tháng trước", "tháng 11" (after a year was chosen), "tháng 11 năm ngoái", and
"không nhớ rõ" / "ko biet".

`understand_date(text, today, year)` -> a `Said`: a month (`month`), only a year (`year`: the person is
then asked the month), a month without a year (`month_only`: asked the year), "I do not know"
(`unknown`), or None when the text is none of these.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.understanding.words import folded

# Lunar New Year's day (mùng 1 Tết); a table, as the lunar calendar needs astronomy to compute.
TET = {
    2019: date(2019, 2, 5), 2020: date(2020, 1, 25), 2021: date(2021, 2, 12), 2022: date(2022, 2, 1),
    2023: date(2023, 1, 22), 2024: date(2024, 2, 10), 2025: date(2025, 1, 29), 2026: date(2026, 2, 17),
    2027: date(2027, 2, 6), 2028: date(2028, 1, 26), 2029: date(2029, 2, 13), 2030: date(2030, 2, 3),
}  # fmt: skip

_UNKNOWN = (
    "khong nho", "khong biet", "khong ro", "khong chac", "chua ro", "quen roi", "quen mat", "nho khong ro",
    "dont know", "don t know", "not sure", "cannot remember", "can t remember", "dont remember",
    "don t remember", "unknown", "មិនដឹង", "មិនចាំ",
)  # fmt: skip
_YEAR_WORDS = {
    "nam nay": 0, "nam ngoai": -1, "nam roi": -1, "nam truoc": -1, "nam kia": -2, "nam kia nua": -3,
    "this year": 0, "last year": -1, "nam sau": 1, "sang nam": 1, "next year": 1,
}  # fmt: skip
_MONTH_WORDS = {"thang nay": 0, "thang truoc": -1, "thang roi": -1, "thang vua roi": -1, "this month": 0,
                "last month": -1, "thang sau": 1, "next month": 1}  # fmt: skip


@dataclass(frozen=True)
class Said:
    kind: str  # "month" | "year" | "month_only" | "unknown"
    year: int | None = None
    month: int | None = None

    def iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def _shift(today: date, months: int) -> tuple[int, int]:
    index = today.year * 12 + today.month - 1 + months
    return index // 12, index % 12 + 1


def _number_before(words: list[str], unit: str) -> int | None:
    """3 in "3 thang truoc" / "ba nam truoc"."""
    small = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "sau": 6}
    for index, word in enumerate(words[:-2]):
        if words[index + 1] == unit and words[index + 2] in ("truoc", "roi"):
            if word.isdigit() and 0 < int(word) < 100:
                return int(word)
            if word in small:
                return small[word]
    return None


def _year_of(padded: str, today: date) -> int | None:
    words = padded.split()
    for index, word in enumerate(words):  # a year written out wins over words around it
        if word.isdigit() and len(word) == 4 and 1950 <= int(word) <= today.year + 10:
            return int(word)
        after = words[index + 1] if index + 1 < len(words) else ""
        if word == "nam" and after.isdigit() and len(after) == 2:
            return 2000 + int(after)  # "nam 24"
    ago = _number_before(words, "nam")
    if ago is not None:
        return today.year - ago
    for phrase, delta in _YEAR_WORDS.items():
        if f" {phrase} " in padded:
            return today.year + delta
    return None


def _month_of(padded: str) -> int | None:
    words = padded.split()
    for index, word in enumerate(words[:-1]):
        if word in ("thang", "t", "month") and words[index + 1].isdigit():
            month = int(words[index + 1])
            return month if 1 <= month <= 12 else None
    months_en = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
                 "october", "november", "december")  # fmt: skip
    for index, name in enumerate(months_en, start=1):
        if f" {name} " in padded:
            return index
    if " thang gieng " in padded:
        return 1
    if " thang chap " in padded:
        return 12
    return None


def understand_date(text: str, today: date, year: int | None = None) -> Said | None:
    padded = folded(text)
    if any(f" {p} " in padded or (not p.isascii() and p in padded) for p in _UNKNOWN):
        return Said("unknown")
    ago = _number_before(padded.split(), "thang")
    if ago is not None:
        y, m = _shift(today, -ago)
        return Said("month", y, m)
    for phrase, delta in _MONTH_WORDS.items():
        if f" {phrase} " in padded:
            y, m = _shift(today, delta)
            return Said("month", y, m)
    said_year = _year_of(padded, today)
    if " tet " in padded or padded.strip() in ("tet",) or " lunar new year " in padded:
        tet_year = said_year
        if tet_year is None:  # "hồi Tết": the last Tết that has come
            tet_year = today.year if TET.get(today.year, date.max) <= today else today.year - 1
        tet = TET.get(tet_year)
        if tet is None:
            return Said("year", tet_year) if tet_year else None
        return Said("month", tet.year, tet.month)
    month = _month_of(padded)
    if month is not None:
        if said_year is not None:
            return Said("month", said_year, month)
        if year is not None:
            return Said("month", year, month)
        return Said("month_only", None, month)
    relative = any(f" {p} " in padded for p in _YEAR_WORDS) or _number_before(padded.split(), "nam")
    if said_year is not None and relative:
        return Said("year", said_year)
    return None
