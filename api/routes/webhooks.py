"""`/api/v1/webhooks`: an agency system registers a URL to receive signed lead events."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status
from pydantic import AnyHttpUrl, BaseModel, ConfigDict
from sqlmodel import col, select

from api.actor import Actor
from api.deps import SessionDep, SettingsDep, require_roles
from api.errors import error_responses
from api.models import Webhook
from api.outbox.egress import UnsafeReceiver, check_receiver_url
from api.roles import Role
from api.schemas import ListOf, RowIdPath
from api.sessions import SessionRoute

router = APIRouter(prefix="/webhooks", tags=["webhooks"], route_class=SessionRoute)

SubscriberDep = Annotated[
    Actor, Depends(require_roles(Role.ADMIN, Role.COMMUNE_POLICE, Role.BANK, Role.AGENCY, Role.COORDINATOR))
]


class WebhookCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: AnyHttpUrl


class WebhookPublic(BaseModel):
    id: int
    url: str
    active: bool


class WebhookCreated(WebhookPublic):
    secret: str  # shown once: receivers verify X-BuocMoi-Signature with it


@router.post(
    "",
    response_model=WebhookCreated,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(401, 403, 422),
)
def register(
    body: WebhookCreate, actor: SubscriberDep, session: SessionDep, settings: SettingsDep
) -> WebhookCreated:
    """The URL must reach a public address: loopback, private, link-local (cloud metadata),
    multicast and unspecified addresses are refused (422), also when a name resolves to one.
    Every delivery checks the address again."""
    url = str(body.url)
    if len(url) > 500:
        raise HTTPException(422, "url is too long")
    try:
        check_receiver_url(url, allow_loopback=settings.webhook_allow_loopback)
    except UnsafeReceiver as err:
        raise HTTPException(422, f"url: {err}") from None
    hook = Webhook(account_id=actor.id, url=url, secret=secrets.token_hex(32))
    session.add(hook)
    session.commit()
    session.refresh(hook)
    assert hook.id is not None
    return WebhookCreated(id=hook.id, url=hook.url, active=hook.active, secret=hook.secret)


@router.get("", response_model=ListOf[WebhookPublic], responses=error_responses(401, 403))
def mine(actor: SubscriberDep, session: SessionDep) -> ListOf[WebhookPublic]:
    hooks = session.exec(
        select(Webhook).where(Webhook.account_id == actor.id).order_by(col(Webhook.id))
    ).all()
    data = [WebhookPublic(id=h.id or 0, url=h.url, active=h.active) for h in hooks]
    return ListOf(data=data, count=len(data))


@router.delete(
    "/{webhook_id}", status_code=status.HTTP_204_NO_CONTENT, responses=error_responses(401, 403, 404)
)
def remove(webhook_id: RowIdPath, actor: SubscriberDep, session: SessionDep) -> None:
    hook = session.get(Webhook, webhook_id)
    if hook is None or hook.account_id != actor.id:
        raise HTTPException(404, "no such webhook")
    hook.active = False
    session.add(hook)
    session.commit()
