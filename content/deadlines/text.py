"""The words of one reminder in one language, from the data's wording (for the scheduler and iCal)."""

from __future__ import annotations

from datetime import date

from content.deadlines.book import DeadlineBook
from content.deadlines.planner import Reminder
from content.deadlines.schema import AccountRole


def format_day(day: date) -> str:
    """dd/MM/yyyy, the form Vietnamese officials write (used in every language)."""
    return day.strftime("%d/%m/%Y")


def who(book: DeadlineBook, role: AccountRole, agency_kind: str | None, lang: str) -> str:
    names = book.schedule.names
    if agency_kind is not None:
        return names.agency_kinds[agency_kind].get(lang)
    return names.roles[role].get(lang)


def reminder_text(book: DeadlineBook, reminder: Reminder, lang: str) -> str:
    deadline = book.deadline(reminder.deadline_id)
    due = format_day(reminder.due)
    if reminder.kind == "escalation":
        assignee = who(book, reminder.about_role or reminder.role, reminder.about_agency_kind, lang)
        return book.schedule.escalation_wording.get(lang).format(
            what=deadline.what.get(lang), due=due, period=reminder.period, assignee=assignee
        )
    text = deadline.wording.get(lang).format(due=due, period=reminder.period)
    if reminder.shifted:
        text += " " + book.schedule.shifted_note.get(lang)
    return text
