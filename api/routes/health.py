"""`GET /healthz`: 200 when the database answers and takes writes, 503 when it does not.

Reading is not enough: a read-only database (a full disk, a standby, a file mounted read-only)
answers `SELECT 1` while every referral fails. So the check also writes: a no-op UPDATE of one
row of `service_meta`, rolled back. It needs the write lock for a moment, as any intake does.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from api.deps import SessionDep
from api.errors import error_responses

log = logging.getLogger(__name__)
router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    database: str


@router.get("/healthz", response_model=Health, responses=error_responses(503))
def healthz(session: SessionDep) -> Health:
    try:
        session.execute(text("SELECT 1"))
    except SQLAlchemyError as err:
        log.warning("health check: database unavailable", extra={"error_type": type(err).__name__})
        raise HTTPException(status_code=503, detail="database unavailable") from err
    try:
        # Matches no row or one, changes nothing, and is rolled back: but the database must
        # accept a write to run it.
        session.execute(text("UPDATE service_meta SET value = value WHERE key = 'healthz'"))
    except SQLAlchemyError as err:
        log.warning("health check: database refuses writes", extra={"error_type": type(err).__name__})
        raise HTTPException(status_code=503, detail="database refuses writes (read-only?)") from err
    finally:
        session.rollback()
    return Health(status="ok", database="ok")
