"""`POST /api/v1/me/login-link`: a one-time console sign-in link for the caller, which the bot asks
for an officer's linked chat (`/dangnhap`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel

from api.actor import Actor
from api.console import auth
from api.deps import SessionDep, SettingsDep, require_roles
from api.errors import error_responses
from api.roles import Role
from api.sessions import SessionRoute

router = APIRouter(tags=["console"], route_class=SessionRoute)

# The roles whose chat the bot acts for may ask for their own link (admins print one with the CLI).
_SIGNERS = (Role.COMMUNE_POLICE, Role.BANK, Role.COORDINATOR, Role.AGENCY)
SignerDep = Annotated[Actor, Depends(require_roles(*_SIGNERS, acting=True))]


class LoginLinkPublic(BaseModel):
    url: str
    valid_minutes: int


@router.post("/me/login-link", response_model=LoginLinkPublic, responses=error_responses(401, 403))
def login_link(actor: SignerDep, session: SessionDep, settings: SettingsDep) -> LoginLinkPublic:
    account = session.merge(actor.account)
    try:
        url = auth.issue_login_link(session, account, settings.base_url)
    except auth.LoginRefused as err:
        raise HTTPException(403, str(err)) from err
    return LoginLinkPublic(url=url, valid_minutes=int(auth.LINK_VALIDITY.total_seconds() // 60))
