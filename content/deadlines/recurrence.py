"""Nominal due dates from an RFC 5545 RRULE string (python-dateutil), and period labels."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from dateutil.rrule import rrule, rrulestr

from content.deadlines.schema import PeriodKind

_SUB_DAILY = re.compile(r"FREQ=(HOURLY|MINUTELY|SECONDLY)", re.IGNORECASE)


class RuleError(ValueError):
    """An RRULE string that cannot give due dates."""


def parse_rule(text: str, dtstart: date) -> rrule:
    """Parse one RRULE (without DTSTART; the anchor comes from `dtstart`); raise `RuleError`."""
    cleaned = text.strip()
    if cleaned.upper().startswith("RRULE:"):
        cleaned = cleaned[len("RRULE:") :]
    if not cleaned or "\n" in cleaned or "DTSTART" in cleaned.upper():
        raise RuleError("must be one RRULE line without DTSTART, e.g. FREQ=MONTHLY;BYMONTHDAY=5")
    if _SUB_DAILY.search(cleaned):  # several occurrences a day make no sense for a deadline
        raise RuleError("frequency finer than daily is not allowed")
    try:
        rule = rrulestr(cleaned, dtstart=datetime.combine(dtstart, time()))
    except (ValueError, TypeError, KeyError, IndexError) as err:
        raise RuleError(f"not a valid RRULE ({err})") from err
    if not isinstance(rule, rrule):
        raise RuleError("must be a single RRULE")
    return rule


def due_dates(rule: rrule, start: date, end: date) -> list[date]:
    """Every nominal due date of `rule` from `start` to `end`, both included."""
    if end < start:
        return []
    found = rule.between(datetime.combine(start, time()), datetime.combine(end, time()), inc=True)
    return sorted({moment.date() for moment in found})


def period_label(kind: PeriodKind, due: date) -> str:
    """The period an occurrence due on `due` belongs to: 2027-01, 2027-Q1, 2027-H1 or 2027."""
    if kind == "month":
        return f"{due.year}-{due.month:02d}"
    if kind == "quarter":
        return f"{due.year}-Q{(due.month - 1) // 3 + 1}"
    if kind == "half":
        return f"{due.year}-H{1 if due.month <= 6 else 2}"
    return str(due.year)
