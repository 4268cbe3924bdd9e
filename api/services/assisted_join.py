"""Joining later (assisted intake, issue 19): a person for whom an officer made a referral in the
console (channel "assisted") later writes to the bot and, in the referral flow, gives the same
phone. The bot's `POST /leads` then answers with that open referral instead of making a second one,
and the bot's channel user is linked to it (`lead_channel`), so "hồ sơ của tui" finds it and
erasure reaches it. The link is recorded in the referral's history."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, insert
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from api.models import Lead, LeadChannel, LeadEvent, utcnow
from api.services.leads import NewLead, _as_stored

ASSISTED = "assisted"
JOINED = "joined"  # the reason of the history entry
# Off: a phone number is no proof of who writes (security review, 2026-12-01). `join` stays for the
# day the paper form carries a one-time code the person types in the chat.
JOIN_BY_PHONE = False

_LEAD = Lead.__table__  # type: ignore[attr-defined]
_LINK = LeadChannel.__table__  # type: ignore[attr-defined]
_EVENT = LeadEvent.__table__  # type: ignore[attr-defined]


class JoinedAssisted(Exception):  # an answer, not a failure (as AccountRevoked)
    """The person's referral already exists, made for them in the console: answer with it."""

    def __init__(self, lead: Lead) -> None:
        super().__init__(lead.id)
        self.lead = lead


def join(conn: Connection, items: Sequence[NewLead]) -> dict[int, Lead]:
    """For each item (by its index) that is a person's referral whose phone has an open assisted
    referral: link the item's channel user to that referral (once) and answer with it. Commits
    what it writes; writes nothing, and costs one indexed query, when no phone matches."""
    persons = {i: item for i, item in enumerate(items) if item.body.applicant == "person"}
    if not persons:
        return {}
    found = _open_assisted(conn, {item.body.contact.phone for item in persons.values()})
    if not found:
        return {}
    # A retry of a referral the bot already stored is answered with that lead (idempotency), not joined.
    keys = [item.body.idempotency_key for item in persons.values() if item.body.contact.phone in found]
    taken = set(
        conn.execute(sa_select(_LEAD.c.idempotency_key).where(_LEAD.c.idempotency_key.in_(keys))).scalars()
    )
    chosen = {
        i: found[item.body.contact.phone]
        for i, item in persons.items()
        if item.body.contact.phone in found and item.body.idempotency_key not in taken
    }
    if not chosen:
        return {}
    for attempt in range(2):
        try:
            now = utcnow()
            for i, lead in chosen.items():
                _link(conn, items[i], lead, now)
            conn.commit()
            break
        except IntegrityError:
            # Another process linked the same user a moment ago: the second round finds its link.
            conn.rollback()
            if attempt:
                raise
    return chosen


def _open_assisted(conn: Connection, phones: set[str]) -> dict[str, Lead]:
    """The latest open, not anonymised assisted referral of each phone."""
    rows = conn.execute(
        sa_select(_LEAD)
        .where(
            _LEAD.c.contact_phone.in_(sorted(phones)),
            _LEAD.c.channel == ASSISTED,
            _LEAD.c.closed_at.is_(None),
            _LEAD.c.anonymised_at.is_(None),
        )
        .order_by(_LEAD.c.created_at)
    ).mappings()
    return {row["contact_phone"]: _as_stored(dict(row)) for row in rows}


def _link(conn: Connection, item: NewLead, lead: Lead, now: datetime) -> None:
    body = item.body
    same = and_(
        _LINK.c.lead_id == lead.id,
        _LINK.c.account_id == item.actor.id,
        _LINK.c.channel == body.channel,
        _LINK.c.channel_user == body.channel_user,
    )
    if conn.execute(sa_select(_LINK.c.id).where(same)).first() is not None:
        return  # the same person again (another referral flow): already linked, already recorded
    conn.execute(
        insert(_LINK),
        {
            "lead_id": lead.id,
            "account_id": item.actor.id,
            "channel": body.channel,
            "channel_user": body.channel_user,
            "linked_at": now,
        },
    )
    conn.execute(
        insert(_EVENT),
        {
            "lead_id": lead.id,
            "at": now,
            "actor_account_id": item.actor.id,
            "from_status": lead.status,
            "to_status": lead.status,
            "reason": JOINED,
            "note": f"Người được giới thiệu đã tự nhắn Bước Mới qua {body.channel} với cùng số điện thoại",
            # What the person said in the chat, for the officer (the paper consent stays the one
            # that counts until the officer speaks with them).
            "details": {
                "channel": body.channel,
                "commune_code": body.commune_code,
                "bank": body.consent.bank,
            },
        },
    )


def linked_lead_ids(conn: Connection, account_id: int, channel: str, channel_user: str) -> list[str]:
    rows = conn.execute(
        sa_select(_LINK.c.lead_id).where(
            _LINK.c.account_id == account_id, _LINK.c.channel == channel, _LINK.c.channel_user == channel_user
        )
    )
    return [str(lead_id) for lead_id in rows.scalars()]
