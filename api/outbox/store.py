"""Putting deliveries into the outbox (inside the caller's transaction)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from api.models import OutboxMessage, Webhook


def enqueue(
    session: Session, *, kind: str, target: str, payload: dict[str, Any], dedupe_key: str, purpose: str
) -> None:
    """Add a delivery unless one with the same key exists (idempotent re-enqueue)."""
    exists = session.exec(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)).first()
    if exists is None:
        session.add(
            OutboxMessage(kind=kind, target=target, payload=payload, dedupe_key=dedupe_key, purpose=purpose)
        )


def telegram_message(
    session: Session,
    *,
    chat_id: str,
    text: str,
    dedupe_key: str,
    purpose: str,
    buttons: list[list[dict[str, str]]] | None = None,
) -> None:
    params: dict[str, Any] = {"chat_id": chat_id, "text": text}
    if buttons:
        params["reply_markup"] = {"inline_keyboard": buttons}
    enqueue(
        session,
        kind="telegram",
        target=chat_id,
        payload={"method": "sendMessage", "params": params},
        dedupe_key=dedupe_key,
        purpose=purpose,
    )


def webhook_event(
    session: Session, *, account_ids: list[int], event: dict[str, Any], dedupe_key: str
) -> None:
    """One signed delivery per active webhook of the given accounts."""
    if not account_ids:
        return
    hooks = session.exec(
        select(Webhook).where(Webhook.active, Webhook.account_id.in_(account_ids))  # type: ignore[attr-defined]
    ).all()
    for hook in hooks:
        enqueue(
            session,
            kind="webhook",
            target=str(hook.id),
            payload=event,
            dedupe_key=f"{dedupe_key}:wh{hook.id}",
            purpose=str(event.get("event", "event")),
        )
