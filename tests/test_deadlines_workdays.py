"""The working-day calendar: Vietnamese public holidays from the `holidays` package, plus data."""

from __future__ import annotations

from datetime import date

from content.deadlines.schema import CalendarSettings
from content.deadlines.workdays import WorkingCalendar


def test_holidays_package_knows_tet_2027_national_day_and_hung_kings() -> None:
    cal = WorkingCalendar()
    for day in [date(2027, 2, d) for d in range(4, 11)]:  # Tết Nguyên Đán 2027: 6 Feb, with 4-10 Feb off
        assert not cal.is_working_day(day), day
    assert "Lunar New Year" in (cal.holiday_name(date(2027, 2, 6)) or "")
    assert not cal.is_working_day(date(2027, 9, 2))
    assert not cal.is_working_day(date(2027, 9, 3))
    assert "Hung Kings" in (cal.holiday_name(date(2027, 4, 16)) or "")
    assert cal.is_working_day(date(2027, 2, 3))


def test_weekends_and_steps() -> None:
    cal = WorkingCalendar()
    assert not cal.is_working_day(date(2027, 6, 5))  # Saturday
    assert cal.previous_working_day(date(2027, 6, 7)) == date(2027, 6, 4)
    assert cal.on_or_before(date(2027, 6, 7)) == date(2027, 6, 7)
    assert cal.add_working_days(date(2027, 2, 5), 1) == date(2027, 2, 11)
    assert cal.add_working_days(date(2027, 6, 4), 1) == date(2027, 6, 7)


def test_days_declared_in_data() -> None:
    cal = WorkingCalendar(
        CalendarSettings(extra_days_off=[date(2027, 3, 1)], extra_working_days=[date(2027, 3, 6)])
    )
    assert not cal.is_working_day(date(2027, 3, 1))
    assert cal.holiday_name(date(2027, 3, 1)) == "day off"
    assert cal.is_working_day(date(2027, 3, 6))  # a make-up Saturday
    assert cal.previous_working_day(date(2027, 3, 2)) == date(2027, 2, 26)


def test_the_table_from_a_child_process_answers_as_the_package_does() -> None:
    """`serve` keeps the `holidays` package out of its memory: a child process works out the years
    around "today" and the calendar answers from that table; every day must agree with the package."""
    import holidays

    from content.deadlines import holiday_table

    package = holidays.country_holidays("VN")
    assert holiday_table.load_from_child("VN", today=date(2027, 6, 1))
    try:
        table = holiday_table.table_for("VN")
        assert table is not None
        assert (table.first, table.last) == (date(2022, 1, 1), date(2032, 12, 31))
        cal = WorkingCalendar()
        day = date(2025, 1, 1)
        while day <= date(2028, 12, 31):
            assert cal.is_working_day(day) == package.is_working_day(day), day
            assert cal.holiday_name(day) == package.get(day), day
            day = date.fromordinal(day.toordinal() + 1)
        assert table.names[date(2027, 2, 6)] == package.get(date(2027, 2, 6))
        # Outside the table's years the package itself answers.
        assert not cal.is_working_day(date(2040, 9, 4))  # a Tuesday: National Day (observed)
    finally:
        holiday_table._tables.clear()
