"""Date rules of the screening (screening.md, "Dates"): strict forms, month-only dates, year limits."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
# Vietnam keeps UTC+7 all year; "today" for a screening is the Vietnamese calendar day.
VIETNAM = timezone(timedelta(hours=7))


def today() -> date:
    return datetime.now(VIETNAM).date()


@dataclass(frozen=True)
class MonthOrDate:
    """A date as given: a full day, or only a month (`day` is None)."""

    year: int
    month: int
    day: int | None = None

    def resolve(self, as_of: date) -> date:
        """A month means its last day, or `as_of` when as_of falls inside that month before its end
        (someone released this month is not turned away). A full date is itself."""
        if self.day is not None:
            return date(self.year, self.month, self.day)
        first = date(self.year, self.month, 1)
        last = date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return as_of if first <= as_of < last else last

    def text(self) -> str:
        head = f"{self.year:04d}-{self.month:02d}"
        return head if self.day is None else f"{head}-{self.day:02d}"


def parse_date(text: str) -> date | None:
    """`YYYY-MM-DD` naming a real day, else None."""
    match = _DATE.fullmatch(text.strip())
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def parse_month_or_date(text: str) -> MonthOrDate | None:
    """`YYYY-MM-DD` or `YYYY-MM` naming a real day or month, else None."""
    stripped = text.strip()
    day = parse_date(stripped)
    if day is not None:
        return MonthOrDate(day.year, day.month, day.day)
    match = _MONTH.fullmatch(stripped)
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    if year < 1 or not 1 <= month <= 12:
        return None
    return MonthOrDate(year, month)


def add_years(start: date, years: int) -> date | None:
    """The same calendar date `years` later; 29 February becomes 28 February. None past year 9999."""
    year = start.year + years
    if year > date.max.year:
        return None
    day = start.day
    if start.month == 2 and day == 29 and not calendar.isleap(year):
        day = 28
    return date(year, start.month, day)
