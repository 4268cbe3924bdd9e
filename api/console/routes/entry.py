"""The landing page (`/`), the language switch, sign-in with a one-time link, and sign-out."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from api.console import auth
from api.console.i18n import LANGS
from api.console.web import (
    LANG_COOKIE,
    SESSION_COOKIE,
    ConsoleDep,
    CsrfDep,
    check_csrf,
    lang_of,
    now,
    render_page,
    see_other,
)
from api.core.config import ApiSettings
from api.deps import SessionDep
from api.sessions import SessionRoute, releases_sessions

router = APIRouter(include_in_schema=False, route_class=SessionRoute)
# Before a session exists, the sign-in form is protected by a double-submitted random value.
PRE_COOKIE = "bm_pre"
MAX_TOKEN = 64  # links carry 43 characters


def _secure(request: Request) -> bool:
    settings: ApiSettings = request.app.state.settings
    return settings.base_url.startswith("https://")


@router.get("/", response_class=HTMLResponse)
def landing(request: Request) -> Response:
    settings: ApiSettings = request.app.state.settings
    return render_page(request, "landing.html", lang_of(request), {"bot": settings.bot_username})


@router.get("/console/lang/{code}")
def switch_language(code: str, request: Request, next: str = "/console/") -> Response:
    # A preference, not a change of data: a plain link works from every page.
    target = next if next.startswith("/") and not next.startswith("//") else "/console/"
    response = see_other(target)
    if code in LANGS:
        response.set_cookie(
            LANG_COOKIE, code, max_age=365 * 86400, httponly=True, samesite="lax", secure=_secure(request)
        )
    return response


@router.get("/console/signin", response_class=HTMLResponse)
def signin_help(request: Request) -> Response:
    return render_page(request, "signin.html", lang_of(request), {"out": request.query_params.get("out")})


@router.get("/console/login/{token}", response_class=HTMLResponse)
def login_page(token: str, request: Request) -> Response:
    """Shows a button, and only the button's POST uses the link: a chat app that fetches the link
    for its preview does not use it up."""
    if len(token) > MAX_TOKEN:
        return render_page(request, "login_refused.html", lang_of(request), {}, status=403)
    pre = secrets.token_urlsafe(24)
    response = render_page(request, "login.html", lang_of(request), {"token": token, "pre": pre})
    response.set_cookie(
        PRE_COOKIE, pre, max_age=900, httponly=True, samesite="lax", secure=_secure(request), path="/console/"
    )
    return response


@router.post("/console/login/{token}")
async def login(token: str, request: Request, session: SessionDep) -> Response:
    await check_csrf(request, request.cookies.get(PRE_COOKIE, ""))
    if len(token) > MAX_TOKEN:
        return render_page(request, "login_refused.html", lang_of(request), {}, status=403)
    try:
        # Database work off the event loop (this route is async for the form check above); the
        # session is closed on that same thread (api/sessions.py), not left for the event loop.
        redeem = releases_sessions(auth.redeem_login_link)
        opened = await run_in_threadpool(redeem, session, token, now(request))
    except auth.LoginRefused:
        return render_page(request, "login_refused.html", lang_of(request), {}, status=403)
    response = see_other("/console/")
    response.set_cookie(
        SESSION_COOKIE,
        opened.token,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        path="/",
        max_age=int(auth.IDLE_EXPIRY.total_seconds()),
    )
    response.delete_cookie(PRE_COOKIE, path="/console/")
    return response


@router.post("/console/logout")
def logout(console: CsrfDep, session: SessionDep, request: Request) -> Response:
    auth.end_session(session, session.merge(console.session_row), now(request))
    response = see_other("/console/signin?out=1")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/console/whoami")
def whoami(console: ConsoleDep) -> dict[str, str | int]:
    """For scripts and tests: who this browser is signed in as."""
    return {"account_id": console.actor.id, "role": console.actor.role.value}
