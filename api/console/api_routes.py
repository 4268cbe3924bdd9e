"""`POST /api/v1/me/login-link`: a one-time console sign-in link for the caller.

When the bot asks for an officer's linked chat (`/dangnhap`, `X-Acting-Chat`), the link is sent into
that chat through the outbox and the answer carries no URL: whoever holds the bot's token and knows
a chat id must not get a console session for that officer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, Field

from api.actor import Actor
from api.console import auth
from api.deps import SessionDep, SettingsDep, require_roles
from api.errors import error_responses
from api.outbox import store
from api.roles import Role
from api.sessions import SessionRoute
from content.catalog import get_content
from content.localized import Lang

router = APIRouter(tags=["console"], route_class=SessionRoute)

# The roles whose chat the bot acts for may ask for their own link (admins print one with the CLI).
_SIGNERS = (Role.COMMUNE_POLICE, Role.BANK, Role.COORDINATOR, Role.AGENCY)
SignerDep = Annotated[Actor, Depends(require_roles(*_SIGNERS, acting=True))]


class LoginLinkRequest(BaseModel):
    lang: Lang | None = Field(default=None, description="language of the chat message (the bot's)")


class LoginLinkPublic(BaseModel):
    url: str | None = Field(description="the link; null when it was sent into the linked chat")
    sent_to_chat: bool = Field(description="the link went into the officer's linked Telegram chat")
    valid_minutes: int


@router.post("/me/login-link", response_model=LoginLinkPublic, responses=error_responses(401, 403))
def login_link(
    actor: SignerDep, session: SessionDep, settings: SettingsDep, body: LoginLinkRequest | None = None
) -> LoginLinkPublic:
    account = session.merge(actor.account)
    minutes = int(auth.LINK_VALIDITY.total_seconds() // 60)
    try:
        url = auth.issue_login_link(session, account, settings.base_url)
    except auth.LoginRefused as err:
        raise HTTPException(403, str(err)) from err
    if actor.via is None:
        return LoginLinkPublic(url=url, sent_to_chat=False, valid_minutes=minutes)
    assert account.telegram_chat_id is not None  # acting for a chat means the chat is linked
    lang = body.lang if body and body.lang else account.lang
    text = get_content().leads.console_login_link.get(lang).format(minutes=minutes, url=url)
    store.telegram_message(
        session,
        chat_id=account.telegram_chat_id,
        text=text,
        purpose="login_link",
        dedupe_key=f"login-link:{url.rsplit('/', 1)[-1][:16]}",
    )
    session.commit()
    return LoginLinkPublic(url=None, sent_to_chat=True, valid_minutes=minutes)
