"""What the admin sees of the service's running: deliveries that keep failing (and their retry),
and the audit log. One implementation for the API (`/api/v1/admin`) and the console's pages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, func, select

from api.models import AuditEntry, OutboxMessage, utcnow

DELIVERY_STATUSES = ("dead", "pending", "sent")


class RetryRefused(Exception):
    """A delivery that cannot be retried: `status` is the HTTP status (404 unknown, 409 sent)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def deliveries(
    session: Session, status: str, limit: int, offset: int = 0
) -> tuple[Sequence[OutboxMessage], int]:
    where = col(OutboxMessage.status) == status
    total = session.exec(select(func.count()).select_from(OutboxMessage).where(where)).one()
    rows = session.exec(
        select(OutboxMessage).where(where).order_by(col(OutboxMessage.id).desc()).offset(offset).limit(limit)
    ).all()
    return rows, int(total)


def retry_delivery(session: Session, delivery_id: int, now: datetime | None = None) -> OutboxMessage:
    """Put a delivery back in the queue with a fresh count of attempts, due at once."""
    row = session.get(OutboxMessage, delivery_id)
    if row is None:
        raise RetryRefused(404, "no such delivery")
    if row.status == "sent":
        raise RetryRefused(409, "already delivered")
    row.status, row.attempts, row.next_attempt_at, row.claimed_until = "pending", 0, now or utcnow(), None
    session.add(row)
    session.commit()
    return row


@dataclass(frozen=True)
class AuditFilters:
    lead_id: str | None = None
    account_id: int | None = None
    action: str | None = None
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive

    def conditions(self) -> list[ColumnElement[bool]]:
        found: list[ColumnElement[bool]] = []
        if self.lead_id:
            found.append(col(AuditEntry.lead_id) == self.lead_id)
        if self.account_id:
            found.append(col(AuditEntry.account_id) == self.account_id)
        if self.action:
            found.append(col(AuditEntry.action) == self.action)
        if self.since:
            found.append(col(AuditEntry.at) >= self.since)
        if self.until:
            found.append(col(AuditEntry.at) < self.until)
        return found


def audit_entries(
    session: Session, filters: AuditFilters, offset: int, limit: int
) -> tuple[Sequence[AuditEntry], int]:
    conditions = filters.conditions()
    total = session.exec(select(func.count()).select_from(AuditEntry).where(*conditions)).one()
    rows = session.exec(
        select(AuditEntry).where(*conditions).order_by(col(AuditEntry.id).desc()).offset(offset).limit(limit)
    ).all()
    return rows, int(total)


def audit_actions(session: Session) -> list[str]:
    """The actions the log holds (a short list: reads, lists, exports, console reads and edits)."""
    return sorted(session.exec(select(AuditEntry.action).distinct()).all())
