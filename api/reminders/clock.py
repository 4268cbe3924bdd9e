"""Local days in the deployment's time zone (deadlines.yaml `calendar.timezone`)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from content.deadlines import DeadlineBook


def local_now(book: DeadlineBook, now: datetime) -> datetime:
    return now.astimezone(ZoneInfo(book.schedule.calendar.timezone))


def local_today(book: DeadlineBook, now: datetime) -> date:
    return local_now(book, now).date()


def last_send_day(book: DeadlineBook, send_from: time, now: datetime) -> date:
    """The latest day whose reminders may go out now: today once `send_from` has passed, else yesterday."""
    local = local_now(book, now)
    return local.date() if local.time() >= send_from else local.date() - timedelta(days=1)


def local_day_bounds(book: DeadlineBook, first: date, last: date) -> tuple[datetime, datetime]:
    """Aware start of `first` and start of the day after `last`, in local time."""
    zone = ZoneInfo(book.schedule.calendar.timezone)
    start = datetime.combine(first, time(), tzinfo=zone)
    end = datetime.combine(last + timedelta(days=1), time(), tzinfo=zone)
    return start, end
