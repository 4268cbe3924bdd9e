"""Sends due outbox rows: claims them (safe with several processes), delivers, records the result.

Claiming is one conditional UPDATE per row (`claimed_until` lease), which is atomic on SQLite and
PostgreSQL alike, so two dispatchers never send the same row at the same time. A crash after a send
and before recording it leads to one more attempt once the lease expires: delivery is at least once,
and receivers de-duplicate (Telegram messages carry the lead reference; webhooks a delivery id).

Webhooks go in a lane of their own: each delivery runs as a task that `run_once` does not wait
for, has a total deadline (a receiver trickling its answer a byte at a time is cut off), and at
most `PER_RECEIVER` go to one receiver at a time. A receiver that timed out or could not be
reached is left alone for a while (its other rows are deferred, not counted as attempts). So one
slow receiver never delays Telegram messages nor any other receiver. Every webhook is sent only
to an address checked at that moment (api/outbox/egress.py).
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime, timedelta

import httpx
from aiolimiter import AsyncLimiter
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, or_, select, update

from api.channels import zalo_chat
from api.models import OutboxMessage, Webhook, utcnow
from api.outbox.egress import UnresolvedReceiver, UnsafeReceiver, resolve_receiver
from api.outbox.pacing import Pacer
from api.outbox.senders import (
    Deferred,
    Delivered,
    Failed,
    Outcome,
    RetryLater,
    send_telegram,
    send_webhook,
    send_zalo,
    zalo_text,
)

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 15
LEASE = timedelta(seconds=120)
BASE_BACKOFF_SECONDS = 5.0
MAX_BACKOFF_SECONDS = 3600.0
# A webhook receiver has this long in all (resolve, connect, send, answer) per delivery.
WEBHOOK_DEADLINE_SECONDS = 20.0
PER_RECEIVER = 2
# After a receiver timed out or was unreachable, its other queued rows wait this long.
RECEIVER_REST_SECONDS = 30.0


def backoff_seconds(attempts: int, base: float = BASE_BACKOFF_SECONDS) -> float:
    """5 s, 10 s, 20 s, ... capped at an hour, with jitter so retries do not arrive in waves."""
    delay = min(base * 2 ** max(attempts - 1, 0), MAX_BACKOFF_SECONDS)
    return delay * random.uniform(0.8, 1.2)


class Dispatcher:
    def __init__(
        self,
        engine: Engine,
        *,
        telegram_token: str | None,
        telegram_base_url: str,
        client: httpx.AsyncClient,
        messages_per_second: float = 29.0,
        batch_size: int = 300,
        concurrency: int = 20,
        base_backoff_seconds: float = BASE_BACKOFF_SECONDS,
        webhook_deadline_seconds: float = WEBHOOK_DEADLINE_SECONDS,
        webhook_concurrency: int = 50,
        allow_loopback_webhooks: bool = False,
        zalo_token: str | None = None,
        zalo_api_root: str = "https://bot-api.zaloplatforms.com",
        zalo_messages_per_second: float = 20.0,
    ) -> None:
        self.base_backoff_seconds = base_backoff_seconds
        self.engine = engine
        self.telegram_token = telegram_token
        self.telegram_base_url = telegram_base_url
        self.client = client
        self.batch_size = batch_size
        # Telegram allows about 30 messages a second overall: space sends evenly rather than in
        # bursts, so no one-second window ever holds more than the limit.
        self.overall = Pacer(messages_per_second)
        self.per_chat: OrderedDict[str, AsyncLimiter] = OrderedDict()
        self.semaphore = asyncio.Semaphore(concurrency)
        self.paused_until: datetime | None = None
        self.webhook_deadline = webhook_deadline_seconds
        self.allow_loopback_webhooks = allow_loopback_webhooks
        self.webhook_slots = asyncio.Semaphore(webhook_concurrency)
        self.per_receiver: dict[str, asyncio.Semaphore] = {}
        self.resting_until: dict[str, float] = {}  # receiver (webhook id) -> loop time
        self.in_flight: set[asyncio.Task[None]] = set()
        self.zalo_token = zalo_token
        self.zalo_api_root = zalo_api_root
        # Zalo publishes no per-bot figure; an even pace below Telegram's, 1 a second per chat, and
        # its 429s honoured (docs/notes/zalo.md).
        self.zalo_overall = Pacer(zalo_messages_per_second)
        # Set by the Zalo bot of this process (bot/channels/zalo.py): the numbered choices it sent.
        self.zalo_sent: Callable[[str, list[list[dict[str, str]]]], None] | None = None

    # -- claiming (blocking DB calls run in a worker thread) --

    def _claim(self, now: datetime) -> list[OutboxMessage]:
        kinds = (
            ["webhook"]
            + (["telegram"] if self.telegram_token else [])
            + (["zalo"] if self.zalo_token else [])
        )
        with Session(self.engine, expire_on_commit=False) as session:
            candidates = session.exec(
                select(OutboxMessage.id)
                .where(
                    OutboxMessage.status == "pending",
                    col(OutboxMessage.kind).in_(kinds),
                    col(OutboxMessage.next_attempt_at) <= now,
                    or_(col(OutboxMessage.claimed_until).is_(None), col(OutboxMessage.claimed_until) < now),
                )
                .order_by(col(OutboxMessage.next_attempt_at), col(OutboxMessage.id))
                .limit(self.batch_size)
            ).all()
            if not candidates:
                return []
            # One conditional UPDATE claims the batch: a row another dispatcher claimed meanwhile no
            # longer matches the WHERE (PostgreSQL re-checks it on the locked row), so it is skipped.
            claimed = (
                session.execute(
                    update(OutboxMessage)
                    .where(
                        col(OutboxMessage.id).in_(candidates),
                        col(OutboxMessage.status) == "pending",
                        or_(
                            col(OutboxMessage.claimed_until).is_(None), col(OutboxMessage.claimed_until) < now
                        ),
                    )
                    .values(claimed_until=now + LEASE)
                    .returning(col(OutboxMessage.id))
                )
                .scalars()
                .all()
            )
            session.commit()
            ids = set(claimed)
            rows = session.exec(
                select(OutboxMessage).where(col(OutboxMessage.id).in_(ids)).order_by(col(OutboxMessage.id))
            ).all()
            return list(rows)

    def _record(self, row_id: int, outcome: Outcome) -> None:
        with Session(self.engine) as session:
            row = session.get(OutboxMessage, row_id)
            if row is None:
                return
            now = utcnow()
            row.claimed_until = None
            if isinstance(outcome, Deferred):  # not tried: no attempt counted
                row.next_attempt_at = now + timedelta(seconds=outcome.after_seconds)
                session.add(row)
                session.commit()
                return
            row.attempts += 1
            if isinstance(outcome, Delivered):
                row.status, row.sent_at, row.last_error = "sent", now, None
            elif isinstance(outcome, Failed) or row.attempts >= MAX_ATTEMPTS:
                row.status, row.last_error = "dead", outcome.error[:500]
                log.warning(
                    "delivery given up",
                    extra={"outbox_id": row.id, "purpose": row.purpose, "attempts": row.attempts},
                )
            else:
                wait = (
                    outcome.after_seconds
                    if outcome.after_seconds is not None
                    else backoff_seconds(row.attempts, self.base_backoff_seconds)
                )
                row.next_attempt_at = now + timedelta(seconds=wait)
                row.last_error = outcome.error[:500]
            session.add(row)
            session.commit()

    def _webhook(self, webhook_id: str) -> Webhook | None:
        with Session(self.engine, expire_on_commit=False) as session:
            hook = session.get(Webhook, int(webhook_id)) if webhook_id.isdigit() else None
            return hook if hook is not None and hook.active else None

    # -- sending --

    async def run_once(self) -> int:
        """Send what is due now; returns how many rows were attempted."""
        if self.paused_until is not None and utcnow() < self.paused_until:
            return 0
        rows = await asyncio.to_thread(self._claim, utcnow())
        claimed_at = asyncio.get_running_loop().time()
        for row in rows:
            if row.kind == "webhook":  # their own lane: not awaited here
                task = asyncio.create_task(self._deliver_webhook(row, claimed_at))
                self.in_flight.add(task)
                task.add_done_callback(self.in_flight.discard)
        await asyncio.gather(*(self._deliver(row) for row in rows if row.kind != "webhook"))
        return len(rows)

    async def aclose(self, grace_seconds: float = 1.0) -> None:
        """Stop the webhook lane: a delivery still running after the grace is cancelled (its row's
        lease expires and it is sent again later: at least once)."""
        if self.in_flight:
            _done, pending = await asyncio.wait(set(self.in_flight), timeout=grace_seconds)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)

    async def _deliver_webhook(self, row: OutboxMessage, claimed_at: float) -> None:
        loop = asyncio.get_running_loop()
        receiver = row.target
        try:
            async with self._receiver_slot(receiver), self.webhook_slots:
                rest = self.resting_until.get(receiver, 0.0) - loop.time()
                if rest > 0:
                    outcome: Outcome = Deferred("receiver resting", rest)
                elif loop.time() - claimed_at > LEASE.total_seconds() - self.webhook_deadline - 5:
                    # Waited so long behind its receiver that the lease may run out mid-send.
                    outcome = Deferred("waited too long for its receiver")
                else:
                    outcome = await self._send_webhook_row(row)
                    if isinstance(outcome, RetryLater) and outcome.error.startswith(("deadline", "network")):
                        self.resting_until[receiver] = loop.time() + RECEIVER_REST_SECONDS
                    elif receiver in self.resting_until and not isinstance(outcome, RetryLater):
                        del self.resting_until[receiver]
        except Exception as err:  # a bug in one delivery must not stop the others
            log.exception("delivery crashed", extra={"outbox_id": row.id})
            outcome = RetryLater(f"internal: {type(err).__name__}")
        assert row.id is not None
        await asyncio.to_thread(self._record, row.id, outcome)

    def _receiver_slot(self, receiver: str) -> asyncio.Semaphore:
        slot = self.per_receiver.get(receiver)
        if slot is None:
            slot = self.per_receiver[receiver] = asyncio.Semaphore(PER_RECEIVER)
            if len(self.per_receiver) > 10_000:  # forget idle receivers
                for key in [k for k, s in self.per_receiver.items() if not s.locked()][:5_000]:
                    del self.per_receiver[key]
        return slot

    async def _send_webhook_row(self, row: OutboxMessage) -> Outcome:
        hook = await asyncio.to_thread(self._webhook, row.target)
        if hook is None:
            return Failed("webhook removed")
        try:
            async with asyncio.timeout(self.webhook_deadline):
                try:
                    receiver = await resolve_receiver(hook.url, allow_loopback=self.allow_loopback_webhooks)
                except UnsafeReceiver as err:
                    return Failed(f"refused: {err}")
                except UnresolvedReceiver as err:
                    return RetryLater(f"network: {err}")
                return await send_webhook(
                    self.client, hook.url, hook.secret, row.dedupe_key, row.payload, address=receiver.address
                )
        except TimeoutError:
            return RetryLater(f"deadline: no answer within {self.webhook_deadline:.0f} s")

    async def _deliver(self, row: OutboxMessage) -> None:
        async with self.semaphore:
            try:
                outcome = await self._send(row)
            except Exception as err:  # a bug in one delivery must not stop the others
                log.exception("delivery crashed", extra={"outbox_id": row.id})
                outcome = RetryLater(f"internal: {type(err).__name__}")
            assert row.id is not None
            await asyncio.to_thread(self._record, row.id, outcome)

    async def _send(self, row: OutboxMessage) -> Outcome:
        if row.kind == "telegram":
            assert self.telegram_token is not None
            # The chat's own limit first: a slot of the overall pace is not held while it waits.
            async with self._chat_limiter(row.target):
                await self.overall.wait()
                outcome = await send_telegram(
                    self.client, self.telegram_base_url, self.telegram_token, row.payload
                )
            if isinstance(outcome, RetryLater) and outcome.after_seconds is not None:
                # Telegram's flood control applies to the whole bot: hold every send.
                self.paused_until = utcnow() + timedelta(seconds=outcome.after_seconds)
            return outcome
        if row.kind == "webhook":
            return await self._send_webhook_row(row)
        if row.kind == "zalo":
            return await self._send_zalo(row)
        return Failed(f"unknown kind {row.kind}")

    async def _send_zalo(self, row: OutboxMessage) -> Outcome:
        assert self.zalo_token is not None
        text, rows = zalo_text(dict(row.payload.get("params") or {}))
        async with self._chat_limiter(row.target):
            await self.zalo_overall.wait()
            outcome = await send_zalo(
                self.client, self.zalo_api_root, self.zalo_token, zalo_chat(row.target), text
            )
        if isinstance(outcome, Delivered) and rows and self.zalo_sent is not None:
            self.zalo_sent(row.target, rows)
        return outcome

    def _chat_limiter(self, chat_id: str) -> AsyncLimiter:
        limiter = self.per_chat.get(chat_id)
        if limiter is None:
            limiter = self.per_chat[chat_id] = AsyncLimiter(1, 1)
            if len(self.per_chat) > 10_000:
                self.per_chat.popitem(last=False)
        self.per_chat.move_to_end(chat_id)
        return limiter
