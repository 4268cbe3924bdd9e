"""`/api/v1/reports/targets`: the yearly lending targets per commune, as JSON or XLSX."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from pydantic import BaseModel

from api.actor import Actor
from api.deps import SessionDep, SettingsDep, require_roles
from api.errors import error_responses
from api.models import utcnow
from api.roles import Role
from api.services import implementation_report, targets_xlsx
from api.services.report_figures import PeriodError
from api.services.targets import targets_report
from api.sessions import SessionRoute
from content.localized import Lang

router = APIRouter(prefix="/reports", tags=["reports"], route_class=SessionRoute)

WatcherDep = Annotated[Actor, Depends(require_roles(Role.COORDINATOR, Role.ADMIN))]
ReporterDep = Annotated[
    Actor, Depends(require_roles(Role.COORDINATOR, Role.AGENCY, Role.COMMUNE_POLICE, Role.BANK))
]
DOCX = implementation_report.MEDIA_TYPES["docx"]
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


@router.get(
    "/implementation",
    response_class=Response,
    responses={
        200: {"content": {DOCX: {}, XLSX: {}}, "description": "the report draft"},
        **error_responses(401, 403, 422),
    },
)
def implementation(
    actor: ReporterDep,
    session: SessionDep,
    settings: SettingsDep,
    request: Request,
    period: Annotated[
        str,
        Query(
            max_length=16,
            description="YYYY-H1 (first half-year: the half-year report due before 15/6), YYYY-H2, "
            "or YYYY (the year: the annual report due before 15/12)",
            examples=["2026-H2"],
        ),
    ],
    format: Annotated[Literal["docx", "xlsx"], Query()] = "docx",
) -> Response:
    """A draft of the implementation report (deadlines.yaml `half_year_report`, `annual_report`)
    filled with the period's figures up to today: referrals by commune and by status (business
    leads apart), time from referral to first contact (median, 90th percentile), monthly lists sent,
    loans approved and disbursed with amounts, each commune against this year's target, and the
    suggested transfers of targets. `docx`: an administrative report (Nghị định 30/2020/NĐ-CP layout)
    with charts; the assessments, difficulties and proposals are marked blanks `[…]` for the unit to
    write. `xlsx`: the same tables as numbers.

    Scope: the coordinator and an agency of the province (no commune): the whole province; a commune
    police, bank or commune-level agency account: its own communes. Counts only, no personal data;
    the read is audited. A period that is not YYYY-H1, YYYY-H2 or YYYY → 422."""
    clock = getattr(request.app.state, "clock", utcnow)
    try:
        found = implementation_report.draft(session, actor, settings.province, period, format, clock())
    except PeriodError as err:
        raise HTTPException(422, str(err)) from err
    except implementation_report.NotAllowed as err:
        raise HTTPException(403, "this account has no part in the implementation reports") from err
    headers = {"Content-Disposition": f'attachment; filename="{found.filename}"'}
    return Response(found.content, media_type=found.media_type, headers=headers)
