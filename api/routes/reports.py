"""`/api/v1/reports/targets`: the yearly lending targets per commune, as JSON or XLSX."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel

from api.actor import Actor
from api.deps import SessionDep, SettingsDep, require_roles
from api.errors import error_responses
from api.roles import Role
from api.services import targets_xlsx
from api.services.targets import targets_report
from api.sessions import SessionRoute
from content.localized import Lang

router = APIRouter(prefix="/reports", tags=["reports"], route_class=SessionRoute)

WatcherDep = Annotated[Actor, Depends(require_roles(Role.COORDINATOR, Role.ADMIN))]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CommuneTarget(BaseModel):
    code: str
    name: str
    requests: int
    disbursed: int
    business_disbursed: int
    minimum: int | None
    met: bool | None


class UnitProgress(BaseModel):
    id: str
    name: str
    disbursed: int
    minimum: int
    met: bool


class TargetProgress(BaseModel):
    id: str
    borrower: str
    unit: str
    minimum: int
    confirmed: bool
    what: str
    met_count: int
    unit_count: int
    units: list[UnitProgress]


class TransferSuggestion(BaseModel):
    from_code: str
    from_name: str
    to_code: str | None
    to_name: str | None


class TargetsReportPublic(BaseModel):
    year: int
    province_code: int
    province_name: str
    communes: list[CommuneTarget]
    without_case: list[str]
    targets: list[TargetProgress]
    transfers: list[TransferSuggestion]
    transfer_rule: str


@router.get(
    "/targets",
    response_model=TargetsReportPublic,
    responses={
        200: {"content": {"application/json": {}, XLSX: {}}, "description": "the report"},
        **error_responses(401, 403, 422),
    },
)
def targets(
    _actor: WatcherDep,
    session: SessionDep,
    settings: SettingsDep,
    year: Annotated[int, Query(ge=2023, le=2100, description="calendar year")],
    format: Annotated[Literal["json", "xlsx"], Query()] = "json",
    lang: Annotated[Lang, Query()] = "vi",
) -> TargetsReportPublic | Response:
    """Every commune of the province served (`BUOCMOI_PROVINCE`) with the person loans disbursed in
    `year` against its target (targets.yaml), the requests received, and `met`; `without_case` lists
    the communes with no loan yet. `targets` gives every target of the data at its own unit (the
    business target's unit is set by the deployment; `confirmed: false` until it decides).
    `transfers` suggests moving targets from communes with no request at all that year to communes
    whose open or disbursed requests exceed their own target (largest surplus first); a giving
    commune without a receiver has `to_code: null`. Counts only, no personal data."""
    report = targets_report(session, settings.province, year, lang)
    if format == "xlsx":
        headers = {"Content-Disposition": f'attachment; filename="chi-tieu-{year}.xlsx"'}
        return Response(targets_xlsx.to_xlsx(report, lang), media_type=XLSX, headers=headers)
    return TargetsReportPublic(
        year=report.year,
        province_code=report.province_code,
        province_name=report.province_name,
        communes=[CommuneTarget(**vars(row)) for row in report.communes],
        without_case=report.without_case,
        targets=[
            TargetProgress(
                id=t.id,
                borrower=t.borrower,
                unit=t.unit,
                minimum=t.minimum,
                confirmed=t.confirmed,
                what=t.what,
                met_count=t.met_count,
                unit_count=len(t.units),
                units=[UnitProgress(**vars(u)) for u in t.units],
            )
            for t in report.targets
        ],
        transfers=[TransferSuggestion(**vars(t)) for t in report.transfers],
        transfer_rule=report.transfer_rule,
    )
