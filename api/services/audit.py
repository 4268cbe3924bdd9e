"""The audit log: every read of a lead's personal data, by whom and when."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import insert
from sqlmodel import Session

from api.actor import Actor
from api.models import AuditEntry, utcnow


def record_reads(session: Session, actor: Actor, action: str, lead_ids: Iterable[str]) -> None:
    # One multi-row insert, no ORM objects: a page of 500 leads is 500 entries.
    now = utcnow()
    # For a linked chat: the officer read, through the bot (`via`); the entry names both.
    via = actor.via.id if actor.via is not None else None
    entries = [
        {"at": now, "account_id": actor.id, "via_account_id": via, "action": action, "lead_id": lead_id}
        for lead_id in lead_ids
    ]
    if entries:
        session.execute(insert(AuditEntry), entries)
    session.commit()
