"""Console sign-in without passwords: one-time links (15 minutes, once) and server-side sessions.

Only hashes of link and session tokens are stored. A session ends after 8 idle hours, on sign-out,
and at once when its account is revoked (every lookup checks that the account is still active).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select, update

from api.models import Account, ConsoleSession, LoginLink, utcnow
from api.roles import Role
from api.security import hash_secret

LINK_VALIDITY = timedelta(minutes=15)
IDLE_EXPIRY = timedelta(hours=8)
# A session's last activity is written at most this often (not on every page view).
TOUCH_EVERY = timedelta(minutes=1)
LOGIN_PATH = "/console/login/"
# The bot signs in nobody: it is a front door for people, not a member of staff.
CONSOLE_ROLES = frozenset(
    {Role.COMMUNE_POLICE, Role.BANK, Role.COORDINATOR, Role.AGENCY, Role.ADMIN, Role.INTAKE_OFFICER}
)


class LoginRefused(Exception):
    """The link is unknown, used, expired, or its account may not sign in."""


def may_sign_in(account: Account) -> bool:
    return account.active and account.role in {r.value for r in CONSOLE_ROLES}


def issue_login_link(session: Session, account: Account, base_url: str, now: datetime | None = None) -> str:
    """A new one-time sign-in URL for `account` (the token is shown only in this URL)."""
    if not may_sign_in(account):
        raise LoginRefused(f"a {account.role} account does not sign in to the console")
    assert account.id is not None
    token = secrets.token_urlsafe(32)
    moment = now or utcnow()
    session.add(
        LoginLink(
            account_id=account.id,
            token_hash=hash_secret(token),
            created_at=moment,
            expires_at=moment + LINK_VALIDITY,
        )
    )
    session.commit()
    return f"{base_url.rstrip('/')}{LOGIN_PATH}{token}"


@dataclass(frozen=True)
class NewSession:
    token: str  # goes into the cookie, never stored
    row: ConsoleSession


def redeem_login_link(session: Session, token: str, now: datetime) -> NewSession:
    """Use the link once and open a session; raises `LoginRefused`. The update is conditional on
    the link being unused, so two browsers racing with one link get one session."""
    link = session.exec(select(LoginLink).where(LoginLink.token_hash == hash_secret(token))).first()
    if link is None or link.used_at is not None or link.expires_at <= now:
        raise LoginRefused("unknown, used or expired link")
    claimed = session.execute(
        update(LoginLink)
        .where(col(LoginLink.id) == link.id, col(LoginLink.used_at).is_(None))
        .values(used_at=now)
    )
    account = session.get(Account, link.account_id)
    if claimed.rowcount != 1 or account is None or not may_sign_in(account):  # type: ignore[attr-defined]
        session.rollback()
        raise LoginRefused("unknown, used or expired link")
    cookie = secrets.token_urlsafe(32)
    row = ConsoleSession(
        account_id=link.account_id,
        token_hash=hash_secret(cookie),
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        last_seen_at=now,
    )
    session.add(row)
    session.commit()
    session.refresh(row)
    return NewSession(cookie, row)


def current_session(session: Session, cookie: str, now: datetime) -> tuple[ConsoleSession, Account] | None:
    """The live session behind a cookie and its account, or None (ended, idle too long, revoked)."""
    found = session.exec(
        select(ConsoleSession, Account)
        .join(Account, col(Account.id) == col(ConsoleSession.account_id))
        .where(ConsoleSession.token_hash == hash_secret(cookie), col(ConsoleSession.ended_at).is_(None))
    ).first()
    if found is None:
        return None
    row, account = found
    if not may_sign_in(account) or row.last_seen_at + IDLE_EXPIRY <= now:
        end_session(session, row, now)
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
        session.add(row)
        session.commit()
    return row, account


def end_session(session: Session, row: ConsoleSession, now: datetime) -> None:
    row.ended_at = now
    session.add(row)
    session.commit()


def end_sessions_of(session: Session, account_id: int, now: datetime) -> None:
    """Sign the account out everywhere (e.g. when it is revoked)."""
    session.execute(
        update(ConsoleSession)
        .where(col(ConsoleSession.account_id) == account_id, col(ConsoleSession.ended_at).is_(None))
        .values(ended_at=now)
    )
    session.commit()
