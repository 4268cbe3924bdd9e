"""`/api/v1/people/{channel}/{channel_user}`: a person sees and erases their own data (through the bot)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel

from api.actor import Actor
from api.deps import SessionDep, require_roles
from api.errors import error_responses
from api.roles import Role
from api.schemas import LeadPublic, ListOf
from api.services import audit, leads
from api.sessions import SessionRoute

router = APIRouter(prefix="/people", tags=["people"], route_class=SessionRoute)

IntakeDep = Annotated[Actor, Depends(require_roles(Role.INTAKE))]
Channel = Annotated[str, Path(min_length=1, max_length=16, pattern=r"^[a-z0-9_]+$")]
ChannelUser = Annotated[str, Path(min_length=1, max_length=64)]


class Erased(BaseModel):
    erased: int


@router.get(
    "/{channel}/{channel_user}/leads",
    response_model=ListOf[LeadPublic],
    responses=error_responses(401, 403, 422),
)
def my_leads(
    channel: Channel, channel_user: ChannelUser, actor: IntakeDep, session: SessionDep
) -> ListOf[LeadPublic]:
    mine = leads.LeadFilters(channel_user=channel_user)
    rows = [
        lead
        for lead in leads.page_of_leads(session, actor, mine, offset=0, limit=500)
        if lead.channel == channel
    ]
    # A referral an officer made for the person, which they joined from this chat (issue 19).
    rows += [lead for lead in leads.linked_leads(session, actor, channel, channel_user) if lead not in rows]
    audit.record_reads(session, actor, "person_view", [lead.id for lead in rows])
    return ListOf(data=[leads.to_public(lead, actor.role) for lead in rows], count=len(rows))


@router.delete("/{channel}/{channel_user}", response_model=Erased, responses=error_responses(401, 403, 422))
def erase(channel: Channel, channel_user: ChannelUser, actor: IntakeDep, session: SessionDep) -> Erased:
    """Withdraw the person's open referrals, anonymise all of them and cancel their follow-ups, at
    their request."""
    return Erased(erased=leads.erase_person(session, actor, channel, channel_user))
