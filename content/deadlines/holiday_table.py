"""Vietnam's public holidays for a span of years, worked out in a child process.

Importing the `holidays` package loads every country it knows (about 460 modules, ~17 MB that a
long-running service never gives back). `serve` asks a child process for the few years it needs and
keeps only a small table: the holiday names by date and the days whose working status differs from
"Monday to Friday". `WorkingCalendar` answers from the table inside its span and from the package
itself outside it (CLI commands and tests, which never load the table, always use the package).

    python -c "import content.deadlines.holiday_table as t; t.main()" VN 2021 2031   # JSON on stdout

(Not `python -m`: the package imports this module first, and runpy warns about that.)
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, timedelta

YEARS_AROUND = 5  # years before and after today's that the service keeps


@dataclass(frozen=True)
class HolidayTable:
    first: date
    last: date
    names: dict[date, str]
    # Weekdays that are days off, and weekend days that are working days (make-up days).
    flipped: frozenset[date]

    def covers(self, day: date) -> bool:
        return self.first <= day <= self.last

    def is_working_day(self, day: date) -> bool:
        return (day.weekday() < 5) != (day in self.flipped)


_tables: dict[str, HolidayTable] = {}


def table_for(country: str) -> HolidayTable | None:
    return _tables.get(country)


def build(country: str, first_year: int, last_year: int) -> dict[str, object]:
    """The table from the `holidays` package (run in the child)."""
    import holidays  # here only: imported in the child or outside the service

    public = holidays.country_holidays(country, years=range(first_year, last_year + 1))
    day, last = date(first_year, 1, 1), date(last_year, 12, 31)
    names: dict[str, str] = {}
    flipped: list[str] = []
    while day <= last:
        name = public.get(day)
        if name is not None:
            names[day.isoformat()] = str(name)
        if public.is_working_day(day) != (day.weekday() < 5):
            flipped.append(day.isoformat())
        day += timedelta(days=1)
    return {"first": f"{first_year}-01-01", "last": f"{last_year}-12-31", "names": names, "flipped": flipped}


def _from_json(data: dict[str, object]) -> HolidayTable:
    names = data["names"]
    flipped = data["flipped"]
    assert isinstance(names, dict) and isinstance(flipped, list)
    return HolidayTable(
        first=date.fromisoformat(str(data["first"])),
        last=date.fromisoformat(str(data["last"])),
        names={date.fromisoformat(k): str(v) for k, v in names.items()},
        flipped=frozenset(date.fromisoformat(str(d)) for d in flipped),
    )


def load_from_child(country: str = "VN", today: date | None = None) -> bool:
    """Keep the table for today's year ± YEARS_AROUND; False if the child failed (the calendar then
    uses the package itself, as before)."""
    year = (today or date.today()).year
    try:
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                "import content.deadlines.holiday_table as t; t.main()",
                country,
                str(year - YEARS_AROUND),
                str(year + YEARS_AROUND),
            ],
            capture_output=True,
            check=True,
            timeout=120,
        )
        _tables[country] = _from_json(json.loads(done.stdout))
    except (subprocess.SubprocessError, OSError, ValueError, KeyError, AssertionError):
        return False
    return True


def main() -> None:
    print(json.dumps(build(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))))
