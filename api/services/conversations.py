"""Dialogue state for the bot, read and written on a plain connection.

The bot reads the state before and writes it after every message a person sends, so these are the
API's busiest calls after intake: one worker-thread hop and one or two statements each, no ORM
session. The caller's actor may come from `ActorCache`; each call re-checks that the account is still
active, so a revoked token stops at once.

A version is opaque to callers: it changes on every write, and a new conversation starts at a
random one, so a copy a worker kept of a conversation that was since forgotten and started again
can never pass for the new one.

Each intake account (front door) has its own conversations: another one neither reads, overwrites
nor deletes them.
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import and_, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete

from api.actor import AccountRevoked
from api.models import Account, Conversation, utcnow

_conversation = Conversation.__table__  # type: ignore[attr-defined]
_account = Account.__table__  # type: ignore[attr-defined]


FIRST_VERSIONS = 2**30  # a new conversation's version is drawn below this (the column holds 2**31)


class StaleVersion(Exception):
    """The conversation changed since the version the caller read."""


def read_state(
    engine: Engine, account_id: int, channel: str, channel_user: str
) -> tuple[dict[str, Any], int]:
    """(state, version) of this intake account's conversation; ({}, 0) for one not started."""
    here = and_(
        _conversation.c.account_id == _account.c.id,
        _conversation.c.channel == channel,
        _conversation.c.channel_user == channel_user,
    )
    query = (
        select(_account.c.active, _conversation.c.state, _conversation.c.version)
        .select_from(_account.outerjoin(_conversation, here))
        .where(_account.c.id == account_id)
    )
    with engine.connect() as conn:
        row = conn.execute(query).first()
    if row is None or not row.active:
        raise AccountRevoked
    return (row.state, row.version) if row.version is not None else ({}, 0)


def write_state(
    engine: Engine, account_id: int, channel: str, channel_user: str, state: dict[str, Any], version: int
) -> int:
    """Store `state` over `version` (0: a new conversation); returns the new version."""
    with engine.connect() as conn:
        _check_active(conn, account_id)
        if version == 0:
            written = 1 + secrets.randbelow(FIRST_VERSIONS)
            try:
                conn.execute(
                    insert(_conversation).values(
                        account_id=account_id,
                        channel=channel,
                        channel_user=channel_user,
                        state=state,
                        version=written,
                        updated_at=utcnow(),
                    )
                )
            except IntegrityError:  # started meanwhile by another worker
                conn.rollback()
                raise StaleVersion from None
        else:
            written = version + 1
            result = conn.execute(
                update(_conversation)
                .where(
                    _conversation.c.account_id == account_id,
                    _conversation.c.channel == channel,
                    _conversation.c.channel_user == channel_user,
                    _conversation.c.version == version,
                )
                .values(state=state, version=written, updated_at=utcnow())
            )
            if result.rowcount != 1:
                conn.rollback()
                raise StaleVersion
        conn.commit()
    return written


def forget(session: Session, account_id: int, channel: str, channel_user: str) -> int:
    """Delete this intake account's conversation with the person (the caller commits)."""
    result = session.exec(
        delete(Conversation).where(
            col(Conversation.account_id) == account_id,
            col(Conversation.channel) == channel,
            col(Conversation.channel_user) == channel_user,
        )
    )
    return int(result.rowcount or 0)


def _check_active(conn: Connection, account_id: int) -> None:
    if not conn.execute(select(_account.c.active).where(_account.c.id == account_id)).scalar():
        raise AccountRevoked
