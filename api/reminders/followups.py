"""People's follow-ups: store what a person asked for, and send each one once on its day, within
working hours (reminders.yaml `working_hours`; weekends included, as the person chose the day).

Sending claims the row with a conditional UPDATE (`sent_at` still empty) in the same transaction as
the outbox row, so two schedulers never both send it. The text is content data checked to be discreet.
"""

from __future__ import annotations

import logging
from datetime import date, datetime

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select, update

from api.models import Followup, utcnow
from api.outbox import store
from api.reminders.clock import in_working_hours, local_today
from content.catalog import get_content

log = logging.getLogger(__name__)

CHANNELS = ("telegram",)  # the channels the outbox can reach a person on


def upsert(
    session: Session,
    *,
    account_id: int,
    channel: str,
    channel_user: str,
    kind: str,
    remind_on: date,
    lang: str,
) -> tuple[Followup, bool]:
    """Create the follow-up, or move the existing one of that person and kind that this intake
    account made; (row, created). A new day makes it due again; the same day again changes
    nothing that was sent."""
    for _attempt in range(2):
        row = session.exec(
            select(Followup).where(
                Followup.account_id == account_id,
                Followup.channel == channel,
                Followup.channel_user == channel_user,
                Followup.kind == kind,
            )
        ).first()
        now = utcnow()
        if row is not None:
            if row.remind_on != remind_on:
                row.remind_on, row.sent_at = remind_on, None
            row.lang, row.updated_at = lang, now
            session.add(row)
            session.commit()
            return row, False
        row = Followup(
            account_id=account_id,
            channel=channel,
            channel_user=channel_user,
            kind=kind,
            remind_on=remind_on,
            lang=lang,
            created_at=now,
            updated_at=now,
        )
        session.add(row)
        try:
            session.commit()
        except IntegrityError:  # the same person and kind posted twice at once: update instead
            session.rollback()
            continue
        return row, True
    raise RuntimeError("follow-up upsert did not settle")


def forget(session: Session, account_id: int, channel: str, channel_user: str) -> int:
    """Delete the person's follow-ups made through this intake account, and their messages still
    waiting in the outbox (the caller commits)."""
    mine = (
        col(Followup.account_id) == account_id,
        col(Followup.channel) == channel,
        col(Followup.channel_user) == channel_user,
    )
    ids = list(session.exec(select(Followup.id).where(*mine)))
    store.forget_messages(session, [f"followup:{followup_id}:%" for followup_id in ids])
    result = session.exec(delete(Followup).where(*mine))
    return int(result.rowcount or 0)


def send_due_followups(engine: Engine, now: datetime | None = None) -> int:
    content = get_content()
    words = content.reminders
    moment = now or utcnow()
    # A person's day may be a weekend (they asked for it), but never a message in the night.
    if not in_working_hours(content.deadlines, words.working_hours, moment):
        return 0
    last_day = local_today(content.deadlines, moment)
    with Session(engine) as session:
        due_ids = session.exec(
            select(Followup.id).where(
                col(Followup.sent_at).is_(None),
                col(Followup.remind_on) <= last_day,
                col(Followup.channel).in_(CHANNELS),
            )
        ).all()
    sent = 0
    for followup_id in due_ids:
        with Session(engine) as session:
            claimed = session.exec(
                update(Followup)
                .where(col(Followup.id) == followup_id, col(Followup.sent_at).is_(None))
                .values(sent_at=moment)
            )
            if claimed.rowcount != 1:
                session.rollback()
                continue
            row = session.get(Followup, followup_id)
            assert row is not None
            text = words.followups.get(row.kind)
            if text is None:  # a kind the content no longer has: nothing to say
                log.warning("follow-up kind without text", extra={"kind": row.kind})
            else:
                store.telegram_message(
                    session,
                    chat_id=row.channel_user,
                    text=text.get(row.lang),
                    dedupe_key=f"followup:{row.id}:{row.remind_on.isoformat()}",
                    purpose="followup",
                )
                sent += 1
            session.commit()
    return sent
