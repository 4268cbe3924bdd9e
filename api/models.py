"""Database tables (SQLModel). Alembic migrations in `api/migrations/versions` create them.

Times are timezone-aware UTC (`utcnow()`); SQLModel stores them as UTC on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class ServiceMeta(SQLModel, table=True):
    """Small key/value facts about this installation (e.g. the content version last served)."""

    __tablename__ = "service_meta"

    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(max_length=1024)


class Account(SQLModel, table=True):
    """Who calls the API: the bot (intake), officers, bank staff, agencies, the coordinator."""

    __tablename__ = "account"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    role: str = Field(max_length=32, index=True)
    agency_kind: str | None = Field(default=None, max_length=64)
    token_hash: str = Field(max_length=64, unique=True)
    token_hint: str = Field(max_length=12)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    revoked_at: datetime | None = None
    telegram_chat_id: str | None = Field(default=None, max_length=32, index=True)
    link_code_hash: str | None = Field(default=None, max_length=64, index=True)
    link_code_expires_at: datetime | None = None
    lang: str = Field(default="vi", max_length=8)


class AccountCommune(SQLModel, table=True):
    """The communes an account serves (one for commune police, several for a bank office)."""

    __tablename__ = "account_commune"

    account_id: int = Field(foreign_key="account.id", primary_key=True, ondelete="CASCADE")
    commune_code: str = Field(primary_key=True, max_length=8, index=True)


class Lead(SQLModel, table=True):
    """A referral: what a person answered, their consent, and how to reach them."""

    __tablename__ = "lead"
    # The console's inbox and referral page (migration 0012): a commune's queues by status and age,
    # its pages by last change; the coordinator's escalated and the bank's listed referrals through
    # small partial indexes; the same phone's other referrals. Each index holds every column the
    # inbox's counts and page ids name (a partial one its condition's column too: SQLite reads an
    # index alone only then), so those never read the table's wide rows (answers, screening);
    # the name too, so a search by name in the reader's referrals reads only the index. The two
    # partial conditions (escalated_at / listed_at IS NOT NULL) live in the migration only: a
    # dialect's keyword here (postgresql_where) would load that dialect, 2 MB in every process.
    __table_args__ = (
        Index(
            "ix_lead_commune_status_created",
            "commune_code",
            "status",
            "created_at",
            "escalated_at",
            "contact_name",
            "id",
        ),
        Index("ix_lead_commune_status_updated", "commune_code", "status", "updated_at", "id"),
        Index(
            "ix_lead_escalated_status",
            "status",
            "created_at",
            "updated_at",
            "escalated_at",
            "contact_name",
            "id",
        ),
        Index(
            "ix_lead_listed_commune_status",
            "commune_code",
            "status",
            "created_at",
            "updated_at",
            "consent_bank",
            "listed_at",
            "escalated_at",
            "contact_name",
            "id",
        ),
        Index("ix_lead_contact_phone", "contact_phone", "created_at"),
    )

    id: str = Field(primary_key=True, max_length=32)
    reference: str = Field(max_length=16, unique=True)
    status: str = Field(max_length=16, index=True)
    applicant: str = Field(max_length=16)
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    screening: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    outcome: str = Field(max_length=24)
    commune_code: str = Field(max_length=8, index=True)
    contact_name: str | None = Field(default=None, max_length=200)
    contact_phone: str | None = Field(default=None, max_length=16)
    contact_extra: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    consent_police: bool
    consent_bank: bool
    consent_text_version: str = Field(max_length=64)
    consent_at: datetime = Field(default_factory=utcnow)
    # Sent by a family member (0014_on_behalf): the person's agreement is confirmed on the first call.
    on_behalf: bool = Field(default=False)
    consent_pending: bool = Field(default=False)
    channel: str = Field(max_length=16)
    channel_user: str | None = Field(default=None, max_length=64, index=True)
    lang: str = Field(default="vi", max_length=8)
    idempotency_key: str = Field(max_length=128, unique=True)
    created_by: int | None = Field(default=None, foreign_key="account.id")
    created_at: datetime = Field(default_factory=utcnow, index=True)
    updated_at: datetime = Field(default_factory=utcnow)
    # When the commune that has it now got it: its sending, or its last transfer. The commune's
    # working days to receive it count from here (NULL only in rows written before 0015: see
    # `leads.assigned_or_sent`).
    assigned_at: datetime | None = None
    received_at: datetime | None = None
    listed_at: datetime | None = None
    closed_at: datetime | None = Field(default=None, index=True)
    escalated_at: datetime | None = None
    anonymised_at: datetime | None = None
    decline_reason: str | None = Field(default=None, max_length=32)
    # The bank's decisions (issue 15): amounts in đồng, the day the money was paid out.
    approved_amount: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    disbursed_amount: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    disbursed_on: date | None = None


class LeadEvent(SQLModel, table=True):
    """One step in a lead's life: who moved it, when, why."""

    __tablename__ = "lead_event"

    id: int | None = Field(default=None, primary_key=True)
    lead_id: str = Field(foreign_key="lead.id", index=True, max_length=32, ondelete="CASCADE")
    at: datetime = Field(default_factory=utcnow)
    actor_account_id: int | None = Field(default=None, foreign_key="account.id")
    from_status: str | None = Field(default=None, max_length=16)
    to_status: str = Field(max_length=16)
    reason: str | None = Field(default=None, max_length=32)
    note: str | None = Field(default=None, max_length=1000)
    # What a step carries beyond its status: an amount, a date, the communes of a transfer.
    details: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


class LeadChannel(SQLModel, table=True):
    """Another way to reach the person of a referral (assisted intake, issue 19): an officer made
    the referral for them in the console, and they later came to the bot (an intake account) and
    gave the same phone. The bot then finds it as theirs ("hồ sơ của tui") instead of a second one."""

    __tablename__ = "lead_channel"
    __table_args__ = (
        UniqueConstraint("lead_id", "account_id", "channel", "channel_user", name="uq_lead_channel"),
        Index("ix_lead_channel_account_user", "account_id", "channel", "channel_user"),
    )

    id: int | None = Field(default=None, primary_key=True)
    lead_id: str = Field(foreign_key="lead.id", index=True, max_length=32, ondelete="CASCADE")
    account_id: int = Field(foreign_key="account.id")
    channel: str = Field(max_length=16)
    channel_user: str | None = Field(default=None, max_length=64)  # None once anonymised
    linked_at: datetime = Field(default_factory=utcnow)


class OutboxMessage(SQLModel, table=True):
    """A delivery to be made (Telegram message or signed webhook), retried until it succeeds."""

    __tablename__ = "outbox"
    __table_args__ = (UniqueConstraint("dedupe_key", name="uq_outbox_dedupe_key"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)  # "telegram" | "webhook"
    target: str = Field(max_length=500)  # chat id, or webhook id
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    dedupe_key: str = Field(max_length=200)
    purpose: str = Field(max_length=32)  # "lead_new", "status_update", "reminder", ...
    status: str = Field(default="pending", max_length=16, index=True)  # pending | sent | dead
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, index=True)
    claimed_until: datetime | None = None
    last_error: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = None


class Webhook(SQLModel, table=True):
    """An agency system's URL that receives lead events, signed with HMAC-SHA256."""

    __tablename__ = "webhook"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True, ondelete="CASCADE")
    url: str = Field(max_length=500)
    secret: str = Field(max_length=128)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)


class AuditEntry(SQLModel, table=True):
    """Every read of personal data: who, which lead, when, how; and every account created or
    revoked: who, which account, when, how (`details`, never a secret)."""

    __tablename__ = "audit"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    account_id: int | None = Field(default=None, foreign_key="account.id", index=True)
    action: str = Field(max_length=32)
    lead_id: str | None = Field(default=None, max_length=32, index=True)
    # The intake account (the bot) through which `account_id` read, when it acted for a linked chat.
    via_account_id: int | None = Field(default=None, foreign_key="account.id")
    # The account an account entry is about (created, revoked). No foreign key: a plain ADD COLUMN
    # (no rebuild of a large table on SQLite), and accounts are revoked, never deleted.
    subject_account_id: int | None = Field(default=None, index=True)
    # For account entries: how it was done ("api", "console", "import", "cli", "serve") and the role.
    details: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


class Conversation(SQLModel, table=True):
    """Where one person's chat stands (dialogue state), so a restart or another worker continues it.

    `version` makes writes safe with several workers: a write with a stale version is refused.
    Each intake account (front door) has its own conversations: `account_id`."""

    __tablename__ = "conversation"
    __table_args__ = (
        UniqueConstraint("account_id", "channel", "channel_user", name="uq_conversation_account_user"),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int | None = Field(default=None, foreign_key="account.id", ondelete="CASCADE")
    channel: str = Field(max_length=16)
    channel_user: str = Field(max_length=64)
    state: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    version: int = 0
    updated_at: datetime = Field(default_factory=utcnow, index=True)


class ReminderSent(SQLModel, table=True):
    """One agency reminder handed to the outbox for one account. The unique key is what makes a
    reminder go out exactly once, however many schedulers run: the row and its outbox rows are
    written in one transaction, and a second insert of the same key fails."""

    __tablename__ = "reminder_sent"
    __table_args__ = (
        UniqueConstraint("deadline_id", "period", "kind", "send_on", "account_id", name="uq_reminder_sent"),
    )

    id: int | None = Field(default=None, primary_key=True)
    deadline_id: str = Field(max_length=64)
    period: str = Field(max_length=16)
    kind: str = Field(max_length=16)  # before | due | escalation
    send_on: date = Field(index=True)
    account_id: int = Field(foreign_key="account.id", index=True, ondelete="CASCADE")
    sent_at: datetime = Field(default_factory=utcnow)


class ObligationDone(SQLModel, table=True):
    """An account marked one period of an obligation done: no more reminders, no escalation."""

    __tablename__ = "obligation_done"
    __table_args__ = (UniqueConstraint("deadline_id", "period", "account_id", name="uq_obligation_done"),)

    id: int | None = Field(default=None, primary_key=True)
    deadline_id: str = Field(max_length=64)
    period: str = Field(max_length=16, index=True)
    account_id: int = Field(foreign_key="account.id", index=True, ondelete="CASCADE")
    done_at: datetime = Field(default_factory=utcnow)
    # Who pressed it: the account itself, the bot acting for its chat, or an admin/coordinator.
    by_account_id: int | None = Field(default=None, foreign_key="account.id")


class Followup(SQLModel, table=True):
    """A person asked to be reminded on a day (e.g. after their release date): sent once, discreetly."""

    __tablename__ = "followup"
    __table_args__ = (
        UniqueConstraint(
            "account_id", "channel", "channel_user", "kind", name="uq_followup_account_user_kind"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    # The intake account the person asked through: only it may move or cancel the follow-up.
    account_id: int | None = Field(default=None, foreign_key="account.id", ondelete="CASCADE")
    channel: str = Field(max_length=16)
    channel_user: str = Field(max_length=64)
    kind: str = Field(max_length=32)
    remind_on: date = Field(index=True)
    lang: str = Field(default="vi", max_length=8)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = Field(default=None, index=True)


class LinkAttempt(SQLModel, table=True):
    """A wrong link code sent for a chat: counted per chat, per calling account and overall to
    throttle guessing (api/services/link_throttle.py); in the database so every process sees it."""

    __tablename__ = "link_attempt"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    account_id: int | None = Field(default=None)
    chat_id: str = Field(max_length=32)


class LoginLink(SQLModel, table=True):
    """A one-time sign-in link for the staff console: valid briefly, usable once, stored hashed."""

    __tablename__ = "login_link"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: datetime | None = None


class ConsoleSession(SQLModel, table=True):
    """A signed-in browser of the staff console (the cookie holds the token; only its hash is here).
    `csrf_token` is the per-session token every console form carries."""

    __tablename__ = "console_session"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True)
    csrf_token: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
    ended_at: datetime | None = None


class LeadNote(SQLModel, table=True):
    """An officer's note on a referral, or a record that its monthly-list fields were edited
    (`kind` "details": names the fields changed, never their values). Shown in the timeline."""

    __tablename__ = "lead_note"

    id: int | None = Field(default=None, primary_key=True)
    lead_id: str = Field(foreign_key="lead.id", index=True, max_length=32, ondelete="CASCADE")
    at: datetime = Field(default_factory=utcnow)
    account_id: int | None = Field(default=None, foreign_key="account.id")
    kind: str = Field(default="note", max_length=16)
    text: str | None = Field(default=None, max_length=2000)


class AccountImport(SQLModel, table=True):
    """A bulk import of accounts waiting for the admin's confirmation: the file's rows as read,
    kept on the server and bound to the console session that uploaded them (never round-tripped
    through the page). No secret is stored: tokens and link codes exist only once confirmed, and
    are shown then, once."""

    __tablename__ = "account_import"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=32, unique=True)  # in the preview's URL
    session_id: int = Field(foreign_key="console_session.id", index=True, ondelete="CASCADE")
    file_name: str = Field(max_length=200)
    rows: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    confirmed_at: datetime | None = None


class MonthlyListScan(SQLModel, table=True):
    """The signed and stamped paper list (UBND xã's confirmation), scanned: PDF, JPEG or PNG."""

    __tablename__ = "monthly_list_scan"

    id: int | None = Field(default=None, primary_key=True)
    commune_code: str = Field(max_length=8, index=True)
    uploaded_by: int | None = Field(default=None, foreign_key="account.id")
    uploaded_at: datetime = Field(default_factory=utcnow)
    file_name: str = Field(max_length=200)
    content_type: str = Field(max_length=32)
    size: int
    sha256: str = Field(max_length=64)
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class MonthlyList(SQLModel, table=True):
    """One sent version of a commune's monthly list (Mẫu số 01) for a period: frozen rows, who sent
    it, the UBND confirmation if any, and for a correction what changed and why. Never updated."""

    __tablename__ = "monthly_list"
    __table_args__ = (UniqueConstraint("commune_code", "period", "version", name="uq_monthly_list_version"),)

    id: int | None = Field(default=None, primary_key=True)
    commune_code: str = Field(max_length=8, index=True)
    period: str = Field(max_length=7)  # YYYY-MM: the list the reminder due on the 5th of it asks for
    version: int
    sent_at: datetime = Field(default_factory=utcnow)
    sent_by: int | None = Field(default=None, foreign_key="account.id")
    sent_by_name: str = Field(max_length=200)
    addressee: str = Field(max_length=300)  # the NHCSXH office serving the commune, at send time
    rows: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    people: int
    confirmed_by: str | None = Field(default=None, max_length=200)
    confirmed_on: date | None = None
    scan_id: int | None = Field(default=None, foreign_key="monthly_list_scan.id")
    changes: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    change_note: str | None = Field(default=None, max_length=1000)
