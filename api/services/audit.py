"""The audit log: every read of a lead's personal data, by whom and when; and every account created
or revoked, by whom, when and how (never its token or codes)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Literal

from sqlalchemy import insert
from sqlmodel import Session

from api.actor import Actor
from api.models import Account, AuditEntry, utcnow

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


ACCOUNT_CREATE = "account_create"
ACCOUNT_REVOKE = "account_revoke"
# How an account was changed: the admin API, the console's form or its bulk import, the command
# line on the server (no account signed in), or `serve` making the bot's own account.
AccountVia = Literal["api", "console", "import", "cli", "serve"]


def record_account(
    session: Session,
    by: Actor | None,
    action: str,
    subject: Account,
    via: AccountVia,
    now: datetime | None = None,
) -> None:
    """Add (not commit: it goes with the change itself) who did `action` to which account, how.
    `by` None: done on the server's command line. The role, not the name: a name may be a person's."""
    assert subject.id is not None
    session.add(
        AuditEntry(
            at=now or utcnow(),
            account_id=by.id if by is not None else None,
            action=action,
            subject_account_id=subject.id,
            details={"via": via, "role": subject.role},
        )
    )
