"""Retention: personal data of leads closed more than N months ago (content: deployment) is
anonymised; the counts that statistics and targets need stay."""

from __future__ import annotations

from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from sqlmodel import Session, col, delete, select

from api.models import Conversation, Lead, utcnow
from api.services.leads import anonymise
from content.catalog import get_content


def anonymise_expired(session: Session, now: datetime | None = None) -> int:
    months = get_content().deployment.retention_months
    cutoff = (now or utcnow()) - relativedelta(months=months)
    expired = session.exec(
        select(Lead).where(
            col(Lead.closed_at).is_not(None), col(Lead.closed_at) < cutoff, col(Lead.anonymised_at).is_(None)
        )
    ).all()
    for lead in expired:
        anonymise(session, lead)
    session.commit()
    return len(expired)


def forget_idle_conversations(session: Session, now: datetime | None = None) -> int:
    days = get_content().deployment.conversation_retention_days
    cutoff = (now or utcnow()) - timedelta(days=days)
    result = session.exec(delete(Conversation).where(col(Conversation.updated_at) < cutoff))
    session.commit()
    return int(result.rowcount or 0)
