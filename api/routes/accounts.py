"""`/api/v1/accounts` (admin) and `/api/v1/telegram/link` (the bot links an officer's chat)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import col, select

from api.actor import Actor
from api.channels import CHAT_ID_PATTERN
from api.deps import ActingActorDep, SessionDep, require_roles
from api.errors import error_responses
from api.models import Account
from api.roles import Role
from api.schemas import RowIdPath
from api.services import accounts, link_throttle
from api.sessions import SessionRoute

router = APIRouter(tags=["accounts"], route_class=SessionRoute)

AdminDep = Annotated[Actor, Depends(require_roles(Role.ADMIN))]
IntakeDep = Annotated[Actor, Depends(require_roles(Role.INTAKE))]


class AccountCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    role: Role
    communes: list[str] = Field(default_factory=list, max_length=10_000)
    agency_kind: str | None = Field(default=None, max_length=64)


class AccountPublic(BaseModel):
    id: int
    name: str
    role: str
    agency_kind: str | None
    communes: list[str]
    active: bool
    telegram_linked: bool


class AccountCreated(AccountPublic):
    token: str = Field(
        description="the API token, shown this once; empty for a console-only role (intake_officer), "
        "which signs in to the console with a login link and has no API token"
    )


class LinkCode(BaseModel):
    code: str
    expires_at: str


class LinkRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=4, max_length=32)
    chat_id: str = Field(min_length=1, max_length=32, pattern=CHAT_ID_PATTERN)


def _public(session: SessionDep, account: Account) -> AccountPublic:
    assert account.id is not None
    return AccountPublic(
        id=account.id,
        name=account.name,
        role=account.role,
        agency_kind=account.agency_kind,
        communes=accounts.communes_of(session, account),
        active=account.active,
        telegram_linked=account.telegram_chat_id is not None,
    )


def _get(session: SessionDep, account_id: int) -> Account:
    account = session.get(Account, account_id)
    if account is None:
        raise HTTPException(404, "no such account")
    return account


@router.post(
    "/accounts",
    response_model=AccountCreated,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(401, 403, 422),
)
def create_account(body: AccountCreate, _admin: AdminDep, session: SessionDep) -> AccountCreated:
    try:
        account, token = accounts.create_account(
            session,
            name=body.name,
            role=body.role,
            communes=body.communes,
            agency_kind=body.agency_kind,
            by=_admin,
            via="api",
        )
    except accounts.AccountError as err:
        raise HTTPException(422, str(err)) from err
    return AccountCreated(**_public(session, account).model_dump(), token=token)


@router.get("/accounts", response_model=list[AccountPublic], responses=error_responses(401, 403))
def list_accounts(_admin: AdminDep, session: SessionDep) -> list[AccountPublic]:
    return [_public(session, a) for a in session.exec(select(Account).order_by(col(Account.id))).all()]


@router.post(
    "/accounts/{account_id}/revoke", response_model=AccountPublic, responses=error_responses(401, 403, 404)
)
def revoke_account(account_id: RowIdPath, _admin: AdminDep, session: SessionDep) -> AccountPublic:
    account = _get(session, account_id)
    if account.active:  # revoking twice changes nothing: one audit entry
        accounts.revoke(session, account, by=_admin, via="api")
    return _public(session, account)


@router.post(
    "/accounts/{account_id}/link-code", response_model=LinkCode, responses=error_responses(401, 403, 404, 409)
)
def issue_link_code(account_id: RowIdPath, _admin: AdminDep, session: SessionDep) -> LinkCode:
    account = _get(session, account_id)
    if not account.active:
        raise HTTPException(409, "the account is revoked")
    if not accounts.may_link(account):
        raise HTTPException(409, f"a {account.role} account has no chat to link: nothing is sent to it")
    code = accounts.issue_link_code(session, account)
    assert account.link_code_expires_at is not None
    return LinkCode(code=code, expires_at=account.link_code_expires_at.isoformat())


@router.post(
    "/telegram/link", response_model=AccountPublic, responses=error_responses(401, 403, 404, 422, 429)
)
def link_telegram(body: LinkRequest, bot: IntakeDep, session: SessionDep) -> AccountPublic:
    """The bot passes on `/canbo CODE` from a chat; the code works once and expires after 7 days.
    Wrong codes are throttled per chat, per calling account and overall (429 with `Retry-After`;
    see api/services/link_throttle.py), so codes cannot be guessed."""
    tried = link_throttle.attempt(session, account_id=bot.id, chat_id=body.chat_id)
    if tried.wait_seconds:
        raise HTTPException(
            429,
            "too many wrong link codes; try again later",
            headers={"Retry-After": str(tried.wait_seconds)},
        )
    account = accounts.claim_link_code(session, body.code, body.chat_id)
    if account is None:
        raise HTTPException(404, "unknown or expired link code")
    link_throttle.forget(session, tried.id)
    return _public(session, account)


@router.get("/me", response_model=AccountPublic, responses=error_responses(401, 403))
def me(actor: ActingActorDep, session: SessionDep) -> AccountPublic:
    """Who the token (or, for the bot, the linked chat in X-Acting-Chat) is."""
    return _public(session, actor.account)
