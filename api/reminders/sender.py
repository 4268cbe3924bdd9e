"""Hand one reminder for one account to the outbox, exactly once.

The `reminder_sent` row and the outbox rows are written in one transaction. Its unique key
(deadline_id, period, kind, send_on, account_id) is the guarantee: when two schedulers race, the
second insert fails (PostgreSQL makes it wait for the first transaction, then reports the duplicate;
SQLite serialises writers), that transaction is rolled back, and nothing is queued twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from api.models import Account, ReminderSent
from api.outbox import store
from api.reminders.recipients import is_done
from content.deadlines import Reminder


@dataclass(frozen=True)
class Delivery:
    text: str
    buttons: list[list[dict[str, str]]] | None
    event: dict[str, Any]
    purpose: str


def sent_key(reminder: Reminder, account_id: int) -> tuple[str, str, str, str, int]:
    return (reminder.deadline_id, reminder.period, reminder.kind, reminder.send_on.isoformat(), account_id)


def dedupe_key(reminder: Reminder, account_id: int) -> str:
    return "reminder:{}:{}:{}:{}:acct{}".format(*sent_key(reminder, account_id))


def send_once(engine: Engine, reminder: Reminder, account: Account, delivery: Delivery) -> bool:
    """True when this call queued the reminder; False when it was already sent or is no longer needed."""
    assert account.id is not None
    with Session(engine) as session:
        # A body that marked the period done meanwhile gets nothing more (escalations check earlier).
        if reminder.kind != "escalation" and is_done(
            session, reminder.deadline_id, reminder.period, account.id
        ):
            return False
        session.add(
            ReminderSent(
                deadline_id=reminder.deadline_id,
                period=reminder.period,
                kind=reminder.kind,
                send_on=reminder.send_on,
                account_id=account.id,
            )
        )
        try:
            session.flush()
        except IntegrityError:
            session.rollback()
            return False
        key = dedupe_key(reminder, account.id)
        if account.telegram_chat_id:
            store.telegram_message(
                session,
                chat_id=account.telegram_chat_id,
                text=delivery.text,
                dedupe_key=key,
                purpose=delivery.purpose,
                buttons=delivery.buttons,
            )
        store.webhook_event(session, account_ids=[account.id], event=delivery.event, dedupe_key=key)
        try:
            session.commit()
        except IntegrityError:  # the other scheduler committed the same key first
            session.rollback()
            return False
    return True
