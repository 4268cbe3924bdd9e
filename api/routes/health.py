"""`GET /healthz`: 200 when the database answers and takes writes, 503 when it does not.

Reading is not enough: a read-only database (a full disk, a standby, a file mounted read-only)
answers `SELECT 1` while every referral fails. So the check also writes: a no-op UPDATE of one
row of `service_meta`, rolled back. It needs the write lock for a moment, as any intake does.

It answers during a burst too: it does not queue behind the requests for the shared worker
threads, but runs its check on a thread of its own limiter with a connection the pool keeps for it
(`api.core.db.HEALTH_THREADS`)."""

from __future__ import annotations

import logging

from anyio import CapacityLimiter, to_thread
from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from api.core.db import HEALTH_THREADS
from api.errors import error_responses
from api.sessions import SessionRoute

log = logging.getLogger(__name__)
router = APIRouter(tags=["health"], route_class=SessionRoute)


class Health(BaseModel):
    status: str
    database: str


def _limiter(request: Request) -> CapacityLimiter:
    # Made on first use, inside the app's event loop.
    state = request.app.state
    limiter: CapacityLimiter | None = getattr(state, "health_limiter", None)
    if limiter is None:
        limiter = state.health_limiter = CapacityLimiter(HEALTH_THREADS)
    return limiter


class _ReadOnly(Exception):
    """The database answers but refuses a write."""


def _ping(engine: Engine) -> None:
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
        try:
            # Matches no row or one, changes nothing, and is rolled back: but the database must
            # accept a write to run it.
            conn.execute(text("UPDATE service_meta SET value = value WHERE key = 'healthz'"))
        except SQLAlchemyError as err:
            raise _ReadOnly(type(err).__name__) from err
        finally:
            conn.rollback()


@router.get("/healthz", response_model=Health, responses=error_responses(503))
async def healthz(request: Request) -> Health:
    engine: Engine = request.app.state.engine
    try:
        await to_thread.run_sync(_ping, engine, limiter=_limiter(request))
    except _ReadOnly as err:
        log.warning("health check: database refuses writes", extra={"error_type": str(err)})
        raise HTTPException(status_code=503, detail="database refuses writes (read-only?)") from err
    except SQLAlchemyError as err:
        log.warning("health check: database unavailable", extra={"error_type": type(err).__name__})
        raise HTTPException(status_code=503, detail="database unavailable") from err
    return Health(status="ok", database="ok")
