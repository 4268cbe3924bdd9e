"""The FastAPI application: routes, error shape, and the lifespan that owns the engine."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from anyio import to_thread
from fastapi import Depends, FastAPI
from sqlalchemy.engine import Engine

from api.actor import ActorCache
from api.console import mount as mount_console
from api.core.config import ApiSettings
from api.core.db import BACKGROUND_THREADS, WORKER_THREADS, make_engine
from api.docs import install_docs
from api.errors import install_error_handlers
from api.guards import BodyLimit, ErrorGuard, document_shared_errors, refuse_unknown_query
from api.routes import (
    accounts,
    admin,
    calendar,
    communes,
    conversations,
    exports,
    followups,
    health,
    leads,
    monthly_lists,
    obligations,
    people,
    reports,
    webhooks,
)
from api.services.lead_writer import LeadWriter

API_PREFIX = "/api/v1"

# Extra start/stop work (the bot, the scheduler) plugged in by the composition module.
Extension = Callable[[FastAPI], AbstractAsyncContextManager[None]]


def create_app(
    settings: ApiSettings | None = None,
    engine: Engine | None = None,
    extensions: list[Extension] | None = None,
) -> FastAPI:
    settings = settings or ApiSettings()
    own_engine = engine is None
    engine = engine or make_engine(settings.database_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Sync routes run in a thread pool; a small pool is plenty for a database-bound service
        # and keeps memory down (each busy thread grows its own allocator arena). Both pools are
        # bounded because the connection pool is sized to them (`api.core.db`).
        to_thread.current_default_thread_limiter().total_tokens = WORKER_THREADS
        asyncio.get_running_loop().set_default_executor(
            ThreadPoolExecutor(BACKGROUND_THREADS, thread_name_prefix="background")
        )
        try:
            async with _run_extensions(app, extensions or []):
                yield
        finally:
            await app.state.lead_writer.close()
            if own_engine:
                engine.dispose()

    app = FastAPI(
        title="Bước Mới API",
        version="1.0.0",
        description="Referrals (leads) to commune police and NHCSXH, reminders to agencies.",
        lifespan=lifespan,
        # Served from the app itself (api/docs.py): no page of ours loads anything from outside.
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(refuse_unknown_query)],
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.lead_writer = LeadWriter(engine)
    app.state.actor_cache = ActorCache()
    install_error_handlers(app)
    # Added last = outermost: the error guard also sees what the body limit raises.
    app.add_middleware(BodyLimit)
    app.add_middleware(ErrorGuard)
    install_docs(app)
    app.include_router(health.router)
    routers = (leads, people, conversations, communes, accounts, webhooks, exports, monthly_lists, admin)
    reminders = (obligations, calendar, followups, reports)
    # Each router straight on the app (not through a "v1" router): one level less to match per
    # request.
    for module in (*routers, *reminders):
        app.include_router(module.router, prefix=API_PREFIX)
    # The staff console (pages under /console/, the landing page /) and its sign-in link route.
    mount_console(app, API_PREFIX)
    _document_shared_errors(app)
    return app


def _document_shared_errors(app: FastAPI) -> None:
    build = app.openapi

    def openapi() -> dict[str, object]:
        if app.openapi_schema is None:
            app.openapi_schema = document_shared_errors(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


@asynccontextmanager
async def _run_extensions(app: FastAPI, extensions: list[Extension]) -> AsyncIterator[None]:
    if not extensions:
        yield
        return
    first, rest = extensions[0], extensions[1:]
    async with first(app), _run_extensions(app, rest):
        yield
