"""Dependencies that routes declare by type: `SessionDep`, `SettingsDep`, `ActorDep`, role guards."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Header, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from api.actor import Actor
from api.core.config import ApiSettings
from api.models import Account
from api.roles import Role
from api.services.accounts import account_by_token, communes_of

# Dependencies that do no blocking work are `async def`: FastAPI then runs them on the event loop
# instead of handing each one to a worker thread (several thread hops per request add up).


async def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


async def get_session(engine: Annotated[Engine, Depends(get_engine)]) -> AsyncIterator[Session]:
    # Creating a session does no I/O; queries run later in the route's worker thread.
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
    finally:
        await run_in_threadpool(session.close)


async def get_settings(request: Request) -> ApiSettings:
    settings: ApiSettings = request.app.state.settings
    return settings


SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[ApiSettings, Depends(get_settings)]

_bearer = HTTPBearer(auto_error=False, description="API token (`buocmoi accounts create`)")


def get_actor(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    acting_chat: Annotated[str | None, Header(alias="X-Acting-Chat", include_in_schema=False)] = None,
) -> Actor:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise HTTPException(401, "missing bearer token", headers={"WWW-Authenticate": "Bearer"})
    account = account_by_token(session, credentials.credentials)
    if account is None:
        raise HTTPException(401, "unknown or revoked token", headers={"WWW-Authenticate": "Bearer"})
    role = Role(account.role)
    if acting_chat is None:
        return Actor(account, role, tuple(communes_of(session, account)))
    # Only the bot may act for the officer whose Telegram chat is linked.
    if role is not Role.INTAKE:
        raise HTTPException(403, "only an intake account may act for a linked chat")
    officer = session.exec(
        select(Account).where(Account.telegram_chat_id == acting_chat, Account.active)
    ).first()
    if officer is None:
        raise HTTPException(403, "this chat is not linked to an account")
    return Actor(officer, Role(officer.role), tuple(communes_of(session, officer)), via=account)


ActorDep = Annotated[Actor, Depends(get_actor)]


def require_roles(*roles: Role) -> Callable[[Actor], Coroutine[Any, Any, Actor]]:
    allowed = set(roles)

    async def check(actor: ActorDep) -> Actor:
        if actor.role not in allowed:
            raise HTTPException(403, f"role {actor.role.value} may not do this")
        return actor

    return check
