"""Reminders go out only in working time: on working days (deadlines.yaml calendar: weekends, public
holidays, Tết) within the working hours of reminders.yaml. A due date on a day off is reminded on the
working day before, not on the day off; a run outside working hours sends nothing and the next run in
working hours catches up. Every moment here is fixed; nothing reads the real clock."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from api import migrate
from api.core.db import make_engine
from api.models import Followup, OutboxMessage, ReminderSent
from api.reminders.followups import send_due_followups
from api.reminders.scheduler import run_reminders
from api.roles import Role
from api.services import accounts
from content.catalog import get_content
from content.communes.official import province_wards
from content.deadlines import plan
from tests.cli import run_cli

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
COMMUNE = province_wards(92)[0].code


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=VIETNAM).astimezone(UTC)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    migrate.upgrade(database_url)
    engine = make_engine(database_url)
    with Session(engine) as session:
        for role, name, chat, communes in (
            (Role.COMMUNE_POLICE, "CA phường 1", "5001", [COMMUNE]),
            (Role.COORDINATOR, "PC10", "9001", []),
        ):
            account, _ = accounts.create_account(session, name=name, role=role, communes=communes)
            account.telegram_chat_id = chat
            session.add(account)
        session.commit()
    yield engine
    engine.dispose()


def sent_days(engine: Engine) -> list[date]:
    with Session(engine) as session:
        return list(session.exec(select(ReminderSent.send_on).order_by(col(ReminderSent.send_on))).all())


def test_the_plan_has_no_reminder_on_a_day_off() -> None:
    book = get_content().deadlines
    year = plan(book, date(2026, 12, 1), date(2027, 12, 31))
    assert [r for r in year if not book.calendar.is_working_day(r.send_on)] == []
    # Tết eve, Friday 5 February 2027: the due-day reminder goes out on Wednesday the 3rd only.
    tet = [
        (r.send_on, r.shifted)
        for r in year
        if (r.deadline_id, r.kind, r.due) == ("monthly_list", "due", date(2027, 2, 5))
    ]
    assert tet == [(date(2027, 2, 3), True)]


def test_the_plan_command_lists_no_reminder_on_a_day_off() -> None:
    result = run_cli("reminders", "plan", "--from", "2026-12-01", "--to", "2027-12-31", "--json")
    assert result.returncode == 0, result.stderr
    calendar = get_content().deadlines.calendar
    days = [date.fromisoformat(json.loads(line)["send_on"]) for line in result.stdout.splitlines()]
    assert days
    assert [d for d in days if not calendar.is_working_day(d)] == []


def test_nothing_goes_out_on_a_day_off(engine: Engine) -> None:
    # Every day from December to the end of February, at 09:00: the Tết eve due date (5 February
    # 2027) and the weekends in between never get a message.
    day = date(2026, 12, 1)
    while day <= date(2027, 2, 28):
        run_reminders(engine, at(day, 9))
        day += timedelta(days=1)
    calendar = get_content().deadlines.calendar
    days = sent_days(engine)
    assert date(2027, 2, 3) in days
    assert [d for d in days if not calendar.is_working_day(d)] == []


def test_nothing_goes_out_outside_working_hours_and_the_morning_catches_up(engine: Engine) -> None:
    # Tuesday 2 March 2027 is "3 days before" the list due on Friday 5 March. The service came up at
    # 20:09: nothing then, nor at 06:30 the next morning; at 08:00 the missed reminder goes out once.
    assert run_reminders(engine, at(date(2027, 3, 2), 20, 9)) == 0
    assert run_reminders(engine, at(date(2027, 3, 3), 6, 30)) == 0
    assert run_reminders(engine, at(date(2027, 3, 3), 8, 0)) == 1
    assert run_reminders(engine, at(date(2027, 3, 3), 9, 0)) == 0
    assert run_reminders(engine, at(date(2027, 3, 4), 9, 0)) == 1  # 1 day before
    assert run_reminders(engine, at(date(2027, 3, 5), 16, 59)) == 1  # the due day
    # The escalation of an obligation follows the same hours: 9 March is its day (2 working days).
    assert run_reminders(engine, at(date(2027, 3, 9), 17, 30)) == 0
    assert run_reminders(engine, at(date(2027, 3, 10), 8, 15)) == 1
    with Session(engine) as session:
        targets = session.exec(select(OutboxMessage.target).order_by(col(OutboxMessage.id))).all()
    assert [t for t in targets if t is not None] == ["5001", "5001", "5001", "9001"]


def test_a_followup_waits_for_working_hours(engine: Engine) -> None:
    with Session(engine) as session:
        session.add(
            Followup(
                channel="telegram",
                channel_user="8001",
                kind="after_release",
                remind_on=date(2027, 3, 6),
                lang="vi",
            )
        )
        session.commit()
    assert send_due_followups(engine, at(date(2027, 3, 6), 7, 0)) == 0
    assert send_due_followups(engine, at(date(2027, 3, 6), 20, 9)) == 0
    assert send_due_followups(engine, at(date(2027, 3, 7), 8, 30)) == 1
