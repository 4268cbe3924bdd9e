"""The background loop of `serve`: deliver the outbox continuously, run slower jobs periodically,
and (when asked) the scheduler: reminders every minute, escalation of unreceived referrals with the
slower jobs."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from datetime import datetime

import httpx
from fastapi import FastAPI
from sqlalchemy.engine import Engine
from sqlmodel import Session

from api.core.config import ApiSettings
from api.jobs.escalation import escalate_unreceived
from api.jobs.retention import anonymise_expired, forget_idle_conversations
from api.main import Extension
from api.outbox.dispatcher import Dispatcher
from api.reminders.clock import Clock, fixed_clock, system_clock
from api.reminders.scheduler import ReminderScheduler

log = logging.getLogger(__name__)

SLOW_JOB_INTERVAL_SECONDS = 600.0
IDLE_POLL_SECONDS = 1.0


def _session_job(engine: Engine, job: Callable[[Session, datetime], int], clock: Clock) -> Callable[[], int]:
    def run() -> int:
        with Session(engine) as session:
            return job(session, clock())

    return run


def settings_clock(settings: ApiSettings) -> Clock:
    """The fixed moment of `BUOCMOI_CLOCK` when set, else the system clock."""
    if settings.clock is None:
        return system_clock
    log.warning(
        "the scheduler runs at a fixed moment (BUOCMOI_CLOCK)", extra={"at": settings.clock.isoformat()}
    )
    return fixed_clock(settings.clock)


async def _loop(
    dispatcher: Dispatcher,
    slow_jobs: list[Callable[[], int]],
    stop: asyncio.Event,
    extra: list[Callable[[], Awaitable[int]]],
) -> None:
    loop = asyncio.get_running_loop()
    next_slow = loop.time()
    while not stop.is_set():
        try:
            if loop.time() >= next_slow:
                for job in slow_jobs:
                    await asyncio.to_thread(job)
                next_slow = loop.time() + SLOW_JOB_INTERVAL_SECONDS
            for step in extra:
                await step()
            sent = await dispatcher.run_once()
        except Exception:  # the loop must survive a database outage and carry on afterwards
            log.exception("background job failed; retrying shortly")
            sent = 0
        if not sent:
            with suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), IDLE_POLL_SECONDS)


def worker_extension(
    settings: ApiSettings,
    extra: list[Callable[[], Awaitable[int]]] | None = None,
    *,
    reminders: bool = False,
    clock: Clock | None = None,
) -> Extension:
    """A lifespan extension (see `api.main.create_app`) that runs the background loop; with
    `reminders`, the scheduler too: agency reminders and follow-ups (`api.reminders.scheduler`) and
    the escalation of unreceived referrals (`api.jobs.escalation`). The scheduler reads `clock`
    (default: the settings' `BUOCMOI_CLOCK`, else the system time), never the system time itself."""

    @asynccontextmanager
    async def extension(app: FastAPI) -> AsyncIterator[None]:
        engine: Engine = app.state.engine
        token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else None
        async with httpx.AsyncClient(timeout=httpx.Timeout(15.0)) as client:
            dispatcher = Dispatcher(
                engine,
                telegram_token=token,
                telegram_base_url=settings.telegram_api_base_url,
                client=client,
                allow_loopback_webhooks=settings.webhook_allow_loopback,
                zalo_token=settings.zalo_bot_token.get_secret_value() if settings.zalo_bot_token else None,
                zalo_api_root=settings.zalo_api_base_url,
            )
            app.state.dispatcher = dispatcher
            stop = asyncio.Event()
            now = clock or settings_clock(settings)
            # Retention always reads the system time: a clock set ahead must never erase data early.
            slow = [
                _session_job(engine, anonymise_expired, system_clock),
                _session_job(engine, forget_idle_conversations, system_clock),
            ]
            steps = list(extra or [])
            if reminders:
                slow.insert(0, _session_job(engine, escalate_unreceived, now))
                steps.append(ReminderScheduler(engine, now, base_url=settings.base_url).step)
            task = asyncio.create_task(_loop(dispatcher, slow, stop, steps))
            try:
                yield
            finally:
                stop.set()
                await task
                await dispatcher.aclose()

    return extension
