"""iCalendar (RFC 5545) export, pure: bytes out, nothing sent or written.

- Deadlines become one recurring event each (their RRULE, at `due_time` in the deployment's time
  zone) with one alarm per lead time: a calendar an agency can subscribe to. The calendar app follows
  the plain RRULE: the extra reminder on the previous working day is not expressed there.
- Reminders (from `plan`) become one all-day event each on `send_on`, with the reminder's words.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, vRecur

from content.deadlines.book import DeadlineBook
from content.deadlines.planner import Reminder
from content.deadlines.recurrence import due_dates, parse_rule
from content.deadlines.schema import Deadline
from content.deadlines.text import reminder_text, who

PRODID = "-//Buoc Moi//deadlines//VI"
UID_DOMAIN = "buocmoi.deadlines"


def to_ical(items: Sequence[Deadline] | Sequence[Reminder], lang: str, book: DeadlineBook) -> bytes:
    """An iCalendar file of deadlines (recurring events) or planned reminders (one event each);
    `book` gives the names, words and time zone."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-timezone", book.schedule.calendar.timezone)
    for item in items:
        if isinstance(item, Reminder):
            cal.add_component(_reminder_event(item, lang, book))
        else:
            cal.add_component(_deadline_event(item, lang, book))
    cal.add_missing_timezones()
    data: bytes = cal.to_ical()
    return data


def _deadline_event(deadline: Deadline, lang: str, book: DeadlineBook) -> Event:
    zone = ZoneInfo(book.schedule.calendar.timezone)
    rule = parse_rule(deadline.rrule, deadline.dtstart)
    first = due_dates(rule, deadline.dtstart, deadline.dtstart.replace(year=deadline.dtstart.year + 10))[0]
    start = datetime.combine(first, deadline.due_time, tzinfo=zone)
    event = Event()
    event.add("uid", f"{deadline.id}@{UID_DOMAIN}")
    event.add("dtstamp", datetime.combine(deadline.dtstart, deadline.due_time, tzinfo=zone))
    event.add("dtstart", start)
    event.add("duration", timedelta(0))
    event.add("rrule", vRecur.from_ical(_bare_rule(deadline.rrule)))
    event.add("summary", deadline.what.get(lang))
    assignees = ", ".join(who(book, a.role, a.agency_kind, lang) for a in deadline.assignees)
    event.add("description", f"{assignees}\n{deadline.basis.document}, {deadline.basis.section}")
    event.add("categories", [deadline.id])
    for lead in deadline.lead_days:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", deadline.what.get(lang))
        alarm.add("trigger", timedelta(days=-lead))
        event.add_component(alarm)
    return event


def _reminder_event(reminder: Reminder, lang: str, book: DeadlineBook) -> Event:
    deadline = book.deadline(reminder.deadline_id)
    event = Event()
    recipient = reminder.role + (f".{reminder.agency_kind}" if reminder.agency_kind else "")
    about = "".join(f".{part}" for part in (reminder.about_role, reminder.about_agency_kind) if part)
    shifted = ".shifted" if reminder.shifted else ""
    event.add(
        "uid",
        f"{reminder.deadline_id}.{reminder.period}.{reminder.kind}.{reminder.send_on.isoformat()}"
        f".{recipient}{about}{shifted}@{UID_DOMAIN}",
    )
    event.add("dtstamp", datetime.combine(reminder.send_on, deadline.due_time, tzinfo=ZoneInfo("UTC")))
    event.add("dtstart", reminder.send_on)
    event.add("dtend", reminder.send_on + timedelta(days=1))
    event.add("summary", deadline.what.get(lang))
    event.add("description", reminder_text(book, reminder, lang))
    event.add("categories", [reminder.deadline_id, reminder.kind])
    return event


def _bare_rule(text: str) -> str:
    cleaned = text.strip()
    return cleaned[len("RRULE:") :] if cleaned.upper().startswith("RRULE:") else cleaned
