"""Putting deliveries into the outbox (inside the caller's transaction)."""

from __future__ import annotations

import base64
from collections.abc import Iterable
from typing import Any

from sqlalchemy import insert
from sqlalchemy.engine import Connection
from sqlmodel import Session, col, delete, or_, select

from api.channels import outbox_kind
from api.models import OutboxMessage, Webhook, utcnow

Delivery = dict[str, Any]  # the columns of one outbox row, before defaults


def telegram_delivery(
    *,
    chat_id: str,
    text: str,
    dedupe_key: str,
    purpose: str,
    buttons: list[list[dict[str, str]]] | None = None,
) -> Delivery:
    params: dict[str, Any] = {"chat_id": chat_id, "text": text}
    if buttons:
        params["reply_markup"] = {"inline_keyboard": buttons}
    payload = {"method": "sendMessage", "params": params}
    return {
        "kind": outbox_kind(chat_id),  # a "zalo:<id>" chat goes out through Zalo
        "target": chat_id,
        "payload": payload,
        "dedupe_key": dedupe_key,
        "purpose": purpose,
    }


def telegram_document(
    *, chat_id: str, caption: str, file_name: str, content: bytes, dedupe_key: str, purpose: str
) -> Delivery:
    """A file (the monthly list's PDF) sent with `sendDocument`: the bytes ride in the payload
    (base64; a list is tens of kB), so the dispatcher needs nothing else to send it."""
    payload = {
        "method": "sendDocument",
        "params": {"chat_id": chat_id, "caption": caption[:1024]},
        "document": {"file_name": file_name, "base64": base64.b64encode(content).decode("ascii")},
    }
    return {
        "kind": "telegram",
        "target": chat_id,
        "payload": payload,
        "dedupe_key": dedupe_key,
        "purpose": purpose,
    }


def webhook_delivery(hook_id: int, event: dict[str, Any], dedupe_key: str) -> Delivery:
    return {
        "kind": "webhook",
        "target": str(hook_id),
        "payload": event,
        "dedupe_key": f"{dedupe_key}:wh{hook_id}",
        "purpose": str(event.get("event", "event")),
    }


def enqueue(session: Session, delivery: Delivery) -> None:
    """Add a delivery unless one with the same key exists (idempotent re-enqueue)."""
    known = select(OutboxMessage.id).where(OutboxMessage.dedupe_key == delivery["dedupe_key"])
    if session.exec(known).first() is None:
        session.add(OutboxMessage(**delivery))


def enqueue_new(conn: Connection, deliveries: Iterable[Delivery]) -> None:
    """Add deliveries whose keys name something created in this transaction (so none can exist yet),
    in one statement."""
    now = utcnow()
    rows = [
        {"status": "pending", "attempts": 0, "next_attempt_at": now, "created_at": now, **delivery}
        for delivery in deliveries
    ]
    if rows:
        conn.execute(insert(OutboxMessage), rows)


def telegram_message(
    session: Session,
    *,
    chat_id: str,
    text: str,
    dedupe_key: str,
    purpose: str,
    buttons: list[list[dict[str, str]]] | None = None,
) -> None:
    enqueue(
        session,
        telegram_delivery(
            chat_id=chat_id, text=text, dedupe_key=dedupe_key, purpose=purpose, buttons=buttons
        ),
    )


def webhook_event(
    session: Session, *, account_ids: list[int], event: dict[str, Any], dedupe_key: str
) -> None:
    """One signed delivery per active webhook of the given accounts."""
    if not account_ids:
        return
    hooks = session.exec(
        select(Webhook).where(Webhook.active, col(Webhook.account_id).in_(account_ids))
    ).all()
    for hook in hooks:
        assert hook.id is not None
        enqueue(session, webhook_delivery(hook.id, event, dedupe_key))


def forget_messages(session: Session, key_patterns: list[str]) -> int:
    """Delete the Telegram messages whose dedupe keys match these LIKE patterns (the caller
    commits): an erased person's status updates and follow-ups are never sent, and their chat id
    and references do not stay behind. A message already being sent is not called back."""
    if not key_patterns:
        return 0
    result = session.exec(
        delete(OutboxMessage).where(
            col(OutboxMessage.kind) == "telegram",
            or_(*(col(OutboxMessage.dedupe_key).like(pattern) for pattern in key_patterns)),
        )
    )
    return int(result.rowcount or 0)
