"""`/api/v1/exports/monthly-list`: the commune's monthly list for NHCSXH, as XLSX or CSV."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Response

from api.actor import Actor
from api.deps import SessionDep, require_roles
from api.errors import error_responses
from api.roles import Role
from api.services import audit, exports
from api.sessions import SessionRoute
from api.wards import normalise_code

router = APIRouter(prefix="/exports", tags=["exports"], route_class=SessionRoute)

# The monthly list is every listed referral's personal data: the commune's police and its bank
# only (least privilege: neither the admin nor the coordinator).
ExporterDep = Annotated[Actor, Depends(require_roles(Role.COMMUNE_POLICE, Role.BANK))]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "/monthly-list",
    response_class=Response,
    responses={
        200: {"content": {XLSX: {}, "text/csv": {}}, "description": "the list"},
        **error_responses(401, 403, 404, 422),
    },
)
def monthly_list(
    actor: ExporterDep,
    session: SessionDep,
    commune_code: Annotated[str, Query(min_length=1, max_length=8, pattern=r"^\d+$")],
    # Years 2000-2099: the service began in 2026, and a year outside that range is a typo (year 0
    # and 9999 have no month before or after them to bound the query).
    month: Annotated[str, Query(pattern=r"^20\d{2}-(0[1-9]|1[0-2])$", description="YYYY-MM (2000-2099)")],
    format: Annotated[Literal["xlsx", "csv"], Query()] = "xlsx",
    lang: Annotated[Literal["vi", "en", "km"], Query()] = "vi",
) -> Response:
    code = normalise_code(commune_code)
    if actor.role in (Role.COMMUNE_POLICE, Role.BANK) and code not in actor.communes:
        raise HTTPException(404, "no such commune in your scope")
    leads = exports.monthly_leads(session, code, month)
    audit.record_reads(session, actor, "export", [lead.id for lead in leads])
    filename = f"danh-sach-{code}-{month}.{format}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if format == "csv":
        return Response(exports.to_csv(leads, lang), media_type="text/csv; charset=utf-8", headers=headers)
    return Response(exports.to_xlsx(leads, code, month, lang), media_type=XLSX, headers=headers)
