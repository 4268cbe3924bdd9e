"""Which planned reminders to send now: a pure function, so catch-up is testable without a clock.

The planner gives every reminder of a window. For one obligation, period and recipient role, only the
LATEST `before`/`due` reminder whose day has come is sent: after downtime the body gets one message
(the most recent words), not one per missed day; in normal running each day's reminder is the latest
one on its day. Escalations are kept as they are (one day per occurrence); the scheduler groups them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from content.deadlines import Reminder

_KIND_RANK = {"before": 0, "due": 1}


def due_reminders(planned: Iterable[Reminder], last_day: date) -> list[Reminder]:
    latest: dict[tuple[str, str, str, str], Reminder] = {}
    escalations: list[Reminder] = []
    for reminder in planned:
        if reminder.send_on > last_day:
            continue
        if reminder.kind == "escalation":
            escalations.append(reminder)
            continue
        key = (reminder.deadline_id, reminder.period, reminder.role, reminder.agency_kind or "")
        current = latest.get(key)
        if current is None or _rank(reminder) > _rank(current):
            latest[key] = reminder
    chosen = [*latest.values(), *escalations]
    return sorted(chosen, key=Reminder.sort_key)


def _rank(reminder: Reminder) -> tuple[date, int]:
    return reminder.send_on, _KIND_RANK[reminder.kind]
