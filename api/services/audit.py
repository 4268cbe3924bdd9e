"""The audit log: every read of a lead's personal data, by whom and when."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session

from api.actor import Actor
from api.models import AuditEntry, utcnow


def record_reads(session: Session, actor: Actor, action: str, lead_ids: Iterable[str]) -> None:
    now = utcnow()
    for lead_id in lead_ids:
        session.add(AuditEntry(at=now, account_id=actor.id, action=action, lead_id=lead_id))
    session.commit()
