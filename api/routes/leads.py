"""`/api/v1/leads`: referrals in, scoped reads (audited), lifecycle steps, and erasure."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.engine import Engine
from sqlmodel import Session

from api.actor import AccountRevoked, Actor
from api.core.config import ApiSettings
from api.deps import (
    SessionDep,
    refuse_revoked,
    require_cached_roles,
    require_roles,
)
from api.errors import ApiProblem, error_responses
from api.lifecycle import TransitionError
from api.models import Account, Lead, utcnow
from api.roles import Role
from api.schemas import LeadCreate, LeadEventPublic, LeadPublic, ListOf, Reminded, StatusChange, Transfer
from api.services import accounts, audit, leads, loop
from api.services.assisted_join import JoinedAssisted
from api.services.lead_writer import LeadWriter
from api.services.leads import NewLead
from api.services.screening import ScreeningInputError, screen
from api.sessions import SessionRoute
from api.wards import ward_province
from contract.errors import detail

router = APIRouter(prefix="/leads", tags=["leads"], route_class=SessionRoute)

# Least privilege: the admin reads no referral; what each other role sees is `leads.scope`.
IntakeDep = Annotated[Actor, Depends(require_cached_roles(Role.INTAKE))]
_READERS = (Role.INTAKE, Role.COMMUNE_POLICE, Role.BANK, Role.COORDINATOR)
ReaderDep = Annotated[Actor, Depends(require_roles(*_READERS))]
# For a route that confirms the cached actor on its own connection (`accounts.current_actor`).
CachedReaderDep = Annotated[Actor, Depends(require_cached_roles(*_READERS))]
# What the bot does for an officer's linked chat: open one referral, move it on.
OfficerDep = Annotated[Actor, Depends(require_roles(*_READERS, acting=True))]


@router.post(
    "",
    response_model=LeadPublic,
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {"model": LeadPublic, "description": "the same idempotency key: the first lead"},
        **error_responses(400, 401, 403, 409, 422),
    },
)
async def create_lead(body: LeadCreate, actor: IntakeDep, request: Request) -> Response:
    # Runs on the event loop: validation and screening are quick pure work, and the write joins the
    # group commit of concurrent intakes (api/services/lead_writer.py). The app's parts are read
    # from its state here rather than declared as dependencies: this is the busiest route.
    settings: ApiSettings = request.app.state.settings
    engine: Engine = request.app.state.engine
    writer: LeadWriter = request.app.state.lead_writer
    if ward_province(body.commune_code) != settings.province:
        problem = "this service covers only the communes of its own province"
        raise ApiProblem(422, f"commune_code: {problem}", details=[detail("commune_code", problem)])
    try:
        result = screen(body.applicant, body.answers, body.lang)
    except ScreeningInputError as err:
        # A retry of a stored lead answers with that lead, whatever its answers say now. The actor
        # may come from the token cache: the lookup re-checks that the account is still active.
        try:
            existing = await run_in_threadpool(_stored, engine, actor, body.idempotency_key)
        except AccountRevoked:
            raise refuse_revoked(request, actor) from None
        if existing is None:
            raise ApiProblem(422, f"answers: {err}", details=[detail("answers", str(err))]) from err
        lead, created = existing, False
    else:
        try:
            lead, created = await writer.create(NewLead(actor, body, result))
        except AccountRevoked:
            raise refuse_revoked(request, actor) from None
        except JoinedAssisted as joined:
            # The person's referral, made for them by an officer (assisted intake): now theirs in
            # the bot too. Answering with its contact is a read like any other (audited).
            await run_in_threadpool(_audit, engine, actor, "join", joined.lead.id)
            return Response(
                leads.to_public(joined.lead, actor.role).model_dump_json(),
                status_code=status.HTTP_200_OK,
                media_type="application/json",
            )
    if not created:
        if lead.created_by != actor.id:
            raise HTTPException(409, "this idempotency key was used by another account")
        # A replay answers with the person's contact again: a read like any other (audited).
        await run_in_threadpool(_audit, engine, actor, "replay", lead.id)
    # Rendered here: the lead was built by this code, so FastAPI need not check it against the
    # response model again (`response_model` above still documents it).
    return Response(
        leads.to_public(lead, actor.role).model_dump_json(),
        status_code=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        media_type="application/json",
    )


def _stored(engine: Engine, actor: Actor, key: str) -> Lead | None:
    with Session(engine, expire_on_commit=False) as session:
        account = session.get(Account, actor.id)
        if account is None or not account.active:
            raise AccountRevoked
        return leads.find_by_key(session, key)


def _audit(engine: Engine, actor: Actor, action: str, lead_id: str) -> None:
    with Session(engine) as session:
        audit.record_reads(session, actor, action, [lead_id])


# A page of hundreds of leads holds several MB while it is built (rows, models, JSON). The rows are
# read a batch at a time and each lead is turned into JSON at once, so only a batch of rows and the
# JSON are held; and only LARGE_PAGE_BUILDS such pages are built at a time, so a burst of list
# requests cannot push the service past its memory budget (design: a modest server; serve < 150
# MB); the others wait.
LARGE_PAGE = 100
LARGE_PAGE_BUILDS = 1
_large_pages = threading.BoundedSemaphore(LARGE_PAGE_BUILDS)


@router.get("", response_model=ListOf[LeadPublic], responses=error_responses(401, 403, 422))
def list_leads(
    cached: CachedReaderDep,
    session: SessionDep,
    request: Request,
    status_: Annotated[str | None, Query(alias="status", max_length=16)] = None,
    commune_code: Annotated[str | None, Query(max_length=8)] = None,
    channel_user: Annotated[str | None, Query(max_length=64)] = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> Response:
    # The busiest read: the caller comes from the token cache (no thread trip, no connection of its
    # own) and is confirmed here, on the route's own connection: still active, communes as now.
    try:
        actor = accounts.current_actor(session, cached)
    except AccountRevoked:
        raise refuse_revoked(request, cached) from None
    filters = leads.LeadFilters(status=status_, commune_code=commune_code, channel_user=channel_user)
    with _large_pages if limit > LARGE_PAGE else contextlib.nullcontext():
        count = leads.count_leads(session, actor, filters)
        ids: list[str] = []
        items: list[bytes] = []
        for lead in leads.page_of_leads(session, actor, filters, offset=offset, limit=limit):
            ids.append(lead.id)
            items.append(leads.to_public(lead, actor.role).model_dump_json().encode())
        audit.record_reads(session, actor, "list", ids)
        # `ListOf`'s JSON, put together from the items already rendered.
        return Response(
            b'{"data":[' + b",".join(items) + b'],"count":' + str(count).encode() + b"}",
            media_type="application/json",
        )


def _visible(session: Session, actor: Actor, lead_id: str) -> Lead:
    lead = leads.get_lead(session, actor, lead_id)
    if lead is None:
        raise HTTPException(404, "no such lead")
    return lead


@router.get("/{lead_id}", response_model=LeadPublic, responses=error_responses(401, 403, 404))
def read_lead(lead_id: str, actor: OfficerDep, session: SessionDep) -> LeadPublic:
    lead = _visible(session, actor, lead_id)
    audit.record_reads(session, actor, "read", [lead.id])
    return leads.to_public(lead, actor.role)


@router.get(
    "/{lead_id}/events", response_model=ListOf[LeadEventPublic], responses=error_responses(401, 403, 404)
)
def lead_history(lead_id: str, actor: ReaderDep, session: SessionDep) -> ListOf[LeadEventPublic]:
    lead = _visible(session, actor, lead_id)
    events = [LeadEventPublic.model_validate(e, from_attributes=True) for e in leads.events_of(session, lead)]
    # Officers' notes may hold a phone number or an address: reading them is audited.
    audit.record_reads(session, actor, "events", [lead.id])
    return ListOf(data=events, count=len(events))


@router.post(
    "/{lead_id}/status", response_model=LeadPublic, responses=error_responses(401, 403, 404, 409, 422)
)
def change_status(
    lead_id: str, change: StatusChange, actor: OfficerDep, session: SessionDep, request: Request
) -> LeadPublic:
    """One lifecycle step. The bank's `approved` carries `amount` (đồng, at most the cap of Decision
    22 for the referral); `disbursed` carries `amount` (at most the approved one) and `on_date`;
    `declined` a `reason` from the content's list. Each decision is told to the commune's officers
    (linked chat) and, discreetly, to the person."""
    lead = _visible(session, actor, lead_id)
    try:
        lead = leads.change_status(session, actor, lead, change, _clock(request))
    except TransitionError as err:
        raise HTTPException(err.status_code, str(err)) from err
    audit.record_reads(session, actor, "update", [lead.id])
    return leads.to_public(lead, actor.role)


def _clock(request: Request) -> datetime:
    clock: Callable[[], datetime] = getattr(request.app.state, "clock", utcnow)
    return clock()


# Who hands a referral to another commune: its commune's officer, the coordinator for an escalated one.
TransferDep = Annotated[Actor, Depends(require_roles(Role.COMMUNE_POLICE, Role.COORDINATOR))]
# The coordinator's "remind the officer" (also a button under the escalation in the linked chat).
CoordinatorDep = Annotated[Actor, Depends(require_roles(Role.COORDINATOR, acting=True))]


@router.post(
    "/{lead_id}/transfer", response_model=LeadPublic, responses=error_responses(401, 403, 404, 409, 422)
)
def transfer_lead(
    lead_id: str, body: Transfer, actor: TransferDep, session: SessionDep, request: Request
) -> LeadPublic:
    """The person moved: the referral goes to another commune of the province (while it is new,
    received or contacted). The new commune's officers hear it as of a new referral, the person
    discreetly; the old commune no longer sees it (404). The new commune starts clean: its own
    working days from now, and an escalation is cleared (the coordinator no longer sees it)."""
    lead = _visible(session, actor, lead_id)
    settings: ApiSettings = request.app.state.settings
    try:
        lead = loop.transfer(
            session, actor, lead, body.commune_code, body.reason, settings.province, _clock(request)
        )
    except TransitionError as err:
        raise HTTPException(err.status_code, str(err)) from err
    audit.record_reads(session, actor, "transfer", [lead.id])
    return leads.to_public(lead, actor.role)


@router.post("/{lead_id}/remind", response_model=Reminded, responses=error_responses(401, 403, 404))
def remind_officers(lead_id: str, actor: CoordinatorDep, session: SessionDep, request: Request) -> Reminded:
    """The coordinator reminds the officers of an escalated referral's commune (their linked chats);
    recorded in its timeline."""
    lead = _visible(session, actor, lead_id)
    try:
        sent = loop.remind(session, actor, lead, _clock(request))
    except TransitionError as err:
        raise HTTPException(err.status_code, str(err)) from err
    audit.record_reads(session, actor, "remind", [lead.id])
    return Reminded(chats=sent)
