"""Agency deadlines and targets (spec/deadlines.md): data schema, loading, the working-day calendar,
the pure reminder planner and an iCalendar export. Sending is the API's scheduler's job."""

from content.deadlines.book import DeadlineBook
from content.deadlines.load import load
from content.deadlines.planner import Reminder, plan

__all__ = ["DeadlineBook", "Reminder", "load", "plan"]
