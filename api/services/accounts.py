"""Accounts: create (token shown once), revoke, and link an account to a Telegram chat."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from api.actor import AccountRevoked, Actor
from api.models import Account, AccountCommune, utcnow
from api.roles import COMMUNE_COUNT, CONSOLE_ONLY_ROLES, Role
from api.security import hash_secret, new_link_code, new_token, normalise_link_code
from api.services import audit
from api.wards import normalise_code, ward_exists
from content.catalog import get_content

LINK_CODE_VALIDITY = timedelta(days=7)
# Nothing is ever sent to an admin's or a bot's chat, and the bot acts for no such chat
# (api/deps.py ACTING_ROLES): they are not linked. Nor an intake officer's: it works only in the
# console (it signs in with a link the admin issues) and receives no notification.
UNLINKABLE_ROLES = frozenset({Role.ADMIN.value, Role.INTAKE.value, Role.INTAKE_OFFICER.value})


class AccountError(ValueError):
    """An account request that cannot be carried out; the message says why (in English, for the
    API and the CLI). `code` and `params` let the console say the same in Vietnamese."""

    def __init__(self, message: str, code: str = "", **params: str) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


MAX_NAME = 200


@dataclass(frozen=True)
class AccountSpec:
    """A validated account request: what `add_account` writes."""

    name: str
    role: Role
    communes: tuple[str, ...]
    agency_kind: str | None


def validate_account(
    *, name: str, role: Role, communes: list[str] | None = None, agency_kind: str | None = None
) -> AccountSpec:
    """The one set of rules for a new account (API, CLI, console form and bulk import)."""
    codes = sorted({normalise_code(c) for c in communes or []})
    low, high = COMMUNE_COUNT.get(role, (0, 0))
    if not low <= len(codes) <= high:
        need = "one" if (low, high) == (1, 1) else ("at_least_one" if low else "none")
        text = {"one": "exactly one commune", "at_least_one": "at least one commune", "none": "no commune"}
        raise AccountError(
            f"role {role.value} needs {text[need]} (got {len(codes)})",
            "communes_count",
            role=role.value,
            need=need,
            got=str(len(codes)),
        )
    unknown = [c for c in codes if not ward_exists(c)]
    if unknown:
        joined = ", ".join(unknown)
        raise AccountError(f"unknown commune code(s): {joined}", "unknown_communes", codes=joined)
    if not name.strip():
        raise AccountError("name must not be empty", "empty_name")
    if len(name.strip()) > MAX_NAME:
        raise AccountError(f"name over {MAX_NAME} characters", "long_name", limit=str(MAX_NAME))
    _check_agency_kind(role, agency_kind)
    return AccountSpec(name.strip(), role, tuple(codes), agency_kind)


def has_api_token(role: Role | str) -> bool:
    """Whether accounts of this role call the API with a token (a console-only role does not)."""
    return Role(role) not in CONSOLE_ONLY_ROLES


def add_account(
    session: Session,
    spec: AccountSpec,
    lang: str = "vi",
    *,
    by: Actor | None = None,
    via: audit.AccountVia = "cli",
) -> tuple[Account, str]:
    """Add a validated account to the session (not committed: a bulk import writes all or none),
    with its audit entry (`by` made it through `via`; None: the server's command line).
    Returns the account and its API token, "" for a console-only role: the stored hash is then of a
    secret nobody is ever shown (the column is required and unique), and `account_by_token`
    refuses the role anyway."""
    token = new_token()
    issued = has_api_token(spec.role)
    account = Account(
        name=spec.name,
        role=spec.role.value,
        agency_kind=spec.agency_kind,
        lang=lang,
        token_hash=hash_secret(token),
        token_hint=token[:7] if issued else "",
    )
    session.add(account)
    session.flush()
    assert account.id is not None
    for code in spec.communes:
        session.add(AccountCommune(account_id=account.id, commune_code=code))
    audit.record_account(session, by, audit.ACCOUNT_CREATE, account, via)
    return account, token if issued else ""


def create_account(
    session: Session,
    *,
    name: str,
    role: Role,
    communes: list[str] | None = None,
    agency_kind: str | None = None,
    lang: str = "vi",
    by: Actor | None = None,
    via: audit.AccountVia = "cli",
) -> tuple[Account, str]:
    """Create an account and return it with its token (the only time the token is visible; "" for a
    console-only role, which has none)."""
    spec = validate_account(name=name, role=role, communes=communes, agency_kind=agency_kind)
    account, token = add_account(session, spec, lang, by=by, via=via)
    session.commit()
    session.refresh(account)
    return account, token


def agency_kinds() -> list[str]:
    return sorted(get_content().deadlines.schedule.names.agency_kinds)


def _check_agency_kind(role: Role, agency_kind: str | None) -> None:
    """Reminders find agencies by kind (deadlines.yaml `names.agency_kinds`): a misspelt kind would
    make an account that never hears of any obligation, so only the declared kinds are taken."""
    if agency_kind is None:
        return
    if role is not Role.AGENCY:
        raise AccountError(
            f"agency_kind is only for agency accounts, not {role.value}", "agency_kind_role", role=role.value
        )
    kinds = agency_kinds()
    if agency_kind not in kinds:
        raise AccountError(
            f"unknown agency_kind {agency_kind!r}; valid kinds: {', '.join(kinds)}",
            "unknown_agency_kind",
            kind=agency_kind,
            valid=", ".join(kinds),
        )


def account_by_token(session: Session, token: str) -> Account | None:
    account = session.exec(select(Account).where(Account.token_hash == hash_secret(token))).first()
    if account is None or not account.active:
        return None
    # An intake officer made before console-only roles were given no token still holds one: refused
    # like an unknown token (401), so the API never serves a console-only role.
    if not has_api_token(account.role):
        return None
    return account


def current_actor(session: Session, actor: Actor) -> Actor:
    """`actor` (possibly from `ActorCache`) as the database has it now, in one query: AccountRevoked
    when the account was revoked, its communes as they are now (an admin may have changed them)."""
    rows = session.exec(
        select(Account.active, AccountCommune.commune_code)
        .select_from(Account)
        .outerjoin(AccountCommune, col(AccountCommune.account_id) == col(Account.id))
        .where(Account.id == actor.id)
    ).all()
    if not rows or not rows[0][0]:
        raise AccountRevoked
    communes = tuple(sorted(code for _, code in rows if code is not None))
    return actor if communes == actor.communes else replace(actor, communes=communes)


def communes_of(session: Session, account: Account) -> list[str]:
    rows = session.exec(select(AccountCommune.commune_code).where(AccountCommune.account_id == account.id))
    return sorted(rows)


def revoke(
    session: Session, account: Account, *, by: Actor | None = None, via: audit.AccountVia = "cli"
) -> None:
    """Revoke the account (its token, sessions' next check, linked chat), audited in the same
    transaction (`by` through `via`; None: the server's command line)."""
    account.active = False
    account.revoked_at = utcnow()
    account.telegram_chat_id = None
    session.add(account)
    audit.record_account(session, by, audit.ACCOUNT_REVOKE, account, via, account.revoked_at)
    session.commit()


def may_link(account: Account) -> bool:
    return account.role not in UNLINKABLE_ROLES


def issue_link_code(session: Session, account: Account, now: datetime | None = None) -> str:
    """A one-time code the officer sends to the bot (`/canbo CODE`) to link their chat."""
    code = set_link_code(session, account, now)
    session.commit()
    return code


def set_link_code(session: Session, account: Account, now: datetime | None = None) -> str:
    """A new link code on the account, not committed (the bulk import writes all or none)."""
    code = new_link_code()
    account.link_code_hash = hash_secret(code)
    account.link_code_expires_at = (now or utcnow()) + LINK_CODE_VALIDITY
    session.add(account)
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
