"""Throttle guessing of link codes (`/canbo CODE`): attempts per chat, per calling account and
overall in a sliding window, kept in the database so every API process counts the same attempts.

Each attempt is written (and committed) before it is judged, then counted with every attempt the
window holds: of concurrent attempts the last to commit sees all the others, so no more than the
limit of attempts is ever let through. An attempt that is refused, or whose code was right, is
removed again: only wrong guesses count against the window.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, delete, select

from api.models import LinkAttempt, utcnow

WINDOW = timedelta(minutes=15)
PER_CHAT = 5  # wrong codes one chat may send in a window
PER_ACCOUNT = 20  # wrong codes one calling account (bot) may pass on, over all its chats
OVERALL = 40  # wrong codes in all, whoever sends them


@dataclass(frozen=True)
class Attempt:
    id: int
    wait_seconds: int  # 0: go ahead; otherwise refused, try again after this long


def attempt(session: Session, *, account_id: int, chat_id: str, now: datetime | None = None) -> Attempt:
    """Record one attempt and judge it. A refused attempt is already forgotten."""
    moment = now or utcnow()
    session.exec(delete(LinkAttempt).where(col(LinkAttempt.at) <= moment - WINDOW))
    row = LinkAttempt(at=moment, account_id=account_id, chat_id=chat_id)
    session.add(row)
    session.commit()
    assert row.id is not None
    wait = _wait_seconds(session, account_id, chat_id, moment)
    if wait:
        forget(session, row.id)
    return Attempt(row.id, wait)


def forget(session: Session, attempt_id: int) -> None:
    """The attempt does not count (its code was right, or it was refused)."""
    session.exec(delete(LinkAttempt).where(col(LinkAttempt.id) == attempt_id))
    session.commit()


def _wait_seconds(session: Session, account_id: int, chat_id: str, now: datetime) -> int:
    rows = session.exec(
        select(LinkAttempt.at, LinkAttempt.account_id, LinkAttempt.chat_id).where(
            col(LinkAttempt.at) > now - WINDOW
        )
    ).all()
    by_chat = [at for at, _account, chat in rows if chat == chat_id]
    by_account = [at for at, account, _chat in rows if account == account_id]
    overall = [at for at, _account, _chat in rows]
    return max(
        _wait(by_chat, PER_CHAT, now), _wait(by_account, PER_ACCOUNT, now), _wait(overall, OVERALL, now)
    )


def _wait(times: list[datetime], limit: int, now: datetime) -> int:
    """Over the limit: until the oldest attempt leaves the window (at least a second)."""
    if len(times) <= limit:
        return 0
    return max(1, math.ceil((min(times) + WINDOW - now).total_seconds()))
