"""`/api/v1/conversations/{channel}/{channel_user}`: dialogue state kept for the bot (intake only).

The bot stays stateless: any worker reads the state, handles one message, writes it back with the
version it read (a stale write answers 409 and the bot retries with the fresh state)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, status
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select, update

from api.actor import Actor
from api.deps import SessionDep, require_roles
from api.errors import error_responses
from api.models import Conversation, utcnow
from api.roles import Role

router = APIRouter(prefix="/conversations", tags=["conversations"])

IntakeDep = Annotated[Actor, Depends(require_roles(Role.INTAKE))]
Channel = Annotated[str, Path(min_length=1, max_length=16, pattern=r"^[a-z0-9_]+$")]
ChannelUser = Annotated[str, Path(min_length=1, max_length=64)]
MAX_STATE_BYTES = 64_000


class ConversationState(BaseModel):
    state: dict[str, Any]
    version: int


class ConversationWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    state: dict[str, Any]
    version: int = Field(ge=0, description="the version read; 0 for a new conversation")


def _find(session: SessionDep, channel: str, channel_user: str) -> Conversation | None:
    return session.exec(
        select(Conversation).where(Conversation.channel == channel, Conversation.channel_user == channel_user)
    ).first()


@router.get(
    "/{channel}/{channel_user}", response_model=ConversationState, responses=error_responses(401, 403, 422)
)
def read(
    channel: Channel, channel_user: ChannelUser, _bot: IntakeDep, session: SessionDep
) -> ConversationState:
    found = _find(session, channel, channel_user)
    return (
        ConversationState(state=found.state, version=found.version)
        if found
        else ConversationState(state={}, version=0)
    )


@router.put(
    "/{channel}/{channel_user}",
    response_model=ConversationState,
    responses=error_responses(401, 403, 409, 413, 422),
)
def write(
    channel: Channel, channel_user: ChannelUser, body: ConversationWrite, _bot: IntakeDep, session: SessionDep
) -> ConversationState:
    if len(ConversationWrite.model_dump_json(body)) > MAX_STATE_BYTES:
        raise HTTPException(413, "conversation state is too large")
    new_version = body.version + 1
    if body.version == 0:
        session.add(Conversation(channel=channel, channel_user=channel_user, state=body.state, version=1))
        try:
            session.commit()
        except IntegrityError as err:
            session.rollback()
            raise HTTPException(409, "the conversation changed; read it again") from err
        return ConversationState(state=body.state, version=1)
    result = session.exec(
        update(Conversation)
        .where(
            col(Conversation.channel) == channel,
            col(Conversation.channel_user) == channel_user,
            col(Conversation.version) == body.version,
        )
        .values(state=body.state, version=new_version, updated_at=utcnow())
    )
    session.commit()
    if result.rowcount != 1:
        raise HTTPException(409, "the conversation changed; read it again")
    return ConversationState(state=body.state, version=new_version)


@router.delete(
    "/{channel}/{channel_user}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(401, 403, 422),
)
def forget(channel: Channel, channel_user: ChannelUser, _bot: IntakeDep, session: SessionDep) -> None:
    found = _find(session, channel, channel_user)
    if found is not None:
        session.delete(found)
        session.commit()
