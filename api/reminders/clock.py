"""The scheduler's clock and local time: days in the deployment's time zone (deadlines.yaml
`calendar.timezone`) and working time (working days of that calendar, `working_hours` of
reminders.yaml).

Background jobs take their moment from a `Clock` rather than reading the system time themselves, so
`serve` can be given a fixed moment (`BUOCMOI_CLOCK`) and tests never depend on the real day or hour.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from api.models import utcnow
from content.deadlines import DeadlineBook
from content.reminders import WorkingHours

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return utcnow()


def fixed_clock(moment: datetime) -> Clock:
    """A clock that always reads `moment` (aware): every run acts as at that moment."""
    if moment.tzinfo is None:
        raise ValueError("a fixed clock needs a moment with its UTC offset")

    def read() -> datetime:
        return moment

    return read


def local_now(book: DeadlineBook, now: datetime) -> datetime:
    return now.astimezone(ZoneInfo(book.schedule.calendar.timezone))


def local_today(book: DeadlineBook, now: datetime) -> date:
    return local_now(book, now).date()


def in_working_hours(book: DeadlineBook, hours: WorkingHours, now: datetime) -> bool:
    return local_now(book, now).time() in hours


def in_working_time(book: DeadlineBook, hours: WorkingHours, now: datetime) -> bool:
    """A working day of the deployment's calendar, within working hours (local time)."""
    local = local_now(book, now)
    return book.calendar.is_working_day(local.date()) and local.time() in hours


def local_day_bounds(book: DeadlineBook, first: date, last: date) -> tuple[datetime, datetime]:
    """Aware start of `first` and start of the day after `last`, in local time."""
    zone = ZoneInfo(book.schedule.calendar.timezone)
    start = datetime.combine(first, time(), tzinfo=zone)
    end = datetime.combine(last + timedelta(days=1), time(), tzinfo=zone)
    return start, end
