"""The "Chỉ tiêu" page: this year's progress of each commune against its lending target
(targets.yaml, api/services/targets.py), with a chart, the communes without a case, the suggested
transfers naming both communes, and the downloads of the implementation report drafts.

The coordinator sees the province; an agency reads its own part (its communes, or the province for a
provincial body), like the report route. Counts only: no personal data on the page. The draft
downloads (`/console/reports/implementation`) are also what a report's reminder links to, so every
account with a part in the reports (coordinator, agency, bank, commune police) may download its own."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response

from api.console.i18n import T_
from api.console.web import Console, ConsoleDep, PageError, now, render
from api.core.config import ApiSettings
from api.deps import SessionDep
from api.reminders.clock import local_today
from api.roles import Role
from api.services import implementation_report, report_charts
from api.services.report_figures import PeriodError, Scope, scope_of
from api.services.targets import TargetsReport, targets_report
from api.sessions import SessionRoute
from content.catalog import get_content

router = APIRouter(include_in_schema=False, route_class=SessionRoute)

PAGE_ROLES = (Role.COORDINATOR, Role.AGENCY)
CHART_COMMUNES = 25


def _settings(console: Console) -> ApiSettings:
    settings: ApiSettings = console.request.app.state.settings
    return settings


def _scope(console: Console, roles: tuple[Role, ...] = PAGE_ROLES) -> Scope:
    scope = scope_of(console.actor, _settings(console).province) if console.actor.role in roles else None
    if scope is None:
        raise PageError(404, T_("Không tìm thấy trang này."))
    return scope


def _year(console: Console, year: int | None) -> int:
    return year or local_today(get_content().deadlines, now(console.request)).year


def _report(console: Console, session: SessionDep, scope: Scope, year: int) -> TargetsReport:
    return targets_report(session, scope.province, year, console.lang)


@router.get("/console/targets", response_class=HTMLResponse)
def targets_page(
    console: ConsoleDep, session: SessionDep, year: Annotated[int | None, Query(ge=2023, le=2100)] = None
) -> Response:
    scope = _scope(console)
    chosen = _year(console, year)
    report = _report(console, session, scope, chosen)
    rows = [row for row in report.communes if row.code in scope.communes]
    codes = set(scope.communes)
    transfers = [t for t in report.transfers if t.from_code in codes or t.to_code in codes]
    without = [row for row in rows if row.code in set(report.without_case)]
    person = next((t for t in report.targets if t.borrower == "person"), None)
    others = [t for t in report.targets if t.borrower != "person"] if scope.whole_province else []
    return render(
        console,
        "targets.html",
        year=chosen,
        scope=scope,
        rows=sorted(rows, key=lambda r: (-(r.disbursed), -r.requests, r.name)),
        met=sum(1 for r in rows if r.met),
        without=without,
        transfers=transfers,
        person=person,
        others=others,
        transfer_rule=report.transfer_rule,
        periods=[f"{chosen}-H1", f"{chosen}-H2", str(chosen)],
    )


@router.get("/console/targets/chart.png")
def targets_chart(
    console: ConsoleDep, session: SessionDep, year: Annotated[int | None, Query(ge=2023, le=2100)] = None
) -> Response:
    scope = _scope(console)
    chosen = _year(console, year)
    report = _report(console, session, scope, chosen)
    rows = sorted(
        (r for r in report.communes if r.code in scope.communes and (r.disbursed or r.requests)),
        key=lambda r: (-r.disbursed, -r.requests, r.name),
    )[:CHART_COMMUNES]
    _ = console._
    png = report_charts.horizontal_bars(
        _("Khoản vay đã giải ngân năm {year} so với chỉ tiêu").format(year=chosen),
        [report_charts.Bar(r.name, r.disbursed, r.minimum) for r in rows],
        _("Đã giải ngân"),
        _("Chỉ tiêu"),
    )
    return Response(png, media_type="image/png", headers={"Cache-Control": "no-store"})


@router.get("/console/reports/implementation")
def report_download(
    console: ConsoleDep,
    session: SessionDep,
    period: Annotated[str, Query(max_length=16)],
    format: Annotated[Literal["docx", "xlsx"], Query()] = "docx",
) -> Response:
    try:
        found = implementation_report.draft(
            session, console.actor, _settings(console).province, period, format, now(console.request)
        )
    except PeriodError as err:
        raise PageError(
            422, T_("Kỳ báo cáo không hợp lệ: ghi NĂM-H1, NĂM-H2 hoặc NĂM, ví dụ 2026-H2.")
        ) from err
    except implementation_report.NotAllowed as err:
        raise PageError(404, T_("Không tìm thấy trang này.")) from err
    headers = {
        "Content-Disposition": f'attachment; filename="{found.filename}"',
        "Cache-Control": "no-store",
    }
    return Response(found.content, media_type=found.media_type, headers=headers)
