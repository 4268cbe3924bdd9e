"""A lead nobody received within N working days is escalated to the provincial coordinator."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from api.models import Account, Lead, utcnow
from api.outbox import store
from api.roles import Role
from api.wards import ward_name
from content.catalog import get_content
from content.deadlines.workdays import WorkingCalendar

VIETNAM_UTC_OFFSET_HOURS = 7


def _local_date(moment: datetime) -> date:
    return (moment + timedelta(hours=VIETNAM_UTC_OFFSET_HOURS)).date()


def working_days_between(calendar: WorkingCalendar, start: date, end: date) -> int:
    """Working days after `start` up to and including `end`."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            count += 1
    return count


def escalate_unreceived(session: Session, now: datetime | None = None) -> int:
    """Queue one escalation per overdue lead (and mark it); returns how many were escalated."""
    content = get_content()
    limit = content.deployment.escalation_working_days
    calendar = content.deadlines.calendar
    moment = now or utcnow()
    today = _local_date(moment)
    overdue = [
        lead
        for lead in session.exec(
            select(Lead).where(Lead.status == "new", col(Lead.escalated_at).is_(None))
        ).all()
        if working_days_between(calendar, _local_date(lead.created_at), today) >= limit
    ]
    if not overdue:
        return 0
    coordinators = session.exec(
        select(Account).where(Account.active, Account.role == Role.COORDINATOR.value)
    ).all()
    for lead in overdue:
        commune = ward_name(lead.commune_code) or lead.commune_code
        for coordinator in coordinators:
            if coordinator.telegram_chat_id:
                text = content.leads.escalation.get(coordinator.lang).format(
                    reference=lead.reference, commune=commune, days=limit
                )
                store.telegram_message(
                    session,
                    chat_id=coordinator.telegram_chat_id,
                    text=text,
                    purpose="escalation",
                    dedupe_key=f"lead:{lead.id}:escalation:{coordinator.id}",
                )
        store.webhook_event(
            session,
            account_ids=[c.id for c in coordinators if c.id is not None],
            event={
                "event": "lead.escalated",
                "lead_id": lead.id,
                "reference": lead.reference,
                "status": lead.status,
                "commune_code": lead.commune_code,
            },
            dedupe_key=f"lead:{lead.id}:escalated",
        )
        lead.escalated_at = moment
        session.add(lead)
    session.commit()
    return len(overdue)
