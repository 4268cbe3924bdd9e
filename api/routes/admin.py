"""`/api/v1/admin`: deliveries that keep failing, and the audit log of personal-data reads."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel

from api.actor import Actor
from api.deps import SessionDep, require_roles
from api.errors import error_responses
from api.roles import Role
from api.schemas import MAX_ROW_ID, ListOf, RowIdPath
from api.services import admin_ops
from api.sessions import SessionRoute

router = APIRouter(prefix="/admin", tags=["admin"], route_class=SessionRoute)

AdminDep = Annotated[Actor, Depends(require_roles(Role.ADMIN))]


class DeliveryPublic(BaseModel):
    id: int
    kind: str
    purpose: str
    status: str
    attempts: int
    last_error: str | None
    created_at: datetime
    next_attempt_at: datetime
    sent_at: datetime | None


class AuditPublic(BaseModel):
    at: datetime
    account_id: int | None
    via_account_id: int | None  # the intake account (bot) the officer read through, if any
    action: str
    lead_id: str | None
    # Account entries (`account_create`, `account_revoke`): which account, and how ({"via", "role"}).
    subject_account_id: int | None = None
    details: dict[str, Any] | None = None


@router.get("/deliveries", response_model=ListOf[DeliveryPublic], responses=error_responses(401, 403, 422))
def deliveries(
    _admin: AdminDep,
    session: SessionDep,
    status: Annotated[str, Query(pattern="^(pending|sent|dead)$")] = "dead",
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> ListOf[DeliveryPublic]:
    rows, total = admin_ops.deliveries(session, status, limit)
    data = [DeliveryPublic.model_validate(r, from_attributes=True) for r in rows]
    return ListOf(data=data, count=total)


@router.post(
    "/deliveries/{delivery_id}/retry",
    response_model=DeliveryPublic,
    responses=error_responses(401, 403, 404, 409),
)
def retry(delivery_id: RowIdPath, _admin: AdminDep, session: SessionDep) -> DeliveryPublic:
    try:
        row = admin_ops.retry_delivery(session, delivery_id)
    except admin_ops.RetryRefused as err:
        raise HTTPException(err.status, str(err)) from err
    return DeliveryPublic.model_validate(row, from_attributes=True)


@router.get("/audit", response_model=ListOf[AuditPublic], responses=error_responses(401, 403, 422))
def audit_log(
    _admin: AdminDep,
    session: SessionDep,
    lead_id: Annotated[str | None, Query(max_length=32)] = None,
    account_id: Annotated[int | None, Query(ge=1, le=MAX_ROW_ID)] = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> ListOf[AuditPublic]:
    filters = admin_ops.AuditFilters(lead_id=lead_id or None, account_id=account_id)
    rows, total = admin_ops.audit_entries(session, filters, offset, limit)
    data = [AuditPublic.model_validate(r, from_attributes=True) for r in rows]
    return ListOf(data=data, count=total)
