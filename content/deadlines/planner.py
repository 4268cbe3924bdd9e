"""Which reminders go out on which day: a pure function of the deadlines and the calendar.

For every nominal due date D of a deadline and every assignee:

- `before`: one reminder per lead time L, on D - L days; when that is not a working day it moves to
  the working day before it. A `before` reminder that would land on or after the earliest `due`
  reminder of the same occurrence is dropped (the `due` reminder says it), and two lead times
  landing on the same day give one reminder (the longer lead time is kept).
- `due`: on D itself when D is a working day. When D is a weekend day or a public holiday (lunar Tết
  included), on the previous working day instead, with `shifted=True`: nothing goes out on a day off.
- `escalation`: to the escalation role (the coordinator, PC10) on the N-th working day after D
  (`escalation.after_working_days`), one per assignee, naming that assignee in `about_role` /
  `about_agency_kind`. The scheduler sends it only while the assignee has not marked the period done.

Each reminder carries `period` (2027-01, 2027-Q1, 2027-H1, 2027) so "mark done for this period"
can refer to the occurrence. All dates are local dates in the deployment's time zone.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Literal

from content.deadlines.book import DeadlineBook
from content.deadlines.recurrence import due_dates, parse_rule, period_label
from content.deadlines.schema import AccountRole, Assignee, Deadline
from content.deadlines.workdays import WorkingCalendar

ReminderKind = Literal["before", "due", "escalation"]
_KIND_ORDER: dict[str, int] = {"before": 0, "due": 1, "escalation": 2}
# Widest possible distance between a due date and a reminder moved across non-working days.
_SHIFT_MARGIN_DAYS = 31


@dataclass(frozen=True)
class Reminder:
    deadline_id: str
    role: AccountRole
    agency_kind: str | None
    due: date  # the nominal due date (the data's recurrence), never moved
    send_on: date
    kind: ReminderKind
    period: str
    shifted: bool = False  # a `due` entry sent on the working day before, as `due` is a day off
    lead_days: int | None = None  # for `before`: the lead time that produced it
    about_role: AccountRole | None = None  # for `escalation`: whose deadline it is
    about_agency_kind: str | None = None

    def sort_key(self) -> tuple[date, date, str, int, str, str, str, str]:
        return (
            self.send_on,
            self.due,
            self.deadline_id,
            _KIND_ORDER[self.kind],
            self.role,
            self.agency_kind or "",
            self.about_role or "",
            self.about_agency_kind or "",
        )

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["due"] = self.due.isoformat()
        data["send_on"] = self.send_on.isoformat()
        return data


def plan(book: DeadlineBook, start: date, end: date) -> list[Reminder]:
    """Every reminder whose `send_on` is in [start, end], sorted by send_on, then due."""
    found: list[Reminder] = []
    for deadline in book.deadlines:
        found += _deadline_reminders(deadline, book.calendar, start, end)
    return sorted((r for r in found if start <= r.send_on <= end), key=Reminder.sort_key)


def _deadline_reminders(deadline: Deadline, cal: WorkingCalendar, start: date, end: date) -> list[Reminder]:
    rule = parse_rule(deadline.rrule, deadline.dtstart)
    longest_lead = max(deadline.lead_days, default=0)
    escalation_span = deadline.escalation.after_working_days * 3 + _SHIFT_MARGIN_DAYS
    first = start - timedelta(days=escalation_span)
    last = end + timedelta(days=longest_lead + _SHIFT_MARGIN_DAYS)
    out: list[Reminder] = []
    for due in due_dates(rule, first, last):
        period = period_label(deadline.period, due)
        for assignee in deadline.assignees:
            out += occurrence_reminders(deadline, assignee, due, period, cal)
    return out


def occurrence_reminders(
    deadline: Deadline, assignee: Assignee, due: date, period: str, cal: WorkingCalendar
) -> list[Reminder]:
    """The reminders of one occurrence for one assignee (see the module's rules)."""

    def make(send_on: date, kind: ReminderKind, shifted: bool = False, lead: int | None = None) -> Reminder:
        return Reminder(
            deadline_id=deadline.id,
            role=assignee.role,
            agency_kind=assignee.agency_kind,
            due=due,
            send_on=send_on,
            kind=kind,
            period=period,
            shifted=shifted,
            lead_days=lead,
        )

    if cal.is_working_day(due):
        dues = [make(due, "due")]
    else:  # nobody reads a reminder on a day off: the working day before says it
        dues = [make(cal.previous_working_day(due), "due", shifted=True)]
    earliest_due = dues[0].send_on

    befores: dict[date, Reminder] = {}
    for lead in deadline.lead_days:  # longest first, so the longer lead time wins a shared day
        send_on = cal.on_or_before(due - timedelta(days=lead))
        if send_on < earliest_due and send_on not in befores:
            befores[send_on] = make(send_on, "before", lead=lead)

    target = deadline.escalation.to
    escalation = Reminder(
        deadline_id=deadline.id,
        role=target.role,
        agency_kind=target.agency_kind,
        due=due,
        send_on=cal.add_working_days(due, deadline.escalation.after_working_days),
        kind="escalation",
        period=period,
        about_role=assignee.role,
        about_agency_kind=assignee.agency_kind,
    )
    return [*befores.values(), *dues, escalation]
