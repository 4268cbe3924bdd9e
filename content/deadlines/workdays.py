"""Working days in Vietnam: weekends and public holidays (lunar Tết included) from the `holidays`
package, plus days off and make-up working days a deployment declares in data.

In `serve` the package's answers come from a table a child process worked out (`holiday_table`, to
keep the package's ~17 MB out of the service); elsewhere, and outside the table's years, from the
package itself, imported on first use."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from content.deadlines import holiday_table
from content.deadlines.schema import CalendarSettings

if TYPE_CHECKING:
    from holidays import HolidayBase

_MAX_STEPS = 366  # no run of non-working days is this long; guards against a bad data file


class WorkingCalendar:
    def __init__(self, settings: CalendarSettings | None = None) -> None:
        settings = settings or CalendarSettings()
        self._country = settings.country
        self._package: HolidayBase | None = None
        self._extra_off = frozenset(settings.extra_days_off)
        self._extra_working = frozenset(settings.extra_working_days)

    def holiday_name(self, day: date) -> str | None:
        """The public holiday on `day` (package name, English), or "day off" for a declared one."""
        if day in self._extra_off:
            return "day off"
        table = holiday_table.table_for(self._country)
        if table is not None and table.covers(day):
            return table.names.get(day)
        name: str | None = self._public().get(day)
        return name

    def is_working_day(self, day: date) -> bool:
        if day in self._extra_off:
            return False
        if day in self._extra_working:
            return True
        table = holiday_table.table_for(self._country)
        if table is not None and table.covers(day):
            return table.is_working_day(day)
        working: bool = self._public().is_working_day(day)
        return working

    def _public(self) -> HolidayBase:
        if self._package is None:
            import holidays  # here only: loads every country's module: only when needed

            self._package = holidays.country_holidays(self._country)
        return self._package

    def on_or_before(self, day: date) -> date:
        """`day` itself if it is a working day, else the working day before it."""
        for _ in range(_MAX_STEPS):
            if self.is_working_day(day):
                return day
            day -= timedelta(days=1)
        raise ValueError("no working day within a year")

    def previous_working_day(self, day: date) -> date:
        """The last working day strictly before `day`."""
        return self.on_or_before(day - timedelta(days=1))

    def add_working_days(self, day: date, count: int) -> date:
        """The `count`-th working day after `day` (count >= 1)."""
        found = 0
        for _ in range(_MAX_STEPS * max(count, 1)):
            day += timedelta(days=1)
            if self.is_working_day(day):
                found += 1
                if found == count:
                    return day
        raise ValueError("no working day within a year")
