"""The reminder scheduler inside `serve`: every run, send what is due and not yet sent.

A run in working time (a working day of the deadlines calendar, within reminders.yaml
`working_hours`, local time) plans the content's reminders for the catch-up window (today minus
`catch_up_days` up to today, in the deployment's time zone), keeps the ones due
now (`selection.due_reminders`) and, for every account the reminder is for, queues it through the
outbox exactly once (`sender.send_once`). Nothing about past runs is kept beyond `reminder_sent`, so a
restart, a gap of a few days or a second process changes nothing: each reminder goes out once. A
run outside working time sends nothing; the next run inside it catches up.

- `before` / `due`: to every active account of the role (and agency kind), except accounts that
  marked that period done.
- `escalation`: to the escalation role (the coordinator), one message per occurrence naming the
  accounts that have not marked it done; none when everybody is done (or no assignee has an account).
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from api.models import Account, ReminderSent, utcnow
from api.reminders import messages
from api.reminders.clock import Clock, in_working_time, local_today, system_clock
from api.reminders.followups import send_due_followups
from api.reminders.recipients import accounts_for, active_accounts, done_marks
from api.reminders.selection import due_reminders
from api.reminders.sender import Delivery, send_once, sent_key
from content.catalog import get_content
from content.deadlines import DeadlineBook, Reminder, plan
from content.reminders import RemindersContent

log = logging.getLogger(__name__)

RUN_INTERVAL_SECONDS = 60.0


@dataclass(frozen=True)
class _State:
    """What one run reads once: the accounts, who marked what done, what was already sent."""

    accounts: list[Account]
    done: set[tuple[str, str, int]]
    sent: set[tuple[str, str, str, str, int]]

    def wants(self, reminder: Reminder, account: Account) -> bool:
        assert account.id is not None
        return sent_key(reminder, account.id) not in self.sent

    def not_done(self, reminder: Reminder, accounts: list[Account]) -> list[Account]:
        return [a for a in accounts if (reminder.deadline_id, reminder.period, a.id) not in self.done]


def run_reminders(engine: Engine, now: datetime | None = None, base_url: str | None = None) -> int:
    """Queue every agency reminder due at `now` that is not queued yet; returns how many were queued.
    `base_url` (the console's address) lets a report's reminder link to its draft."""
    content = get_content()
    book, words = content.deadlines, content.reminders
    moment = now or utcnow()
    if not in_working_time(book, words.working_hours, moment):
        return 0
    last_day = local_today(book, moment)
    first_day = last_day - timedelta(days=words.catch_up_days)
    chosen = due_reminders(plan(book, first_day, last_day), last_day)
    if not chosen:
        return 0
    with Session(engine) as session:
        rows = session.exec(select(ReminderSent).where(col(ReminderSent.send_on) >= first_day)).all()
        state = _State(
            accounts=active_accounts(session),
            done=set(done_marks(session, {(r.deadline_id, r.period) for r in chosen})),
            sent={(r.deadline_id, r.period, r.kind, r.send_on.isoformat(), r.account_id) for r in rows},
        )
    queued = 0
    escalations: dict[tuple[str, str, str, str, str], list[Reminder]] = defaultdict(list)
    for reminder in chosen:
        if reminder.kind == "escalation":
            key = (
                reminder.deadline_id,
                reminder.period,
                reminder.send_on.isoformat(),
                reminder.role,
                reminder.agency_kind or "",
            )
            escalations[key].append(reminder)
        else:
            queued += _send_agency_reminder(engine, book, words, state, reminder, base_url)
    for group in escalations.values():
        queued += _send_escalation(engine, book, words, state, group)
    return queued


def _send_agency_reminder(
    engine: Engine,
    book: DeadlineBook,
    words: RemindersContent,
    state: _State,
    reminder: Reminder,
    base_url: str | None = None,
) -> int:
    queued = 0
    for account in state.not_done(
        reminder, accounts_for(state.accounts, reminder.role, reminder.agency_kind)
    ):
        if not state.wants(reminder, account):
            continue
        text = messages.agency_text(book, reminder, account.lang, words, base_url)
        delivery = Delivery(
            text=text,
            buttons=messages.done_buttons(words, reminder, account.lang),
            event=messages.agency_event(reminder, text),
            purpose="reminder",
        )
        queued += send_once(engine, reminder, account, delivery)
    return queued


def _send_escalation(
    engine: Engine, book: DeadlineBook, words: RemindersContent, state: _State, group: list[Reminder]
) -> int:
    """One message per coordinator for one occurrence, naming the late accounts of every assignee."""
    late: list[tuple[Reminder, list[Account]]] = []
    for reminder in group:
        assignees = accounts_for(state.accounts, reminder.about_role or "", reminder.about_agency_kind)
        behind = state.not_done(reminder, assignees)
        if behind:
            late.append((reminder, behind))
    if not late:
        return 0
    first = group[0]
    queued = 0
    for coordinator in accounts_for(state.accounts, first.role, first.agency_kind):
        if not state.wants(first, coordinator):
            continue
        delivery = Delivery(
            text=messages.escalation_text(book, words, late, coordinator.lang),
            buttons=None,
            event=messages.escalation_event(first, late),
            purpose="reminder_escalation",
        )
        queued += send_once(engine, first, coordinator, delivery)
    return queued


def run_all(engine: Engine, now: datetime | None = None, base_url: str | None = None) -> int:
    return run_reminders(engine, now, base_url) + send_due_followups(engine, now)


class ReminderScheduler:
    """An async step for the `serve` background loop: runs at start, then every `interval` seconds."""

    def __init__(
        self,
        engine: Engine,
        clock: Clock = system_clock,
        interval_seconds: float = RUN_INTERVAL_SECONDS,
        base_url: str | None = None,
    ) -> None:
        self.engine = engine
        self.base_url = base_url
        self.clock = clock
        self.interval = interval_seconds
        self.next_run: float | None = None

    async def step(self) -> int:
        loop = asyncio.get_running_loop()
        if self.next_run is not None and loop.time() < self.next_run:
            return 0
        self.next_run = loop.time() + self.interval
        queued = await asyncio.to_thread(run_all, self.engine, self.clock(), self.base_url)
        if queued:
            log.info("reminders queued", extra={"count": queued})
        return queued
