"""The reminder scheduler over a synthetic clock: a year of daily runs (Tết 2027, month ends), catch-up
after a gap, "done" stopping reminders and escalation, the send hour, escalation wording."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from api import migrate
from api.core.db import make_engine
from api.models import Account, OutboxMessage, ReminderSent, Webhook
from api.reminders.scheduler import run_reminders
from api.reminders.status import mark_done
from api.roles import Role
from api.services import accounts
from content.catalog import get_content
from content.communes.official import province_wards
from content.deadlines import plan

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
COMMUNES = [w.code for w in province_wards(92)]


def at(day: date, hour: int = 9) -> datetime:
    """`hour` o'clock local time on `day`, as the aware UTC moment the scheduler is given."""
    return datetime.combine(day, time(hour), tzinfo=VIETNAM).astimezone(UTC)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    migrate.upgrade(database_url)
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def make_account(
    engine: Engine,
    role: Role,
    name: str,
    chat: str | None = None,
    commune: str | None = None,
    agency_kind: str | None = None,
) -> Account:
    with Session(engine, expire_on_commit=False) as session:
        account, _token = accounts.create_account(
            session, name=name, role=role, communes=[commune] if commune else [], agency_kind=agency_kind
        )
        if chat:
            account.telegram_chat_id = chat
            session.add(account)
            session.commit()
            session.refresh(account)
    return account


def telegram(engine: Engine, chat: str) -> list[OutboxMessage]:
    with Session(engine) as session:
        return list(
            session.exec(
                select(OutboxMessage)
                .where(OutboxMessage.kind == "telegram", OutboxMessage.target == chat)
                .order_by(col(OutboxMessage.id))
            ).all()
        )


def sent_rows(engine: Engine, account: Account) -> list[ReminderSent]:
    with Session(engine) as session:
        return list(
            session.exec(
                select(ReminderSent)
                .where(ReminderSent.account_id == account.id)
                .order_by(col(ReminderSent.send_on), col(ReminderSent.id))
            ).all()
        )


def mark(engine: Engine, deadline_id: str, period: str, account: Account) -> None:
    with Session(engine) as session:
        mark_done(session, deadline_id, period, account, account)


def test_a_year_of_daily_runs_sends_every_planned_reminder_once(engine: Engine) -> None:
    police = make_account(engine, Role.COMMUNE_POLICE, "CA phường 1", "5001", COMMUNES[0])
    coordinator = make_account(engine, Role.COORDINATOR, "PC10", "9001")
    media = make_account(engine, Role.AGENCY, "Sở VHTT&DL", "7001", agency_kind="department_culture")
    day = date(2026, 12, 1)
    while day <= date(2027, 12, 31):
        run_reminders(engine, at(day))
        day += timedelta(days=1)

    book = get_content().deadlines
    planned = plan(book, date(2027, 1, 1), date(2027, 12, 31))

    def expected(role: str, kind: str | None = None) -> list[tuple[str, str, str, date]]:
        found = {
            (r.deadline_id, r.period, r.kind, r.send_on)
            for r in planned
            if r.role == role and (kind is None or r.agency_kind == kind) and r.kind != "escalation"
        }
        return sorted(found, key=lambda k: (k[3], k[0], k[2]))

    def got(account: Account) -> list[tuple[str, str, str, date]]:
        rows = [(r.deadline_id, r.period, r.kind, r.send_on) for r in sent_rows(engine, account)]
        return sorted((k for k in rows if k[3].year == 2027), key=lambda k: (k[3], k[0], k[2]))

    assert got(police) == expected("commune_police")
    assert got(media) == expected("agency", "department_culture")
    # Tết 2027: the list due Friday 5 February (a Tết day) is reminded on the 2nd (3 days before, a
    # working day) and on the 3rd (the last working day before Tết), not on the day off itself.
    february = [(k, d) for (i, p, k, d) in got(police) if (i, p) == ("monthly_list", "2027-02")]
    assert february == [("before", date(2027, 2, 2)), ("due", date(2027, 2, 3))]
    # 5 June 2027 is a Saturday: reminded on Friday the 4th instead.
    june = [(k, d) for (i, p, k, d) in got(police) if (i, p) == ("monthly_list", "2027-06")]
    assert ("due", date(2027, 6, 4)) in june and ("due", date(2027, 6, 5)) not in june
    # Month ends: the quarterly task is due on the last day of each quarter.
    quarter_dues = [d for (i, _p, k, d) in got(media) if i == "quarterly_media" and k == "due"]
    assert quarter_dues == [date(2027, 3, 31), date(2027, 6, 30), date(2027, 9, 30), date(2027, 12, 31)]
    # Nobody marked anything done: the coordinator hears of every monthly list, once each, 2 working
    # days after the due date (Tết pushes February's to the 12th).
    escalations = [(r.deadline_id, r.period, r.send_on) for r in sent_rows(engine, coordinator)]
    monthly = [(p, d) for (i, p, d) in escalations if i == "monthly_list" and p.startswith("2027")]
    assert ("2027-02", date(2027, 2, 12)) in monthly
    assert [p for p, _ in monthly] == [f"2027-{m:02d}" for m in range(1, 13)]
    assert len(escalations) == len(set(escalations))
    # Every row went out as exactly one Telegram message.
    for account, chat in ((police, "5001"), (coordinator, "9001"), (media, "7001")):
        assert len(telegram(engine, chat)) == len(sent_rows(engine, account))


def test_catch_up_after_a_gap_sends_each_missed_reminder_once(engine: Engine) -> None:
    police = make_account(engine, Role.COMMUNE_POLICE, "CA phường 1", "5001", COMMUNES[0])
    with Session(engine) as session:
        session.add(Webhook(account_id=police.id or 0, url="http://127.0.0.1:9/hook", secret="s"))
        session.commit()
    coordinator = make_account(engine, Role.COORDINATOR, "PC10", "9001")
    assert run_reminders(engine, at(date(2027, 1, 29))) == 0  # nothing of February yet
    # Down from 30 January to 3 February: the reminders of the 2nd and 3rd were missed.
    assert run_reminders(engine, at(date(2027, 2, 3))) == 1
    assert run_reminders(engine, at(date(2027, 2, 3), hour=15)) == 0
    assert run_reminders(engine, at(date(2027, 2, 11))) == 0  # after Tết: nothing more for February
    messages = telegram(engine, "5001")
    assert len(messages) == 1
    text = messages[0].payload["params"]["text"]
    assert "05/02/2027" in text and "2027-02" in text
    button = messages[0].payload["params"]["reply_markup"]["inline_keyboard"][0][0]
    assert button["callback_data"] == "rm|monthly_list|2027-02|done"
    assert len(button["callback_data"].encode()) <= 64
    with Session(engine) as session:
        hooks = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "webhook")).all()
    assert [(h.payload["event"], h.payload["send_on"]) for h in hooks] == [("reminder.due", "2027-02-03")]
    # The escalation day itself: the coordinator hears once, naming the late account.
    assert run_reminders(engine, at(date(2027, 2, 12))) == 1
    assert run_reminders(engine, at(date(2027, 2, 12))) == 0
    escalation = telegram(engine, "9001")
    assert len(escalation) == 1 and "CA phường 1" in escalation[0].payload["params"]["text"]
    # Down again for longer than the catch-up window (7 days): March's reminders are not sent late.
    assert run_reminders(engine, at(date(2027, 3, 20))) == 0
    assert [r.send_on for r in sent_rows(engine, police)] == [date(2027, 2, 3)]
    assert [r.send_on for r in sent_rows(engine, coordinator)] == [date(2027, 2, 12)]


def test_done_stops_reminders_and_escalation_for_that_period_only(engine: Engine) -> None:
    early = make_account(engine, Role.COMMUNE_POLICE, "CA xã Sớm", "5001", COMMUNES[0])
    late = make_account(engine, Role.COMMUNE_POLICE, "CA xã Muộn", "5002", COMMUNES[1])
    make_account(engine, Role.COORDINATOR, "PC10", "9001")
    run_reminders(engine, at(date(2027, 2, 2)))  # both get the "3 days before" reminder
    mark(engine, "monthly_list", "2027-02", early)
    for day in (date(2027, 2, 3), date(2027, 2, 5), date(2027, 2, 12)):
        run_reminders(engine, at(day))
    assert [r.send_on for r in sent_rows(engine, early)] == [date(2027, 2, 2)]
    assert [r.send_on for r in sent_rows(engine, late)] == [date(2027, 2, 2), date(2027, 2, 3)]
    escalation = telegram(engine, "9001")[0].payload["params"]["text"]
    assert "CA xã Muộn" in escalation and "CA xã Sớm" not in escalation
    # March: both mark done before the day; no reminders after that, and no escalation at all.
    run_reminders(engine, at(date(2027, 3, 2)))
    mark(engine, "monthly_list", "2027-03", early)
    mark(engine, "monthly_list", "2027-03", late)
    for day in (date(2027, 3, 4), date(2027, 3, 5), date(2027, 3, 9)):
        run_reminders(engine, at(day))
    assert len(telegram(engine, "9001")) == 1  # still only February's
    # April is another period: reminders start again.
    run_reminders(engine, at(date(2027, 4, 2)))
    assert sent_rows(engine, early)[-1].period == "2027-04"


def test_reminders_wait_for_the_send_hour_in_local_time(engine: Engine) -> None:
    make_account(engine, Role.COMMUNE_POLICE, "CA phường 1", "5001", COMMUNES[0])
    assert run_reminders(engine, at(date(2027, 2, 2), hour=7)) == 0  # 07:00 in Vietnam
    assert run_reminders(engine, at(date(2027, 2, 2), hour=8)) == 1


def test_escalation_names_at_most_twenty_late_accounts(engine: Engine) -> None:
    for n in range(22):
        make_account(engine, Role.COMMUNE_POLICE, f"CA số {n:02d}", None, COMMUNES[n])
    make_account(engine, Role.COORDINATOR, "PC10", "9001")
    run_reminders(engine, at(date(2027, 2, 12)))
    [message] = telegram(engine, "9001")
    text = message.payload["params"]["text"]
    assert text.startswith("Quá hạn: Công an cấp xã chưa báo hoàn thành")
    assert "CA số 19" in text and "CA số 20" not in text
    assert "và 2 đơn vị khác" in text
