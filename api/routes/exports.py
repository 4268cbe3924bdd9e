"""`/api/v1/exports/monthly-list`: the commune's monthly list for NHCSXH, as XLSX, CSV or PDF: the
latest sent version of the period when there is one (frozen), otherwise the draft."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Response

from api.actor import Actor
from api.deps import SessionDep, require_roles
from api.errors import error_responses
from api.roles import Role
from api.routes.monthly_lists import MEDIA, file_response
from api.services import audit, monthly_list_files, monthly_lists
from api.sessions import SessionRoute
from api.wards import normalise_code

router = APIRouter(prefix="/exports", tags=["exports"], route_class=SessionRoute)

# The monthly list is every listed referral's personal data: the commune's police and its bank
# only (least privilege: neither the admin nor the coordinator).
ExporterDep = Annotated[Actor, Depends(require_roles(Role.COMMUNE_POLICE, Role.BANK))]


@router.get(
    "/monthly-list",
    response_class=Response,
    responses={
        200: {
            "content": {MEDIA["xlsx"]: {}, "text/csv": {}, "application/pdf": {}},
            "description": "the list",
        },
        **error_responses(401, 403, 404, 422),
    },
)
def monthly_list(
    actor: ExporterDep,
    session: SessionDep,
    commune_code: Annotated[str, Query(min_length=1, max_length=8, pattern=r"^\d+$")],
    # Years 2000-2099: the service began in 2026, and a year outside that range is a typo.
    month: Annotated[
        str,
        Query(
            pattern=r"^20\d{2}-(0[1-9]|1[0-2])$",
            description="YYYY-MM (2000-2099): the period, the list due on the 5th of that month",
        ),
    ],
    format: Annotated[Literal["xlsx", "csv", "pdf"], Query()] = "xlsx",
    lang: Annotated[Literal["vi", "en", "km"], Query()] = "vi",
) -> Response:
    """The latest sent version of the period (frozen) when there is one; otherwise the draft the
    commune's police would send now (the bank sees only what was sent to it)."""
    code = normalise_code(commune_code)
    if actor.role in (Role.COMMUNE_POLICE, Role.BANK) and code not in actor.communes:
        raise HTTPException(404, "no such commune in your scope")
    sent = monthly_lists.latest(session, code, month)
    if sent is not None:
        doc = monthly_list_files.from_version(sent)
    elif actor.role is Role.BANK:
        raise HTTPException(404, "no list of this period was sent to you")
    else:
        rows = [monthly_lists.snapshot_row(lead) for lead in monthly_lists.draft_leads(session, code, month)]
        doc = monthly_list_files.draft(code, month, rows, monthly_lists.addressee(code))
    audit.record_reads(session, actor, "export", [str(row["lead_id"]) for row in doc.rows])
    return file_response(doc, format, lang, f"-v{sent.version}" if sent else "")
