"""Dependencies that routes declare by type: `SessionDep`, `SettingsDep`, `ActorDep`, role guards."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Annotated, Any

from anyio import CapacityLimiter, to_thread
from fastapi import Depends, Header, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from api.actor import Actor, ActorCache
from api.core.config import ApiSettings
from api.errors import ApiProblem
from api.models import Account
from api.roles import Role
from api.services.accounts import account_by_token, communes_of
from api.sessions import releases_sessions
from contract.errors import CHAT_NOT_LINKED

log = logging.getLogger(__name__)

# Dependencies that do no blocking work are `async def`: FastAPI then runs them on the event loop
# instead of handing each one to a worker thread (several thread hops per request add up).


async def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


EngineDep = Annotated[Engine, Depends(get_engine)]


async def get_session(engine: EngineDep) -> AsyncIterator[Session]:
    # Creating a session does no I/O; queries run later in the route's worker thread, and each sync
    # route or dependency that uses it closes it on that same thread (`api.sessions`).
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
    finally:
        if session.in_transaction():
            # A sync callable that took the session without `releases_sessions`: close it, but
            # never by waiting for a thread of the shared pool while holding the connection.
            log.warning("a request's session was still open at its end")
            await to_thread.run_sync(session.close, limiter=CapacityLimiter(1))
        else:
            session.close()  # holds no connection: no I/O


async def get_settings(request: Request) -> ApiSettings:
    settings: ApiSettings = request.app.state.settings
    return settings


SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[ApiSettings, Depends(get_settings)]

_bearer = HTTPBearer(auto_error=False, description="API token (`buocmoi accounts create`)")


CredentialsDep = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
ActingChatDep = Annotated[str | None, Header(alias="X-Acting-Chat", include_in_schema=False)]


# The roles whose linked chat the bot may act for, and only on routes that declare it (`acting=True`):
# what an officer does in the bot, i.e. open and move their own referrals and mark their own
# obligations done. An admin's or another bot's chat is never acted for (nothing is sent there).
ACTING_ROLES = frozenset({Role.COMMUNE_POLICE, Role.BANK, Role.COORDINATOR, Role.AGENCY})


@releases_sessions
def get_acting_actor(
    session: SessionDep, credentials: CredentialsDep, acting_chat: ActingChatDep = None
) -> Actor:
    """The caller, or the officer of a linked chat when the bot acts for it (see `ACTING_ROLES`)."""
    return resolve_actor(session, credentials, acting_chat)


@releases_sessions
def get_actor(session: SessionDep, credentials: CredentialsDep, acting_chat: ActingChatDep = None) -> Actor:
    """The caller; acting for a linked chat is refused (the route is not one the bot offers)."""
    return _not_acting(resolve_actor(session, credentials, acting_chat))


def resolve_actor(
    session: Session, credentials: HTTPAuthorizationCredentials | None, acting_chat: str | None
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
        raise ApiProblem(403, "this chat is not linked to an account", code=CHAT_NOT_LINKED)
    if Role(officer.role) not in ACTING_ROLES:
        raise HTTPException(403, f"the bot does not act for a chat of role {officer.role}")
    return Actor(officer, Role(officer.role), tuple(communes_of(session, officer)), via=account)


def _not_acting(actor: Actor) -> Actor:
    if actor.via is not None:
        raise HTTPException(
            403, "acting for a linked chat covers only the officer's own referrals and obligations"
        )
    return actor


async def get_cached_actor(
    request: Request, credentials: CredentialsDep, acting_chat: ActingChatDep = None
) -> Actor:
    """The actor for a route whose own statements re-check that the account is still active
    (`LeadWriter`, `api.services.conversations`). Known tokens are then answered from memory,
    without a database round trip of their own; revocation still takes effect at once (the route
    answers with `refuse_revoked`)."""
    cache: ActorCache = request.app.state.actor_cache
    if credentials is not None and acting_chat is None:
        known = cache.get(credentials.credentials)
        if known is not None:
            return known

    engine: Engine = request.app.state.engine

    def lookup() -> Actor:
        with Session(engine, expire_on_commit=False) as session:
            return resolve_actor(session, credentials, acting_chat)

    actor = await run_in_threadpool(lookup)
    if credentials is not None and acting_chat is None:
        cache.put(credentials.credentials, actor)
    return actor


ActorDep = Annotated[Actor, Depends(get_actor)]
# Routes the bot calls for an officer's chat (`X-Acting-Chat`): see `ACTING_ROLES`.
ActingActorDep = Annotated[Actor, Depends(get_acting_actor)]


def require_roles(*roles: Role, acting: bool = False) -> Callable[[Actor], Coroutine[Any, Any, Actor]]:
    """The caller must have one of `roles`; `acting=True`: the bot may call for a linked chat."""
    allowed = set(roles)

    if acting:

        async def check_acting(actor: ActingActorDep) -> Actor:
            return _allowed(actor, allowed)

        return check_acting

    async def check(actor: ActorDep) -> Actor:
        return _allowed(actor, allowed)

    return check


def require_cached_roles(*roles: Role) -> Callable[[Actor], Coroutine[Any, Any, Actor]]:
    """`require_roles` for routes that re-check the account themselves (see `get_cached_actor`);
    never for a linked chat."""
    allowed = set(roles)

    async def check(actor: Annotated[Actor, Depends(get_cached_actor)]) -> Actor:
        return _allowed(_not_acting(actor), allowed)

    return check


def refuse_revoked(request: Request, actor: Actor) -> HTTPException:
    """The 401 for an account found revoked after its actor was cached; the cache forgets it."""
    cache: ActorCache = request.app.state.actor_cache
    cache.forget(actor.id)
    return HTTPException(401, "unknown or revoked token", headers={"WWW-Authenticate": "Bearer"})


def _allowed(actor: Actor, roles: set[Role]) -> Actor:
    if actor.role not in roles:
        raise HTTPException(403, f"role {actor.role.value} may not do this")
    return actor
