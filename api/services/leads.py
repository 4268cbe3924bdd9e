"""Leads: create (idempotent), scope what each account sees, move through the lifecycle, erase."""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Insert, bindparam, insert
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, false, func, select

from api.actor import Actor
from api.lifecycle import CLOSED, check_transition, may_set_of, next_statuses
from api.models import Lead, LeadChannel, LeadEvent, LeadNote, utcnow
from api.outbox import store
from api.reminders import followups
from api.roles import Role
from api.schemas import ContactPublic, LeadCreate, LeadPublic, StatusChange
from api.services import conversations, loop, notify
from api.wards import ward_name
from content.catalog import get_content

BUSINESS = "business"
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_reference() -> str:
    return "BM-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


def scope(actor: Actor) -> ColumnElement[bool]:
    """The leads an account may see: its commune, its bank's communes (listed and consented),
    what it created (intake, intake officer), those escalated to it because nobody received them in time
    (coordinator), nothing (admin, agency). A business's lead goes to the bank at once (NHCSXH lends
    to it directly, with its consent) and never to the commune police (their list is for persons)."""
    role = actor.role
    if role is Role.COORDINATOR:
        return col(Lead.escalated_at).is_not(None)
    if role is Role.COMMUNE_POLICE:
        return col(Lead.commune_code).in_(actor.communes) & (col(Lead.applicant) != BUSINESS)
    if role is Role.BANK:
        return (
            col(Lead.commune_code).in_(actor.communes)
            & col(Lead.consent_bank)
            & (col(Lead.listed_at).is_not(None) | (col(Lead.applicant) == BUSINESS))
        )
    if role in (Role.INTAKE, Role.INTAKE_OFFICER):
        return col(Lead.created_by) == actor.id
    return false()


def find_by_key(session: Session, key: str) -> Lead | None:
    return session.exec(select(Lead).where(Lead.idempotency_key == key)).first()


@dataclass(frozen=True)
class NewLead:
    """One intake request, already validated and screened."""

    actor: Actor
    body: LeadCreate
    screening: dict[str, Any]


# Built once (intake's hot path): building a statement costs more than running it. A key already
# stored (a retry, or another process that won a race) is skipped by the insert, not an error.
_LEAD = Lead.__table__  # type: ignore[attr-defined]


@cache
def insert_new_leads(dialect: str) -> Insert:
    """`INSERT … ON CONFLICT (idempotency_key) DO NOTHING` in the database's own dialect (imported
    only when used: PostgreSQL's costs a SQLite deployment 2 MB). `preserve_rowcount`: psycopg's
    executemany count is otherwise gone by the time it is read."""
    statement: Insert
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        statement = pg_insert(_LEAD).on_conflict_do_nothing(index_elements=["idempotency_key"])
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        statement = sqlite_insert(_LEAD).on_conflict_do_nothing(index_elements=["idempotency_key"])
    return statement.execution_options(preserve_rowcount=True)


_KEYS_OF_IDS = sa_select(_LEAD.c.idempotency_key).where(_LEAD.c.id.in_(bindparam("ids", expanding=True)))
_INSERT_EVENTS = insert(LeadEvent.__table__)  # type: ignore[attr-defined]


def create_leads(
    conn: Connection, items: Sequence[NewLead], watchers: notify.Watchers | None = None
) -> list[tuple[Lead, bool]]:
    """Store new leads, their first history entries and their notifications in the caller's
    transaction (which commits), in the order given. A key already stored, even by a concurrent
    transaction, or repeated within `items`, answers with the first lead (created=False).
    Plain statements on a connection, no ORM session: this is the hot path of intake (see
    `LeadWriter`)."""
    now = utcnow()
    rows: dict[str, dict[str, Any]] = {}  # by idempotency key, first occurrence only
    for item in items:
        rows.setdefault(item.body.idempotency_key, _new_lead_row(item, now))
    # A plain executemany, not INSERT … RETURNING: the driver then reuses one short statement instead
    # of parsing a long multi-row one per batch. The row count says whether a key was skipped.
    written = conn.execute(insert_new_leads(conn.dialect.name), list(rows.values())).rowcount
    inserted = set(rows) if written == len(rows) else _inserted_keys(conn, rows)
    fresh = {key: _as_stored(row) for key, row in rows.items() if key in inserted}
    taken = set(rows) - inserted
    known = {lead.idempotency_key: lead for lead in _by_keys(conn, taken)} if taken else {}
    known.update(fresh)
    if fresh:
        conn.execute(
            _INSERT_EVENTS,
            [
                {"lead_id": lead.id, "at": now, "actor_account_id": lead.created_by, "to_status": "new"}
                for lead in fresh.values()
            ],
        )
        notify.leads_created(conn, list(fresh.values()), watchers)
    results: list[tuple[Lead, bool]] = []
    for item in items:
        key = item.body.idempotency_key
        results.append((known[key], fresh.pop(key, None) is not None))
    return results


def _inserted_keys(conn: Connection, rows: dict[str, dict[str, Any]]) -> set[str]:
    """Which of these rows this transaction inserted (their ids are new, so only ours match)."""
    ids = [row["id"] for row in rows.values()]
    return set(conn.execute(_KEYS_OF_IDS, {"ids": ids}).scalars())


def _as_stored(row: dict[str, Any]) -> Lead:
    """The Lead for a stored row (or one this transaction inserts), built the way the ORM builds a
    loaded row and then detached (it is never added to a session). `Lead(**row)` fires an event per
    attribute and costs ten times more, on intake's hot path."""
    lead: Lead = Lead._sa_class_manager.new_instance()  # type: ignore[attr-defined]
    lead.__dict__.update(row)
    make_transient_to_detached(lead)
    return lead


def _by_keys(conn: Connection, keys: set[str]) -> list[Lead]:
    rows = conn.execute(sa_select(_LEAD).where(_LEAD.c.idempotency_key.in_(keys))).mappings()
    return [_as_stored(dict(row)) for row in rows]


def _new_lead_row(item: NewLead, now: datetime) -> dict[str, Any]:
    body, contact = item.body, item.body.contact
    return {
        "id": secrets.token_hex(16),
        "reference": new_reference(),
        "status": "new",
        "applicant": body.applicant,
        "answers": body.answers,
        "screening": item.screening,
        "outcome": str(item.screening.get("outcome", "")),
        "commune_code": body.commune_code,
        "contact_name": contact.name,
        "contact_phone": contact.phone,
        "contact_extra": contact.model_dump(exclude={"name", "phone"}, exclude_none=True),
        "consent_police": body.consent.police,
        "consent_bank": body.consent.bank,
        "consent_text_version": body.consent.text_version,
        "consent_at": now,
        "on_behalf": body.consent.on_behalf,
        "consent_pending": body.consent.on_behalf,
        "channel": body.channel,
        "channel_user": body.channel_user,
        "lang": body.lang,
        "idempotency_key": body.idempotency_key,
        "created_by": item.actor.id,
        "created_at": now,
        "updated_at": now,
        "assigned_at": now,
        "received_at": None,
        "listed_at": None,
        "closed_at": None,
        "escalated_at": None,
        "anonymised_at": None,
        "decline_reason": None,
        "approved_amount": None,
        "disbursed_amount": None,
        "disbursed_on": None,
    }


# Where a commune's working days to receive a referral start: when it reached that commune.
assigned_or_sent = func.coalesce(col(Lead.assigned_at), col(Lead.created_at))


def clock_start(lead: Lead) -> datetime:
    return lead.assigned_at or lead.created_at


@dataclass(frozen=True)
class LeadFilters:
    """What a list of leads is narrowed to; `conditions` adds the reader's scope."""

    status: str | None = None
    commune_code: str | None = None
    channel_user: str | None = None

    def conditions(self, actor: Actor) -> list[Any]:
        conditions: list[Any] = [scope(actor)]
        if self.status:
            conditions.append(col(Lead.status) == self.status)
        if self.commune_code:
            conditions.append(col(Lead.commune_code) == self.commune_code)
        if self.channel_user:
            conditions.append(col(Lead.channel_user) == self.channel_user)
        return conditions


def count_leads(session: Session, actor: Actor, filters: LeadFilters) -> int:
    return int(session.exec(select(func.count()).select_from(Lead).where(*filters.conditions(actor))).one())


PAGE_BATCH = 50
# Up to this many rows a page is fetched whole: on PostgreSQL a streamed page (a server-side cursor)
# costs three more round trips (DECLARE, FETCH, CLOSE), the bulk of a small list's time under a burst.
STREAM_ABOVE = 100


def page_of_leads(
    session: Session, actor: Actor, filters: LeadFilters, *, offset: int, limit: int
) -> Iterator[Lead]:
    """The page's leads, newest first; a page of more than STREAM_ABOVE is fetched PAGE_BATCH at a
    time, so a caller that lets each one go keeps only a batch in memory. (The total is a query of
    its own: a window count would make the database hold every matching row before the first.)"""
    query = (
        select(Lead)
        .where(*filters.conditions(actor))
        .order_by(col(Lead.created_at).desc(), col(Lead.id))
        .offset(offset)
        .limit(limit)
    )
    if limit > STREAM_ABOVE:
        query = query.execution_options(yield_per=PAGE_BATCH)
    yield from session.exec(query)


def get_lead(session: Session, actor: Actor, lead_id: str) -> Lead | None:
    return session.exec(select(Lead).where(Lead.id == lead_id, scope(actor))).first()


def change_status(
    session: Session, actor: Actor, lead: Lead, change: StatusChange, now: datetime | None = None
) -> Lead:
    """Apply one lifecycle step (raises `TransitionError`), record who/when/why, notify. The bank's
    decisions carry an amount (and a payout day) checked against the policy (`loop`)."""
    reasons = get_content().leads.decline_reason_ids()
    check_transition(lead.status, change.status, actor.role, change.reason, reasons, lead.applicant)
    now = now or utcnow()
    details = loop.check_decision(session, lead, change, now)
    event = LeadEvent(
        lead_id=lead.id,
        at=now,
        actor_account_id=actor.id,
        from_status=lead.status,
        to_status=change.status,
        reason=change.reason,
        note=change.note,
        details=details or None,
    )
    loop.apply_decision(lead, change)
    lead.status = change.status
    lead.updated_at = now
    if change.status == "received":
        lead.received_at = now
    if change.status == "listed":
        lead.listed_at = now
    if change.status == "contacted" and lead.consent_pending:
        # Sent by a family member: the officer's first call asked the person, who agreed (else the
        # officer withdraws it). "contacted" comes before the list, so nothing reaches the list or
        # the bank without the person's own agreement.
        lead.consent_pending = False
    if change.status == "declined":
        lead.decline_reason = change.reason
    if change.status in CLOSED:
        lead.closed_at = now
    session.add(lead)
    session.add(event)
    session.flush()
    assert event.id is not None
    notify.status_changed(session, lead, event.id, actor.role)
    session.commit()
    session.refresh(lead)
    return lead


def events_of(session: Session, lead: Lead) -> list[LeadEvent]:
    return list(
        session.exec(
            select(LeadEvent)
            .where(LeadEvent.lead_id == lead.id)
            .order_by(col(LeadEvent.at), col(LeadEvent.id))
        ).all()
    )


def anonymise(session: Session, lead: Lead) -> None:
    """Remove everything that identifies the person or their past, including officers' notes in
    the history; keep status, commune, outcome and dates for statistics."""
    for event in session.exec(select(LeadEvent).where(LeadEvent.lead_id == lead.id)).all():
        event.note = None
        if event.reason == "paper_consent":  # who signed the paper consent (assisted intake)
            event.details = None
        session.add(event)
    for note in session.exec(select(LeadNote).where(LeadNote.lead_id == lead.id)).all():
        note.text = None
        session.add(note)
    for link in session.exec(select(LeadChannel).where(LeadChannel.lead_id == lead.id)).all():
        link.channel_user = None
        session.add(link)
    lead.contact_name = None
    lead.contact_phone = None
    lead.contact_extra = {}
    lead.channel_user = None
    lead.answers = {}
    lead.screening = {"outcome": lead.outcome}
    lead.anonymised_at = utcnow()
    session.add(lead)


def erase_person(session: Session, actor: Actor, channel: str, channel_user: str) -> int:
    """At the person's request: withdraw their open leads, anonymise all of them, cancel their
    follow-ups and the status updates not yet sent to them, and forget the conversation. Only what
    this intake account holds for the person: another front door's data is its own."""
    leads = list(
        session.exec(
            select(Lead).where(Lead.channel == channel, Lead.channel_user == channel_user, scope(actor))
        ).all()
    )
    # And a referral an officer made for them that they joined from this chat (assisted intake).
    leads += [lead for lead in linked_leads(session, actor, channel, channel_user) if lead not in leads]
    now = utcnow()
    for lead in leads:
        if lead.status not in CLOSED:
            session.add(
                LeadEvent(
                    lead_id=lead.id,
                    at=now,
                    actor_account_id=actor.id,
                    from_status=lead.status,
                    to_status="withdrawn",
                    reason="erased",
                )
            )
            lead.status = "withdrawn"
            lead.closed_at = now
        anonymise(session, lead)
        lead.updated_at = now
        session.add(lead)
    # Nothing more is sent to the person, and the bot keeps no state of the conversation.
    store.forget_messages(session, [f"lead:{lead.id}:%:person" for lead in leads])
    followups.forget(session, actor.id, channel, channel_user)
    conversations.forget(session, actor.id, channel, channel_user)
    session.commit()
    return len(leads)


def linked_leads(session: Session, actor: Actor, channel: str, channel_user: str) -> list[Lead]:
    """The referrals an officer made for this person (assisted intake) that the person joined from
    this intake account's chat, newest first."""
    joined = select(LeadChannel.lead_id).where(
        LeadChannel.account_id == actor.id,
        LeadChannel.channel == channel,
        LeadChannel.channel_user == channel_user,
    )
    return list(
        session.exec(select(Lead).where(col(Lead.id).in_(joined)).order_by(col(Lead.created_at).desc())).all()
    )


def to_public(lead: Lead, role: Role) -> LeadPublic:
    contact = None
    if lead.anonymised_at is None:
        extra = lead.contact_extra or {}
        contact = ContactPublic(
            name=lead.contact_name,
            phone=lead.contact_phone,
            birth_year=extra.get("birth_year"),
            gender=extra.get("gender"),
            address=extra.get("address"),
            representative=extra.get("representative"),
        )
    allowed = [s for s in next_statuses(lead.status, lead.applicant) if _may(role, lead.applicant, s)]
    return LeadPublic(
        id=lead.id,
        reference=lead.reference,
        status=lead.status,
        applicant=lead.applicant,
        commune_code=lead.commune_code,
        commune_name=ward_name(lead.commune_code),
        outcome=lead.outcome,
        screening=lead.screening,
        answers=lead.answers,
        contact=contact,
        consent={
            "police": lead.consent_police,
            "bank": lead.consent_bank,
            "text_version": lead.consent_text_version,
            "at": lead.consent_at.isoformat(),
        },
        channel=lead.channel,
        lang=lead.lang,
        next_statuses=allowed,
        decline_reason=lead.decline_reason,
        created_at=lead.created_at,
        updated_at=lead.updated_at,
        anonymised=lead.anonymised_at is not None,
        approved_amount=lead.approved_amount,
        disbursed_amount=lead.disbursed_amount,
        disbursed_on=lead.disbursed_on,
        on_behalf=bool(lead.on_behalf),
        consent_pending=bool(lead.consent_pending),
        assigned_at=clock_start(lead),
    )


def _may(role: Role, applicant: str, target: str) -> bool:
    return role in may_set_of(applicant).get(target, frozenset())
