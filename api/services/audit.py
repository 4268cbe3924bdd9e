"""The audit log: every read of a lead's personal data, by whom and when."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import insert
from sqlmodel import Session

from api.actor import Actor
from api.models import AuditEntry, utcnow

_INSERT = insert(AuditEntry.__table__)  # type: ignore[attr-defined]


def record_reads(session: Session, actor: Actor, action: str, lead_ids: Iterable[str]) -> None:
    # No ORM objects: a page of 500 leads is 500 entries.
    now = utcnow()
    # For a linked chat: the officer read, through the bot (`via`); the entry names both.
    via = actor.via.id if actor.via is not None else None
    entries = [
        {"at": now, "account_id": actor.id, "via_account_id": via, "action": action, "lead_id": lead_id}
        for lead_id in lead_ids
    ]
    if entries:
        # A Core insert of the table, not the ORM's bulk path: its SQL is compiled once and cached,
        # which is most of an audited read's own cost under a burst.
        session.connection().execute(_INSERT, entries)
    session.commit()
