"""Who is done, late or pending for each occurrence of each obligation (the coordinator's view), and
marking a period done.

For one occurrence (a deadline and a period) every active account its assignees mean is `done` (it
marked the period done), `late` (the due date has passed, local time, and it has not), or `pending`
(not yet due). An assignee (role, agency kind) no active account stands for is listed as `missing`:
nobody receives that body's reminders.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from api.models import Account, ObligationDone, utcnow
from api.reminders.periods import Occurrence
from api.reminders.recipients import accounts_for, active_accounts, done_marks
from content.deadlines import DeadlineBook
from content.deadlines.schema import Assignee

AccountStatus = Literal["done", "late", "pending"]


@dataclass(frozen=True)
class AccountState:
    account: Account
    status: AccountStatus
    done_at: datetime | None


@dataclass(frozen=True)
class OccurrenceState:
    occurrence: Occurrence
    escalation_on: date
    accounts: list[AccountState]
    missing: list[Assignee]


def occurrence_states(
    session: Session, book: DeadlineBook, found: list[Occurrence], today: date
) -> list[OccurrenceState]:
    accounts = active_accounts(session)
    marks = done_marks(session, {(o.deadline.id, o.period) for o in found})
    states: list[OccurrenceState] = []
    for occurrence in found:
        deadline = occurrence.deadline
        rows: list[AccountState] = []
        missing: list[Assignee] = []
        for assignee in deadline.assignees:
            mine = accounts_for(accounts, assignee.role, assignee.agency_kind)
            if not mine:
                missing.append(assignee)
            for account in mine:
                assert account.id is not None
                mark = marks.get((deadline.id, occurrence.period, account.id))
                status: AccountStatus = (
                    "done" if mark is not None else ("late" if today > occurrence.due else "pending")
                )
                rows.append(AccountState(account, status, mark.done_at if mark else None))
        escalation_on = book.calendar.add_working_days(occurrence.due, deadline.escalation.after_working_days)
        states.append(OccurrenceState(occurrence, escalation_on, rows, missing))
    return states


def is_assignee(book: DeadlineBook, deadline_id: str, account: Account) -> bool:
    deadline = book.deadline(deadline_id)
    return any(accounts_for([account], a.role, a.agency_kind) for a in deadline.assignees)


def mark_done(
    session: Session, deadline_id: str, period: str, account: Account, by: Account
) -> tuple[ObligationDone, bool]:
    """Record the mark (once); returns (mark, created). A second mark keeps the first one's time."""
    assert account.id is not None
    existing = _mark(session, deadline_id, period, account.id)
    if existing is not None:
        return existing, False
    row = ObligationDone(
        deadline_id=deadline_id, period=period, account_id=account.id, done_at=utcnow(), by_account_id=by.id
    )
    session.add(row)
    try:
        session.commit()
    except IntegrityError:  # the same button pressed twice at once
        session.rollback()
        winner = _mark(session, deadline_id, period, account.id)
        assert winner is not None
        return winner, False
    return row, True


def _mark(session: Session, deadline_id: str, period: str, account_id: int) -> ObligationDone | None:
    return session.exec(
        select(ObligationDone).where(
            ObligationDone.deadline_id == deadline_id,
            ObligationDone.period == period,
            ObligationDone.account_id == account_id,
        )
    ).first()
