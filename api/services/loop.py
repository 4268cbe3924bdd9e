"""The loop closed (issue 15): the bank's decisions checked against the policy, a referral handed to
another commune when the person moved, and a reminder to the officers of an overdue referral.
The API and the console both call these (one implementation of the rules)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlmodel import Session, col, select

from api.actor import Actor
from api.lifecycle import TransitionError
from api.models import Account, AccountCommune, Lead, LeadEvent
from api.outbox import store
from api.reminders.clock import local_today
from api.roles import Role
from api.schemas import StatusChange
from api.services import notify
from api.wards import ward_name, ward_province
from content.catalog import get_content

# A referral may change commune until it is on a monthly list: from then on it belongs to a
# commune's list and to that commune's bank.
TRANSFERABLE = ("new", "received", "contacted")


@dataclass(frozen=True)
class Cap:
    amount: int  # đồng
    cap_id: str


def approval_cap(lead: Lead, today: date) -> Cap | None:
    """The most the bank may approve for this referral, from the content (Decision 22): the cap the
    screening found when it is per loan, else the largest per-loan cap for this kind of applicant
    in force (a training loan is capped per month of training: the total is the bank's call)."""
    caps = [c for c in get_content().screening.caps if c.applicant == lead.applicant and c.per == "loan"]
    caps = [c for c in caps if c.in_force(today)] or caps
    found = lead.screening.get("max_amount") if isinstance(lead.screening, dict) else None
    if isinstance(found, int) and lead.screening.get("max_amount_per") == "loan" and found > 0:
        return Cap(found, "screening")
    if not caps:
        return None
    best = max(caps, key=lambda c: c.amount)
    return Cap(best.amount, best.id)


def _approved_on(session: Session, lead: Lead) -> date | None:
    event = session.exec(
        select(LeadEvent)
        .where(LeadEvent.lead_id == lead.id, LeadEvent.to_status == "approved")
        .order_by(col(LeadEvent.at).desc())
    ).first()
    if event is None:
        return None
    return local_today(get_content().deadlines, _aware(event.at))


def check_decision(session: Session, lead: Lead, change: StatusChange, now: datetime) -> dict[str, object]:
    """Raise `TransitionError(422)` when an amount or date is missing or out of bounds; return the
    step's details to record."""
    today = local_today(get_content().deadlines, now)
    if change.status == "approved":
        if change.amount is None:
            raise TransitionError(422, "approved needs the amount (đồng)")
        cap = approval_cap(lead, today)
        if cap is not None and change.amount > cap.amount:
            raise TransitionError(422, f"amount: at most {cap.amount} đồng for this referral ({cap.cap_id})")
        if change.on_date is not None:
            raise TransitionError(422, "on_date: only for disbursed")
        return {"amount": change.amount}
    if change.status == "disbursed":
        if change.amount is None or change.on_date is None:
            raise TransitionError(422, "disbursed needs the amount (đồng) and on_date")
        if lead.approved_amount is not None and change.amount > lead.approved_amount:
            raise TransitionError(422, f"amount: more than the approved {lead.approved_amount} đồng")
        if change.on_date > today:
            raise TransitionError(422, "on_date: in the future")
        approved = _approved_on(session, lead)
        if approved is not None and change.on_date < approved:
            raise TransitionError(422, f"on_date: before the approval ({approved.isoformat()})")
        return {"amount": change.amount, "on_date": change.on_date.isoformat()}
    if change.amount is not None or change.on_date is not None:
        raise TransitionError(422, "amount and on_date: only for approved and disbursed")
    return {}


def apply_decision(lead: Lead, change: StatusChange) -> None:
    if change.status == "approved":
        lead.approved_amount = change.amount
    if change.status == "disbursed":
        lead.disbursed_amount = change.amount
        lead.disbursed_on = change.on_date


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; they are stored in UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


# --- transfer -----------------------------------------------------------------------------------


def may_transfer(actor: Actor, lead: Lead) -> bool:
    """The commune's officer, or the coordinator for an escalated referral (the scope already says
    the lead is theirs), while it is not yet on a list."""
    return (
        actor.role in (Role.COMMUNE_POLICE, Role.COORDINATOR)
        and lead.status in TRANSFERABLE
        and lead.anonymised_at is None
    )


def transfer(
    session: Session, actor: Actor, lead: Lead, to_commune: str, reason: str, province: int, now: datetime
) -> Lead:
    """Hand the referral to another commune of the province; its officers are told as of a new
    referral, the person discreetly; the old commune's officers lose it (the scope is the commune)."""
    if not may_transfer(actor, lead):
        raise TransitionError(
            403 if actor.role not in (Role.COMMUNE_POLICE, Role.COORDINATOR) else 409,
            f"a referral can change commune only while {', '.join(TRANSFERABLE)}",
        )
    if ward_province(to_commune) != province:
        raise TransitionError(422, "commune_code: not a commune of this province")
    if to_commune == lead.commune_code:
        raise TransitionError(422, "commune_code: the referral is already there")
    event = LeadEvent(
        lead_id=lead.id,
        at=now,
        actor_account_id=actor.id,
        from_status=lead.status,
        to_status=lead.status,
        reason="transferred",
        note=reason,
        details={"from_commune": lead.commune_code, "to_commune": to_commune},
    )
    lead.commune_code = to_commune
    lead.updated_at = now
    # The new commune has its own working days to receive it (and the old one's lateness is not
    # passed on to it): its clock starts now, and an escalation of the old commune's delay is
    # cleared (the coordinator no longer holds it; the job escalates again if the new commune is
    # late too). The timeline keeps the transfer (the event above).
    lead.assigned_at = now
    lead.escalated_at = None
    session.add(lead)
    session.add(event)
    session.flush()
    assert event.id is not None
    notify.transferred(session, lead, event.id)
    session.commit()
    session.refresh(lead)
    return lead


# --- overdue referrals and reminders ------------------------------------------------------------


def officers_of(session: Session, communes: set[str]) -> dict[str, list[Account]]:
    rows = session.exec(
        select(AccountCommune.commune_code, Account)
        .join(Account, col(Account.id) == col(AccountCommune.account_id))
        .where(
            col(AccountCommune.commune_code).in_(sorted(communes)),
            Account.active,
            Account.role == Role.COMMUNE_POLICE.value,
        )
        .order_by(col(Account.id))
    ).all()
    found: dict[str, list[Account]] = {}
    for code, account in rows:
        found.setdefault(code, []).append(account)
    return found


def remind(session: Session, actor: Actor, lead: Lead, now: datetime) -> int:
    """Queue a Telegram reminder to each linked officer of the referral's commune; record it in the
    timeline. Returns how many chats will get it (0: no officer has a linked chat)."""
    if actor.role is not Role.COORDINATOR:
        raise TransitionError(403, "only the coordinator reminds officers")
    words = get_content().leads
    commune = ward_name(lead.commune_code) or lead.commune_code
    officers = officers_of(session, {lead.commune_code}).get(lead.commune_code, [])
    event = LeadEvent(
        lead_id=lead.id,
        at=now,
        actor_account_id=actor.id,
        from_status=lead.status,
        to_status=lead.status,
        reason="reminded",
        details={"officers": [a.id for a in officers]},
    )
    session.add(event)
    session.flush()
    sent = 0
    for officer in officers:
        if officer.telegram_chat_id:
            store.telegram_message(
                session,
                chat_id=officer.telegram_chat_id,
                purpose="reminder_officer",
                text=words.officer_reminder.get(officer.lang).format(
                    reference=lead.reference, commune=commune
                ),
                dedupe_key=f"lead:{lead.id}:ev{event.id}:remind{officer.id}",
                buttons=notify.officer_buttons(lead, officer.lang),
            )
            sent += 1
    session.commit()
    return sent
