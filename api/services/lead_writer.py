"""Group commit for new leads: the leads that arrive while one batch commits go into the next one.

Why: a lead is a small transaction. On SQLite, concurrent writers queue on one file lock (and the
busy handler sleeps between tries); on PostgreSQL every commit is a round trip and a WAL flush.
One writer that stores whatever is waiting in a single transaction removes the lock waits and
shares the commit between the leads, so intake keeps up with a plain insert of the same rows.
A request still gets its answer only after its own lead is committed.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence

from anyio import to_thread
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from api.actor import AccountRevoked
from api.models import Lead
from api.services import assisted_join
from api.services.leads import NewLead, create_leads, insert_new_leads
from api.services.notify import Watchers, watchers_of

MAX_BATCH = 64
# Loop rounds without a new lead before a batch is written (a request takes about that many rounds
# from its bytes arriving to reaching the writer), and the most rounds a batch waits in all.
QUIET_ROUNDS = 3
MAX_GATHER_ROUNDS = 32


Stored = tuple[Lead, bool]
Pending = tuple[NewLead, "asyncio.Future[Stored]"]


class LeadWriter:
    """`await writer.create(item)` → (lead, created). One writer task per event loop."""

    def __init__(self, engine: Engine, max_batch: int = MAX_BATCH) -> None:
        self._engine = engine
        insert_new_leads(engine.dialect.name)  # built (and its dialect imported) at start, once
        self._max_batch = max_batch
        self._pending: list[Pending] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wakeup: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None

    async def create(self, item: NewLead) -> Stored:
        loop = asyncio.get_running_loop()
        if self._loop is not loop or self._task is None or self._task.done():
            self._start(loop)
        assert self._wakeup is not None
        future: asyncio.Future[Stored] = loop.create_future()
        self._pending.append((item, future))
        self._wakeup.set()
        return await future

    async def close(self) -> None:
        task, self._task = self._task, None
        if task is not None and task.get_loop() is asyncio.get_running_loop():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def _start(self, loop: asyncio.AbstractEventLoop) -> None:
        # A new loop (a test client, a restarted app) gets its own task; what waited on an old
        # loop is gone with it.
        self._loop = loop
        self._pending = []
        self._wakeup = asyncio.Event()
        self._task = loop.create_task(self._run(), name="lead-writer")

    async def _run(self) -> None:
        assert self._wakeup is not None
        while True:
            await self._wakeup.wait()
            self._wakeup.clear()
            while self._pending:
                await self._gather()
                batch = self._pending[: self._max_batch]
                del self._pending[: self._max_batch]
                await self._write(batch)

    async def _gather(self) -> None:
        """Let the requests the loop is already reading join this batch: keep yielding to the loop
        while new leads keep arriving, and stop after a few rounds without one. A lone request
        waits only those few loop rounds (microseconds); concurrent ones share one commit instead
        of trickling in one or two per batch."""
        quiet = 0
        for _ in range(MAX_GATHER_ROUNDS):
            seen = len(self._pending)
            await asyncio.sleep(0)
            quiet = quiet + 1 if len(self._pending) == seen else 0
            if quiet >= QUIET_ROUNDS or len(self._pending) >= self._max_batch:
                return

    async def _write(self, batch: list[Pending]) -> None:
        try:
            results = await to_thread.run_sync(self._store, [item for item, _ in batch])
        except Exception as err:  # the database is down, say: every waiting request gets the error
            for _, future in batch:
                if not future.done():
                    future.set_exception(err)
            return
        for (_, future), result in zip(batch, results, strict=True):
            if future.done():  # the client has gone; its lead is stored all the same
                continue
            if isinstance(result, Exception):
                future.set_exception(result)
            else:
                future.set_result(result)

    def _store(self, items: Sequence[NewLead]) -> list[Stored | Exception]:
        # A plain connection, not an ORM session: a few statements per batch, on the hot path.
        with self._engine.connect() as conn:
            # Callers may come from a token cache (`get_cached_actor`): a revoked account stops
            # here. The same query finds who must be told about the new leads.
            authors = {item.actor.id for item in items}
            watchers = watchers_of(conn, {item.body.commune_code for item in items}, authors)
            allowed = [item for item in items if item.actor.id in watchers.authors]
            # A person an officer already referred in the console is NOT joined to that referral by
            # the phone alone: anyone who knows a number could then read and erase that person's
            # referral through the bot. Their own referral is stored, and the officer sees the
            # same-phone warning on both (`assisted_join.JOIN_BY_PHONE`; a join needs a proof only
            # the person has, e.g. a code printed on the paper form: not built yet).
            joined = assisted_join.join(conn, allowed) if allowed and assisted_join.JOIN_BY_PHONE else {}
            rest = [item for i, item in enumerate(allowed) if i not in joined]
            stored = iter(self._store_allowed(conn, rest, watchers) if rest else [])
            answers = iter(
                assisted_join.JoinedAssisted(joined[i]) if i in joined else next(stored)
                for i in range(len(allowed))
            )
            return [
                next(answers) if item.actor.id in watchers.authors else AccountRevoked() for item in items
            ]

    @staticmethod
    def _store_allowed(
        conn: Connection, items: Sequence[NewLead], watchers: Watchers
    ) -> Sequence[Stored | Exception]:
        try:
            results = create_leads(conn, items, watchers)
            conn.commit()
            return results
        except IntegrityError:
            # A constraint other than the idempotency key (which the insert skips) failed: one
            # transaction per lead, so one lead's problem is only that lead's.
            conn.rollback()
        one_by_one: list[Stored | Exception] = []
        for item in items:
            try:
                one_by_one.append(create_leads(conn, [item], watchers)[0])
                conn.commit()
            except Exception as err:
                conn.rollback()
                one_by_one.append(err)
        return one_by_one
