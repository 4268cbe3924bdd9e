"""The reminder planner over the packaged deadlines: recurrence, Tết and weekend shifts (nothing on
a day off), sorting."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from content.catalog import get_content
from content.deadlines import DeadlineBook, Reminder, plan

IDS = {
    "monthly_list",
    "half_year_report",
    "annual_report",
    "quarterly_media",
    "inspections",
    "budget_proposal",
    "targets",
}
START, END = date(2026, 12, 1), date(2027, 12, 31)


@pytest.fixture(scope="module")
def book() -> DeadlineBook:
    return get_content().deadlines


@pytest.fixture(scope="module")
def year(book: DeadlineBook) -> list[Reminder]:
    return plan(book, START, END)


def of(reminders: list[Reminder], deadline_id: str, **match: object) -> list[Reminder]:
    return [
        r
        for r in reminders
        if r.deadline_id == deadline_id and all(getattr(r, k) == v for k, v in match.items())
    ]


def test_every_obligation_has_before_due_and_escalation(book: DeadlineBook, year: list[Reminder]) -> None:
    assert {d.id for d in book.deadlines} == IDS
    kinds: dict[str, set[str]] = defaultdict(set)
    for reminder in year:
        kinds[reminder.deadline_id].add(reminder.kind)
    assert kinds == {deadline_id: {"before", "due", "escalation"} for deadline_id in IDS}


def test_every_assignee_gets_every_occurrence(book: DeadlineBook, year: list[Reminder]) -> None:
    for deadline in book.deadlines:
        dues = {r.due for r in of(year, deadline.id, kind="due")}
        for assignee in deadline.assignees:
            mine = of(year, deadline.id, kind="due", role=assignee.role)
            assert {r.due for r in mine if r.agency_kind == assignee.agency_kind} == dues
            escalations = of(year, deadline.id, kind="escalation", about_role=assignee.role)
            assert {r.role for r in escalations} == {"coordinator"}


def test_recurrence_in_2027(year: list[Reminder]) -> None:
    def dues(deadline_id: str) -> list[date]:
        found = {r.due for r in of(year, deadline_id, kind="due")}
        return sorted(d for d in found if d.year == 2027)

    assert dues("monthly_list") == [date(2027, month, 5) for month in range(1, 13)]
    assert dues("half_year_report") == [date(2027, 6, 14)]
    assert dues("annual_report") == [date(2027, 12, 14)]
    assert dues("quarterly_media") == [
        date(2027, 3, 31),
        date(2027, 6, 30),
        date(2027, 9, 30),
        date(2027, 12, 31),
    ]
    assert dues("inspections") == [date(2027, 6, 30), date(2027, 11, 30)]
    assert dues("budget_proposal") == [date(2027, 7, 14)]
    assert dues("targets") == [date(2027, 12, 31)]


def test_periods_name_each_occurrence(year: list[Reminder]) -> None:
    def period(deadline_id: str, due: date) -> set[str]:
        return {r.period for r in of(year, deadline_id, due=due)}

    assert period("monthly_list", date(2027, 2, 5)) == {"2027-02"}
    assert period("half_year_report", date(2027, 6, 14)) == {"2027-H1"}
    assert period("annual_report", date(2027, 12, 14)) == {"2027"}
    assert period("quarterly_media", date(2027, 3, 31)) == {"2027-Q1"}
    assert period("inspections", date(2027, 11, 30)) == {"2027-H2"}
    assert period("targets", date(2027, 12, 31)) == {"2027"}


def test_tet_2027_due_day_is_reminded_on_the_previous_working_day(year: list[Reminder]) -> None:
    # 5 Feb 2027 is Lunar New Year's Eve (Tết holiday 4-10 Feb in the holidays package).
    feb = of(year, "monthly_list", due=date(2027, 2, 5))
    assert [(r.kind, r.send_on, r.shifted) for r in feb] == [
        ("before", date(2027, 2, 2), False),  # 3 days before
        ("due", date(2027, 2, 3), True),  # previous working day (4 Feb is a Tết day), not Tết eve
        ("escalation", date(2027, 2, 12), False),  # 2nd working day after Tết
    ]
    # The 1-day lead time fell on 4 Feb (Tết), moved to 3 Feb, where the shifted `due` already goes.
    assert [r.lead_days for r in feb if r.kind == "before"] == [3]


def test_weekend_and_national_day_shift(year: list[Reminder]) -> None:
    # 5 Jun 2027 is a Saturday.
    june = of(year, "monthly_list", due=date(2027, 6, 5), kind="due")
    assert [(r.send_on, r.shifted) for r in june] == [(date(2027, 6, 4), True)]
    # 5 Sep 2027 is a Sunday; 2-3 Sep are the National Day holidays: back to Wednesday 1 Sep.
    september = of(year, "monthly_list", due=date(2027, 9, 5), kind="due")
    assert [(r.send_on, r.shifted) for r in september] == [(date(2027, 9, 1), True)]


def test_lead_time_on_a_weekend_moves_to_the_previous_working_day(year: list[Reminder]) -> None:
    befores = of(year, "half_year_report", kind="before", role="bank", due=date(2027, 6, 14))
    # 7 days before is Monday 7 Jun; 2 days before is Saturday 12 Jun -> Friday 11 Jun.
    assert [(r.lead_days, r.send_on) for r in befores] == [(7, date(2027, 6, 7)), (2, date(2027, 6, 11))]


def test_month_ends(book: DeadlineBook) -> None:
    reminders = plan(book, date(2028, 9, 1), date(2028, 10, 31))
    # 30 Sep 2028 is a Saturday: the quarter's report is reminded on Friday 29 Sep instead.
    dues = of(reminders, "quarterly_media", kind="due")
    assert [(r.send_on, r.period, r.shifted) for r in dues] == [(date(2028, 9, 29), "2028-Q3", True)]


def test_moved_reminders_land_on_working_days(book: DeadlineBook, year: list[Reminder]) -> None:
    for reminder in year:
        assert book.calendar.is_working_day(reminder.send_on), reminder
        if reminder.kind == "before":
            assert reminder.send_on < reminder.due
        if reminder.kind == "escalation":
            assert reminder.send_on > reminder.due


def test_sorted_by_send_day_then_due_and_inside_the_window(year: list[Reminder]) -> None:
    keys = [(r.send_on, r.due) for r in year]
    assert keys == sorted(keys)
    assert all(START <= r.send_on <= END for r in year)
    assert len(set(year)) == len(year)


def test_window_includes_escalations_of_earlier_due_dates(book: DeadlineBook) -> None:
    window = plan(book, date(2027, 2, 11), date(2027, 2, 12))
    assert [(r.deadline_id, r.kind, r.due) for r in window] == [
        ("monthly_list", "escalation", date(2027, 2, 5))
    ]
    assert plan(book, date(2027, 2, 13), date(2027, 2, 12)) == []


@settings(max_examples=40, deadline=None)
@given(
    start=st.dates(min_value=date(2025, 1, 1), max_value=date(2030, 12, 31)),
    first=st.integers(min_value=0, max_value=120),
    second=st.integers(min_value=1, max_value=120),
)
def test_windows_add_up(start: date, first: int, second: int) -> None:
    """Planning two adjacent windows gives exactly the reminders of the joined window."""
    book = get_content().deadlines
    middle = start + timedelta(days=first)
    end = middle + timedelta(days=second)
    assert plan(book, start, middle) + plan(book, middle + timedelta(days=1), end) == plan(book, start, end)
