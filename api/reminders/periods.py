"""Periods ("2027-01", "2027-Q1", "2027-H1", "2027"): their days, and which occurrence of a deadline
a period names."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from content.deadlines import DeadlineBook
from content.deadlines.recurrence import due_dates, parse_rule, period_label
from content.deadlines.schema import Deadline, PeriodKind

_SHAPES: dict[PeriodKind, re.Pattern[str]] = {
    "month": re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"),
    "quarter": re.compile(r"^(\d{4})-Q([1-4])$"),
    "half": re.compile(r"^(\d{4})-H([12])$"),
    "year": re.compile(r"^(\d{4})$"),
}
PERIOD_PATTERN = r"^\d{4}(-(0[1-9]|1[0-2]|Q[1-4]|H[12]))?$"
_MONTHS_PER: dict[PeriodKind, int] = {"month": 1, "quarter": 3, "half": 6, "year": 12}


@dataclass(frozen=True)
class Occurrence:
    deadline: Deadline
    due: date
    period: str


def period_kind(label: str) -> PeriodKind | None:
    for kind, shape in _SHAPES.items():
        if shape.match(label):
            return kind
    return None


def period_range(label: str) -> tuple[date, date]:
    """First and last day of a period; raises ValueError for anything else."""
    kind = period_kind(label)
    if kind is None:
        raise ValueError(f"{label!r} is not a period (2027, 2027-01, 2027-Q1 or 2027-H1)")
    match = _SHAPES[kind].match(label)
    assert match is not None
    year = int(match.group(1))
    if not 2000 <= year <= 2100:
        raise ValueError(f"{label!r}: year out of range")
    number = int(match.group(2)) if kind != "year" else 1
    months = _MONTHS_PER[kind]
    first_month = (number - 1) * months + 1
    first = date(year, first_month, 1)
    after = date(year + (first_month + months > 12), (first_month + months - 1) % 12 + 1, 1)
    return first, after - timedelta(days=1)


def occurrence_due(deadline: Deadline, period: str) -> date | None:
    """The nominal due date of the deadline's occurrence named `period`, or None if there is none."""
    if period_kind(period) != deadline.period:
        return None
    try:
        first, last = period_range(period)
    except ValueError:
        return None
    rule = parse_rule(deadline.rrule, deadline.dtstart)
    found = [day for day in due_dates(rule, first, last) if period_label(deadline.period, day) == period]
    return found[0] if found else None


def occurrences(
    book: DeadlineBook, first: date, last: date, deadline_id: str | None = None
) -> list[Occurrence]:
    """Every occurrence whose nominal due date is in [first, last], by due date then deadline."""
    found: list[Occurrence] = []
    for deadline in book.deadlines:
        if deadline_id is not None and deadline.id != deadline_id:
            continue
        rule = parse_rule(deadline.rrule, deadline.dtstart)
        for due in due_dates(rule, first, last):
            found.append(Occurrence(deadline, due, period_label(deadline.period, due)))
    return sorted(found, key=lambda o: (o.due, o.deadline.id))
