"""`/api/v1/followups`: a person asks (through the bot) to be reminded on a day, e.g. after release."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Response, status
from pydantic import BaseModel, ConfigDict, Field

from api.actor import Actor
from api.channels import CHAT_ID_PATTERN
from api.deps import SessionDep, require_roles
from api.errors import error_responses
from api.models import Followup
from api.reminders import followups
from api.roles import Role
from api.sessions import SessionRoute
from content.catalog import get_content
from content.localized import Lang

router = APIRouter(prefix="/followups", tags=["people"], route_class=SessionRoute)

IntakeDep = Annotated[Actor, Depends(require_roles(Role.INTAKE))]


class FollowupCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channel: Literal["telegram"] = Field(description="where to reach the person (Telegram only, today)")
    channel_user: str = Field(min_length=1, max_length=64, pattern=CHAT_ID_PATTERN, description="the chat id")
    kind: str = Field(min_length=1, max_length=32, description="a follow-up kind of content reminders.yaml")
    remind_on: date = Field(
        ge=date(2020, 1, 1),
        le=date(2100, 12, 31),
        description="the local day to send it (within `working_hours` of reminders.yaml), 2020-2100",
    )
    lang: Lang = "vi"


class FollowupPublic(BaseModel):
    id: int
    channel: str
    channel_user: str
    kind: str
    remind_on: date
    lang: str
    sent_at: datetime | None


class Forgotten(BaseModel):
    deleted: int


def _public(row: Followup) -> FollowupPublic:
    assert row.id is not None
    return FollowupPublic(
        id=row.id,
        channel=row.channel,
        channel_user=row.channel_user,
        kind=row.kind,
        remind_on=row.remind_on,
        lang=row.lang,
        sent_at=row.sent_at,
    )


@router.post(
    "",
    response_model=FollowupPublic,
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {"model": FollowupPublic, "description": "replaced the day of the person's follow-up"},
        **error_responses(401, 403, 422),
    },
)
def create_followup(
    body: FollowupCreate, actor: IntakeDep, session: SessionDep, response: Response
) -> FollowupPublic:
    """One follow-up per person and kind: posting again moves it to the new day (200). It is sent
    once, on `remind_on`, as a discreet message (no word about prison, police or sentences)."""
    if body.kind not in get_content().reminders.followups:
        raise HTTPException(422, f"kind: unknown follow-up kind {body.kind!r}")
    row, created = followups.upsert(
        session,
        account_id=actor.id,
        channel=body.channel,
        channel_user=body.channel_user,
        kind=body.kind,
        remind_on=body.remind_on,
        lang=body.lang,
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    return _public(row)


@router.delete(
    "/{channel}/{channel_user}", response_model=Forgotten, responses=error_responses(401, 403, 422)
)
def delete_followups(
    channel: Annotated[str, Path(min_length=1, max_length=16, pattern=r"^[a-z0-9_]+$")],
    channel_user: Annotated[str, Path(min_length=1, max_length=64)],
    actor: IntakeDep,
    session: SessionDep,
) -> Forgotten:
    """Cancel every follow-up of the person made through this intake account (erasing the
    person's data does this too)."""
    deleted = followups.forget(session, actor.id, channel, channel_user)
    session.commit()
    return Forgotten(deleted=deleted)
