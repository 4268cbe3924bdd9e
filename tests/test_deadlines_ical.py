"""The iCalendar export parses back with the `icalendar` package."""

from __future__ import annotations

from datetime import date, timedelta

from icalendar import Calendar

from content.catalog import get_content
from content.deadlines import plan
from content.deadlines.ical import to_ical


def test_deadlines_as_recurring_events() -> None:
    book = get_content().deadlines
    parsed = Calendar.from_ical(to_ical(book.deadlines, "vi", book))
    events = {str(e["uid"]).split("@")[0]: e for e in parsed.walk("VEVENT")}
    assert set(events) == {d.id for d in book.deadlines}
    monthly = events["monthly_list"]
    assert monthly["rrule"].to_ical() == b"FREQ=MONTHLY;BYMONTHDAY=5"
    assert monthly.decoded("dtstart").day == 5
    assert str(monthly.decoded("dtstart").tzinfo) == "Asia/Ho_Chi_Minh"
    assert str(monthly["summary"]).startswith("Danh sách người chấp hành xong án phạt tù")
    triggers = sorted(a.decoded("trigger") for a in monthly.walk("VALARM"))
    assert triggers == [timedelta(days=-3), timedelta(days=-1)]
    assert parsed.walk("VTIMEZONE")


def test_reminders_as_day_events() -> None:
    book = get_content().deadlines
    reminders = plan(book, date(2027, 2, 1), date(2027, 2, 13))
    parsed = Calendar.from_ical(to_ical(reminders, "en", book))
    events = parsed.walk("VEVENT")
    assert len(events) == len(reminders)
    assert len({str(e["uid"]) for e in events}) == len(events)
    assert [e.decoded("dtstart") for e in events] == [r.send_on for r in reminders]
    shifted = [e for e, r in zip(events, reminders, strict=True) if r.shifted]
    assert len(shifted) == 1
    assert "by 05/02/2027" in str(shifted[0]["description"])
    assert "working day before" in str(shifted[0]["description"])
    escalation = [e for e, r in zip(events, reminders, strict=True) if r.kind == "escalation"]
    assert str(escalation[0]["description"]).startswith("Overdue: Commune-level police")
