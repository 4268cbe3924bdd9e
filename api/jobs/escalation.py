"""A lead nobody received within N working days is escalated to the provincial coordinator.

The message says how many working days have passed since the referral was sent, names the commune
police accounts of its commune (whose task it is) and carries the officer's "view" button
(`ld|<lead id>|view`), so the coordinator can open the referral in the bot, and a "remind the
officer" button (`ld|<lead id>|remind`). Like every scheduled
message it goes out only in working time (reminders.yaml `working_hours` on a working day); a lead
that became due at night or over a holiday is escalated at the next run in working time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session, col, select

from api.models import Account, Lead, utcnow
from api.outbox import store
from api.reminders.clock import in_working_time, local_today
from api.roles import Role
from api.services.leads import clock_start
from api.services.loop import officers_of
from api.wards import ward_name
from content.catalog import get_content
from content.deadlines.workdays import WorkingCalendar
from contract.buttons import lead_button


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
    book, words = content.deadlines, content.leads
    limit = content.deployment.escalation_working_days
    moment = now or utcnow()
    if not in_working_time(book, content.reminders.working_hours, moment):
        return 0
    today = local_today(book, moment)
    overdue: list[tuple[Lead, int]] = []
    for lead in session.exec(
        # A business's referral is the bank's (direct lending), not the commune officers' to receive.
        select(Lead).where(
            Lead.status == "new", col(Lead.escalated_at).is_(None), col(Lead.applicant) != "business"
        )
    ).all():
        days = working_days_between(book.calendar, local_today(book, _aware(clock_start(lead))), today)
        if days >= limit:
            overdue.append((lead, days))
    if not overdue:
        return 0
    coordinators = session.exec(
        select(Account).where(Account.active, Account.role == Role.COORDINATOR.value)
    ).all()
    officers = officers_of(session, {lead.commune_code for lead, _ in overdue})
    for lead, days in overdue:
        commune = ward_name(lead.commune_code) or lead.commune_code
        # One escalation per assignment: a referral transferred after an escalation starts clean
        # and, late again in its new commune, is escalated again (not taken for a duplicate).
        key = f"lead:{lead.id}:escalation" + _assignment(lead)
        names = ", ".join(a.name for a in officers.get(lead.commune_code, []))
        for coordinator in coordinators:
            if coordinator.telegram_chat_id:
                lang = coordinator.lang
                text = words.escalation.get(lang).format(
                    reference=lead.reference,
                    commune=commune,
                    days=days,
                    officers=names or words.escalation_no_officer.get(lang),
                )
                button = {
                    "text": words.escalation_view_button.get(lang),
                    "callback_data": lead_button(lead.id, "view"),
                }
                # "Remind the officer": the bot calls POST /leads/{id}/remind for this linked chat.
                remind = {
                    "text": words.escalation_remind_button.get(lang),
                    "callback_data": lead_button(lead.id, "remind"),
                }
                store.telegram_message(
                    session,
                    chat_id=coordinator.telegram_chat_id,
                    text=text,
                    purpose="escalation",
                    dedupe_key=f"{key}:{coordinator.id}",
                    buttons=[[button], [remind]],
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
                "working_days": days,
                "officer_account_ids": [a.id for a in officers.get(lead.commune_code, [])],
            },
            dedupe_key=f"lead:{lead.id}:escalated" + _assignment(lead),
        )
        lead.escalated_at = moment
        session.add(lead)
    session.commit()
    return len(overdue)


def _assignment(lead: Lead) -> str:
    """The empty string for a referral still in the commune it was sent to (the keys as they always
    were), else the moment it reached its present commune."""
    if lead.assigned_at is None or _aware(lead.assigned_at) == _aware(lead.created_at):
        return ""
    return ":" + _aware(lead.assigned_at).strftime("%Y%m%dT%H%M%S")


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; they are stored in UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
