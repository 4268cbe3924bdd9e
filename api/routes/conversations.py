"""`/api/v1/conversations/{channel}/{channel_user}`: dialogue state kept for the bot (intake only).

The bot stays stateless: any worker reads the state, handles one message, writes it back with the
version it read (a stale write answers 409 and the bot retries with the fresh state)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Request, status
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.engine import Engine

from api.actor import AccountRevoked, Actor
from api.deps import SessionDep, refuse_revoked, require_cached_roles, require_roles
from api.errors import error_responses
from api.roles import Role
from api.services import conversations
from api.services.conversations import StaleVersion, read_state, write_state
from api.sessions import SessionRoute
from contract.conversations import ConversationState, ConversationWrite

router = APIRouter(prefix="/conversations", tags=["conversations"], route_class=SessionRoute)

IntakeDep = Annotated[Actor, Depends(require_roles(Role.INTAKE))]
# Reading and writing the state happen on every message: the token is checked from memory, and
# the statements themselves re-check that the account is active (api/services/conversations.py).
CachedIntakeDep = Annotated[Actor, Depends(require_cached_roles(Role.INTAKE))]
Channel = Annotated[str, Path(min_length=1, max_length=16, pattern=r"^[a-z0-9_]+$")]
ChannelUser = Annotated[str, Path(min_length=1, max_length=64)]
MAX_STATE_BYTES = 64_000


@router.get(
    "/{channel}/{channel_user}", response_model=ConversationState, responses=error_responses(401, 403, 422)
)
async def read(
    channel: Channel, channel_user: ChannelUser, bot: CachedIntakeDep, request: Request
) -> ConversationState:
    engine: Engine = request.app.state.engine
    try:
        state, version = await run_in_threadpool(read_state, engine, bot.id, channel, channel_user)
    except AccountRevoked:
        raise refuse_revoked(request, bot) from None
    return ConversationState(state=state, version=version)


@router.put(
    "/{channel}/{channel_user}",
    response_model=ConversationState,
    responses=error_responses(401, 403, 409, 413, 422),
)
async def write(
    channel: Channel,
    channel_user: ChannelUser,
    body: ConversationWrite,
    bot: CachedIntakeDep,
    request: Request,
) -> ConversationState:
    if len(ConversationWrite.model_dump_json(body)) > MAX_STATE_BYTES:
        raise HTTPException(413, "conversation state is too large")
    engine: Engine = request.app.state.engine
    try:
        version = await run_in_threadpool(
            write_state, engine, bot.id, channel, channel_user, body.state, body.version
        )
    except AccountRevoked:
        raise refuse_revoked(request, bot) from None
    except StaleVersion:
        raise HTTPException(409, "the conversation changed; read it again") from None
    return ConversationState(state=body.state, version=version)


@router.delete(
    "/{channel}/{channel_user}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(401, 403, 422),
)
def forget(channel: Channel, channel_user: ChannelUser, bot: IntakeDep, session: SessionDep) -> None:
    conversations.forget(session, bot.id, channel, channel_user)
    session.commit()
