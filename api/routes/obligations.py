"""`/api/v1/obligations`: agencies mark a period of a deadline done; the coordinator sees who is done,
late, pending, or has no account at all."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Response, status
from pydantic import BaseModel

from api.actor import Actor
from api.deps import ActingActorDep, SessionDep, require_roles
from api.errors import error_responses
from api.models import Account, utcnow
from api.reminders.clock import local_today
from api.reminders.periods import PERIOD_PATTERN, occurrence_due, occurrences, period_range
from api.reminders.status import is_assignee, mark_done, occurrence_states
from api.roles import Role
from api.schemas import MAX_ROW_ID, ListOf
from api.sessions import SessionRoute
from content.catalog import get_content
from content.deadlines.text import who
from content.localized import Lang
from content.reminders import RemindersContent

router = APIRouter(prefix="/obligations", tags=["reminders"], route_class=SessionRoute)

WatcherDep = Annotated[Actor, Depends(require_roles(Role.COORDINATOR, Role.ADMIN))]
DeadlineId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_]*$")]
Period = Annotated[str, Path(min_length=4, max_length=7, pattern=PERIOD_PATTERN)]


class DoneMark(BaseModel):
    deadline_id: str
    period: str
    account_id: int
    done_at: datetime
    by_account_id: int | None
    message: str  # to show the person who pressed the button, in the account's language


class AccountStatusPublic(BaseModel):
    account_id: int
    name: str
    role: str
    agency_kind: str | None
    status: Literal["done", "late", "pending"]
    done_at: datetime | None


class MissingAssignee(BaseModel):
    role: str
    agency_kind: str | None
    name: str


class ObligationStatus(BaseModel):
    deadline_id: str
    what: str
    period: str
    due: date
    escalation_on: date
    accounts: list[AccountStatusPublic]
    missing: list[MissingAssignee]
    counts: dict[str, int]


@router.post(
    "/{deadline_id}/{period}/done",
    response_model=DoneMark,
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {"model": DoneMark, "description": "already marked done: the first mark"},
        **error_responses(401, 403, 404, 422),
    },
)
def mark_obligation_done(
    deadline_id: DeadlineId,
    period: Period,
    actor: ActingActorDep,
    session: SessionDep,
    response: Response,
    account_id: Annotated[
        int | None, Query(ge=1, le=MAX_ROW_ID, description="admin or coordinator: mark for this account")
    ] = None,
) -> DoneMark:
    """Mark one period of an obligation done for the calling account: no more reminders to it for
    that period, and it is no longer named in the coordinator's escalation.

    The bot contract: a reminder message carries a button with callback data
    `rm|<deadline_id>|<period>|done`. The bot answers it by calling this route with its own (intake)
    token and `X-Acting-Chat: <chat id>`, so the account linked to that chat is the one marked, and
    shows `message` to the person. 201 the first time, 200 with the first mark afterwards; 403 when
    the account is not an assignee of that obligation (or the chat is not linked); 404 for an unknown
    obligation; 422 when `period` is not one of its periods (2027-01, 2027-Q1, 2027-H1 or 2027 by kind).
    """
    content = get_content()
    book = content.deadlines
    target = _target_account(actor, session, account_id)
    try:
        deadline = book.deadline(deadline_id)
    except KeyError:
        raise HTTPException(404, "no such obligation") from None
    if occurrence_due(deadline, period) is None:
        raise HTTPException(422, f"period: {period} is not a {deadline.period} period of {deadline_id}")
    if not is_assignee(book, deadline_id, target):
        raise HTTPException(403, "this account is not an assignee of that obligation")
    mark, created = mark_done(session, deadline_id, period, target, actor.via or actor.account)
    if not created:
        response.status_code = status.HTTP_200_OK
    assert target.id is not None
    return DoneMark(
        deadline_id=deadline_id,
        period=period,
        account_id=target.id,
        done_at=mark.done_at,
        by_account_id=mark.by_account_id,
        message=_recorded(content.reminders, deadline.what.get(target.lang), period, target.lang),
    )


def _target_account(actor: Actor, session: SessionDep, account_id: int | None) -> Account:
    if account_id is None or account_id == actor.id:
        return actor.account
    if actor.role not in (Role.ADMIN, Role.COORDINATOR) or actor.via is not None:
        raise HTTPException(403, "only an admin or the coordinator may mark for another account")
    account = session.get(Account, account_id)
    if account is None or not account.active:
        raise HTTPException(404, "no such account")
    return account


def _recorded(words: RemindersContent, what: str, period: str, lang: str) -> str:
    return words.done_recorded.get(lang).format(what=what, period=period)


@router.get("", response_model=ListOf[ObligationStatus], responses=error_responses(401, 403, 404, 422))
def obligation_status(
    _actor: WatcherDep,
    session: SessionDep,
    period: Annotated[
        str | None,
        Query(
            min_length=4,
            max_length=7,
            pattern=PERIOD_PATTERN,
            description="2027, 2027-06, 2027-Q2 or 2027-H1: every occurrence due in it (default: this month)",
        ),
    ] = None,
    deadline_id: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    lang: Annotated[Lang, Query()] = "vi",
) -> ListOf[ObligationStatus]:
    """Per obligation and period due in `period`: each assignee account's status (`done`, `late` once
    the due date has passed without a mark, `pending` before), and assignees without any account."""
    book = get_content().deadlines
    today = local_today(book, utcnow())
    label = period or f"{today.year}-{today.month:02d}"
    try:
        first, last = period_range(label)
    except ValueError as err:
        raise HTTPException(422, f"period: {err}") from None
    if deadline_id is not None and deadline_id not in {d.id for d in book.deadlines}:
        raise HTTPException(404, "no such obligation")
    states = occurrence_states(session, book, occurrences(book, first, last, deadline_id), today)
    data = []
    for state in states:
        occurrence = state.occurrence
        accounts = [
            AccountStatusPublic(
                account_id=s.account.id or 0,
                name=s.account.name,
                role=s.account.role,
                agency_kind=s.account.agency_kind,
                status=s.status,
                done_at=s.done_at,
            )
            for s in state.accounts
        ]
        counts = {key: sum(1 for a in accounts if a.status == key) for key in ("done", "late", "pending")}
        counts["missing"] = len(state.missing)
        data.append(
            ObligationStatus(
                deadline_id=occurrence.deadline.id,
                what=occurrence.deadline.what.get(lang),
                period=occurrence.period,
                due=occurrence.due,
                escalation_on=state.escalation_on,
                accounts=accounts,
                missing=[
                    MissingAssignee(
                        role=m.role, agency_kind=m.agency_kind, name=who(book, m.role, m.agency_kind, lang)
                    )
                    for m in state.missing
                ],
                counts=counts,
            )
        )
    return ListOf(data=data, count=len(data))
