"""Accounts: create (token shown once), revoke, and link an account to a Telegram chat."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

from api.models import Account, AccountCommune, utcnow
from api.roles import COMMUNE_COUNT, Role
from api.security import hash_secret, new_link_code, new_token, normalise_link_code
from api.wards import normalise_code, ward_exists
from content.catalog import get_content

LINK_CODE_VALIDITY = timedelta(days=7)
# Nothing is ever sent to an admin's or a bot's chat, and the bot acts for no such chat
# (api/deps.py ACTING_ROLES): they are not linked.
UNLINKABLE_ROLES = frozenset({Role.ADMIN.value, Role.INTAKE.value})


class AccountError(ValueError):
    """An account request that cannot be carried out; the message says why."""


def create_account(
    session: Session,
    *,
    name: str,
    role: Role,
    communes: list[str] | None = None,
    agency_kind: str | None = None,
    lang: str = "vi",
) -> tuple[Account, str]:
    """Create an account and return it with its token (the only time the token is visible)."""
    codes = sorted({normalise_code(c) for c in communes or []})
    low, high = COMMUNE_COUNT.get(role, (0, 0))
    if not low <= len(codes) <= high:
        need = (
            "exactly one commune"
            if (low, high) == (1, 1)
            else ("at least one commune" if low else "no commune")
        )
        raise AccountError(f"role {role.value} needs {need} (got {len(codes)})")
    unknown = [c for c in codes if not ward_exists(c)]
    if unknown:
        raise AccountError(f"unknown commune code(s): {', '.join(unknown)}")
    if not name.strip():
        raise AccountError("name must not be empty")
    _check_agency_kind(role, agency_kind)
    token = new_token()
    account = Account(
        name=name.strip(),
        role=role.value,
        agency_kind=agency_kind,
        lang=lang,
        token_hash=hash_secret(token),
        token_hint=token[:7],
    )
    session.add(account)
    session.flush()
    assert account.id is not None
    for code in codes:
        session.add(AccountCommune(account_id=account.id, commune_code=code))
    session.commit()
    session.refresh(account)
    return account, token


def _check_agency_kind(role: Role, agency_kind: str | None) -> None:
    """Reminders find agencies by kind (deadlines.yaml `names.agency_kinds`): a misspelt kind would
    make an account that never hears of any obligation, so only the declared kinds are taken."""
    if agency_kind is None:
        return
    if role is not Role.AGENCY:
        raise AccountError(f"agency_kind is only for agency accounts, not {role.value}")
    kinds = sorted(get_content().deadlines.schedule.names.agency_kinds)
    if agency_kind not in kinds:
        raise AccountError(f"unknown agency_kind {agency_kind!r}; valid kinds: {', '.join(kinds)}")


def account_by_token(session: Session, token: str) -> Account | None:
    account = session.exec(select(Account).where(Account.token_hash == hash_secret(token))).first()
    if account is None or not account.active:
        return None
    return account


def communes_of(session: Session, account: Account) -> list[str]:
    rows = session.exec(select(AccountCommune.commune_code).where(AccountCommune.account_id == account.id))
    return sorted(rows)


def revoke(session: Session, account: Account) -> None:
    account.active = False
    account.revoked_at = utcnow()
    account.telegram_chat_id = None
    session.add(account)
    session.commit()


def may_link(account: Account) -> bool:
    return account.role not in UNLINKABLE_ROLES


def issue_link_code(session: Session, account: Account, now: datetime | None = None) -> str:
    """A one-time code the officer sends to the bot (`/canbo CODE`) to link their chat."""
    code = new_link_code()
    account.link_code_hash = hash_secret(code)
    account.link_code_expires_at = (now or utcnow()) + LINK_CODE_VALIDITY
    session.add(account)
    session.commit()
    return code


def claim_link_code(session: Session, code: str, chat_id: str, now: datetime | None = None) -> Account | None:
    """Link the chat to the account whose unexpired code this is; the code then stops working."""
    digest = hash_secret(normalise_link_code(code))
    account = session.exec(select(Account).where(Account.link_code_hash == digest)).first()
    moment = now or utcnow()
    if account is None or not account.active or account.link_code_expires_at is None:
        return None
    if not may_link(account):  # a code issued before such accounts were refused one
        return None
    if account.link_code_expires_at < moment:
        return None
    # One chat belongs to one account: unlink it elsewhere first.
    for other in session.exec(select(Account).where(Account.telegram_chat_id == chat_id)):
        other.telegram_chat_id = None
        session.add(other)
    account.telegram_chat_id = chat_id
    account.link_code_hash = None
    account.link_code_expires_at = None
    session.add(account)
    session.commit()
    session.refresh(account)
    return account
