"""`GET /healthz`: 200 when the database answers, 503 when it does not."""

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
    return Health(status="ok", database="ok")
