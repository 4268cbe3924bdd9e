"""`/api/v1/calendar.ics`: an account's deadlines as an iCalendar feed to subscribe to."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.deps import SessionDep
from api.errors import error_responses
from api.models import Account, utcnow
from api.reminders.calendar import feed
from api.reminders.clock import local_today
from api.roles import Role
from api.services.accounts import account_by_token
from api.sessions import SessionRoute, releases_sessions
from content.catalog import get_content
from content.localized import Lang

router = APIRouter(tags=["reminders"], route_class=SessionRoute)

ICS = "text/calendar"
FEED_ROLES = {Role.COMMUNE_POLICE, Role.BANK, Role.AGENCY, Role.COORDINATOR, Role.ADMIN}
_bearer = HTTPBearer(auto_error=False, description="API token (`buocmoi accounts create`)")


@releases_sessions
def calendar_account(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    token: Annotated[
        str | None,
        Query(
            min_length=1, max_length=200, description="the account's API token, when no header can be sent"
        ),
    ] = None,
) -> Account:
    # Calendar apps (Google Calendar, Outlook, iOS) subscribe to a bare URL and cannot send an
    # Authorization header, so this one read-only route also takes the token in the query string.
    # Everywhere else a token in a URL is refused: URLs end up in logs and browser histories.
    secret = credentials.credentials if credentials and credentials.scheme.lower() == "bearer" else token
    if not secret:
        raise HTTPException(401, "missing token", headers={"WWW-Authenticate": "Bearer"})
    account = account_by_token(session, secret)
    if account is None:
        raise HTTPException(401, "unknown or revoked token", headers={"WWW-Authenticate": "Bearer"})
    if Role(account.role) not in FEED_ROLES:
        raise HTTPException(403, f"role {account.role} has no deadlines")
    return account


@router.get(
    "/calendar.ics",
    response_class=Response,
    responses={
        200: {"content": {ICS: {}}, "description": "an iCalendar (RFC 5545) file"},
        **error_responses(401, 403, 422),
    },
)
def calendar_feed(
    account: Annotated[Account, Depends(calendar_account)],
    lang: Annotated[Lang | None, Query(description="default: the account's language")] = None,
) -> Response:
    """The due dates of the calling account's obligations for the next 12 months (all obligations
    for the coordinator and admin), one all-day event each with the reminder's words, plus an event
    on the working day before when a due date falls on a weekend or public holiday. Subscribe with
    `https://<host>/api/v1/calendar.ics?token=<token>`."""
    book = get_content().deadlines
    body = feed(book, account, local_today(book, utcnow()), lang or account.lang)
    return Response(
        body,
        media_type=f"{ICS}; charset=utf-8",
        headers={"Content-Disposition": 'inline; filename="buocmoi.ics"'},
    )
