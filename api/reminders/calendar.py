"""An account's calendar feed: the due dates of its obligations for the next 12 months.

Each occurrence is an all-day event on its due date with the reminder's words; when a due date is a
weekend day or a public holiday, a second event on the working day before says so (the planner's
`shifted` entry). The coordinator and admin see every obligation's due dates (once per occurrence).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from api.models import Account
from api.reminders.recipients import matches
from api.roles import Role
from content.deadlines import DeadlineBook, Reminder, plan

HORIZON_DAYS = 366


def feed_reminders(book: DeadlineBook, account: Account, today: date) -> list[Reminder]:
    everything = account.role in (Role.COORDINATOR.value, Role.ADMIN.value)
    seen: set[tuple[str, str, date, bool]] = set()
    chosen: list[Reminder] = []
    for reminder in plan(book, today, today + timedelta(days=HORIZON_DAYS)):
        if reminder.kind != "due":
            continue
        if not everything and not matches(account, reminder.role, reminder.agency_kind):
            continue
        # The planner sends a day off's `due` reminder on the working day before only; the calendar
        # still shows the due date itself.
        days = (
            [reminder, replace(reminder, send_on=reminder.due, shifted=False)]
            if reminder.shifted
            else [reminder]
        )
        for entry in days:
            key = (entry.deadline_id, entry.period, entry.send_on, entry.shifted)
            if key not in seen:
                seen.add(key)
                chosen.append(entry)
    return sorted(chosen, key=Reminder.sort_key)


def feed(book: DeadlineBook, account: Account, today: date, lang: str) -> bytes:
    from content.deadlines.ical import to_ical  # icalendar only when a feed is asked for (7 MB)

    return to_ical(feed_reminders(book, account, today), lang, book)
