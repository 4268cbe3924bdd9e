"""Dates and amounts as people type them, turned into the forms the screening evaluator takes.

Dates: "03/2024", "3-2024", "3.2024", "tháng 3 năm 2024", "thang 3 2024", "T3/2024", "15/03/2024",
"15-3-2024", "ngày 15 tháng 3 năm 2024", "2024-03", "2024-03-15" → "YYYY-MM" or "YYYY-MM-DD".
Two-digit years ("3/24") are refused: "3/24" may be a day and a month, so the person is asked again.

Amounts: "50 triệu", "50tr", "50 trieu", "50.000.000", "50,000,000", "1,5 triệu", "2 tỷ", "2 ty",
"500 nghìn", "500k", "4 trieu/thang" → whole đồng.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from bot.text_normalizer import fold

MIN_YEAR = 1950
MAX_YEAR = 2100

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class TypedDate:
    year: int
    month: int
    day: int | None = None

    def iso(self) -> str:
        head = f"{self.year:04d}-{self.month:02d}"
        return head if self.day is None else f"{head}-{self.day:02d}"


def _make(year: int, month: int, day: int | None = None) -> TypedDate | None:
    if not MIN_YEAR <= year <= MAX_YEAR or not 1 <= month <= 12:
        return None
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return TypedDate(year, month, day)


# Word forms: "ngay 15 thang 3 nam 2024", "thang 3 nam 2024", "thang 3 2024", "t3/2024", "t3 2024".
_WORDS = re.compile(
    r"^(?:(?:ngay|ng)\s*(?P<day>\d{1,2})\s*[,/.\-]?\s*)?"
    r"(?:thang|th|t)\s*(?P<month>\d{1,2})\s*[,/.\-]?\s*(?:(?:nam|n)\s*)?(?P<year>\d{4})$"
)
_ISO = re.compile(r"^(?P<year>\d{4})\s*[-/.]\s*(?P<month>\d{1,2})(?:\s*[-/.]\s*(?P<day>\d{1,2}))?$")
_DMY = re.compile(r"^(?P<day>\d{1,2})\s*[-/.\s]\s*(?P<month>\d{1,2})\s*[-/.\s]\s*(?P<year>\d{4})$")
_MY = re.compile(r"^(?P<month>\d{1,2})\s*[-/.\s]\s*(?P<year>\d{4})$")


def parse_typed_date(text: str) -> TypedDate | None:
    """A month or a day as people write it in Vietnam (day before month), or None."""
    folded = _SPACES.sub(" ", fold(text).strip().rstrip(".!"))
    if not folded or len(folded) > 40:
        return None
    for pattern in (_WORDS, _ISO, _DMY, _MY):
        match = pattern.match(folded)
        if match:
            day = match.groupdict().get("day")
            return _make(int(match["year"]), int(match["month"]), int(day) if day else None)
    return None


# --- amounts -------------------------------------------------------------------------------------

_UNITS = {
    "ty": 1_000_000_000,
    "ti": 1_000_000_000,
    "trieu": 1_000_000,
    "tr": 1_000_000,
    "cu": 1_000_000,  # "50 củ", colloquial for million
    "m": 1_000_000,
    "nghin": 1_000,
    "ngan": 1_000,
    "k": 1_000,
    "dong": 1,
    "d": 1,
    "vnd": 1,
}
_AMOUNT = re.compile(
    r"^(?P<number>\d+(?:[.,]\d+)*)\s*(?P<unit>ty|ti|trieu|tr|cu|m|nghin|ngan|k|dong|d|vnd)?"
    r"(?:\s*(?P<rest>\d{1,3}))?$"
)
_DIGIT_GROUPS = re.compile(r"(?<=\d) (?=\d{3}(?!\d))")  # "50 000 000" -> "50000000"
_PER_MONTH = re.compile(r"\s*(?:/|mot|moi|1|per|a|an)?\s*(?:thang|th|month)$")


def _number(text: str, has_unit: bool) -> float | None:
    """'50.000.000' and '50,000,000' are grouped thousands; '1,5' and '1.5' before a unit are decimals."""
    groups = re.split(r"[.,]", text)
    if len(groups) == 1:
        return float(text)
    if all(len(g) == 3 for g in groups[1:]) and not (has_unit and len(groups) == 2 and groups[0] != "0"):
        return float("".join(groups))
    if len(groups) == 2:
        return float(f"{groups[0]}.{groups[1]}")
    return None


def parse_amount(text: str) -> tuple[int, bool] | None:
    """(whole đồng, per month?) from "50 triệu", "4tr/tháng", "1 tỷ 2" ..., or None."""
    folded = _SPACES.sub(" ", fold(text).strip().rstrip(".!"))
    per_month = False
    stripped = _PER_MONTH.sub("", folded).strip()
    if stripped != folded:
        per_month = True
    stripped = stripped.replace("dong", " dong").strip()
    stripped = _DIGIT_GROUPS.sub("", _SPACES.sub(" ", stripped))
    if not stripped or len(stripped) > 30:
        return None
    match = _AMOUNT.match(stripped)
    if match is None:
        return None
    unit = match["unit"]
    try:
        number = _number(match["number"], unit is not None and _UNITS[unit] > 1)
    except ValueError:
        return None
    if number is None:
        return None
    scale = _UNITS[unit] if unit else 1
    amount = number * scale
    rest = match["rest"]
    if rest is not None:
        if scale < 1_000_000:
            return None
        # "1 tỷ 2" = 1.2 billion, "5 triệu 5" = 5.5 million; the digits after are the next unit.
        amount += int(rest) * scale / (10 ** len(rest))
    if amount != int(amount) or amount > 10**13:
        return None
    return int(amount), per_month
