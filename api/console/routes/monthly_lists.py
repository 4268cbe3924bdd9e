"""The monthly list (Mẫu số 01) in the console.

Commune police: prepare the period's list (the draft rows, the fields still missing, each a link to
the referral's form that completes them), record the UBND confirmation (the signed scan uploaded, or
who confirmed and when), send it, and see and download every version sent.
Bank: each list sent to it with its versions and the "not confirmed by UBND" mark, and for each
person what the bank recorded (approved amount, payout, decline reason), recorded on the referral's
own page (the loop's forms, not a second copy of them).
Everything goes through `api.services.monthly_lists`, the API's rules, with the same Actor.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.responses import HTMLResponse, Response

from api.console import queues
from api.console.i18n import T_
from api.console.routes.referral import typed
from api.console.web import Console, ConsoleDep, CsrfDep, PageError, now, render, see_other
from api.deps import SessionDep
from api.lifecycle import TransitionError
from api.models import Lead, MonthlyList
from api.roles import Role
from api.routes.monthly_lists import file_response
from api.services import audit, monthly_list_files, monthly_lists, notify
from api.sessions import SessionRoute
from api.wards import ward_name
from content.catalog import get_content

router = APIRouter(include_in_schema=False, route_class=SessionRoute)

PERIOD = r"^20\d{2}-(0[1-9]|1[0-2])$"
CODE = r"^\d{1,8}$"
NOT_YOURS = T_("Không tìm thấy trang này.")
# The API's refusals, in the officer's words.
REFUSALS = {
    409: T_("Danh sách không có gì thay đổi so với lần gửi trước, chưa gửi lại."),
    413: T_("Tệp bản quét quá lớn (tối đa 4 MiB)."),
    415: T_("Bản quét phải là tệp PDF, JPEG hoặc PNG."),
}
REFUSALS_422 = {
    "change_note": T_("Danh sách đã gửi có thay đổi: ghi rõ thay đổi gì và vì sao."),
    "confirmed_on": T_("Ghi ngày UBND xác nhận (không sau hôm nay) cùng người xác nhận hoặc bản quét."),
    "confirmed_by": T_("Ghi người xác nhận của UBND."),
    "empty": T_("Chưa có hồ sơ nào được đưa vào danh sách kỳ này."),
    "file": T_("Bản quét trống."),
}


def default_period(today: date) -> str:
    """The list the next reminder asks for: due on the 5th, so after the 5th it is next month's."""
    if today.day > 5:
        today = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    return f"{today.year}-{today.month:02d}"


def _commune(console: Console, commune: str | None) -> str:
    communes = console.actor.communes
    if not communes:
        raise PageError(404, NOT_YOURS)
    code = commune or communes[0]
    if code not in communes:
        raise PageError(404, NOT_YOURS)
    return code


def _role(console: Console) -> None:
    if console.actor.role not in (Role.COMMUNE_POLICE, Role.BANK):
        raise PageError(404, NOT_YOURS)


@router.get("/console/monthly-lists", response_class=HTMLResponse)
def monthly_lists_page(
    console: ConsoleDep,
    session: SessionDep,
    period: Annotated[str | None, Query(pattern=PERIOD)] = None,
    commune: Annotated[str | None, Query(pattern=CODE)] = None,
    done: Annotated[str | None, Query(max_length=16)] = None,
) -> Response:
    _role(console)
    if console.actor.role is Role.BANK:
        return _bank_page(console, session)
    code = _commune(console, commune)
    chosen = period or default_period(queues.local_date(now(console.request)))
    return _police_page(console, session, code, chosen, done=done)


def _police_page(
    console: Console, session: Any, code: str, period: str, status: int = 200, **context: Any
) -> HTMLResponse:
    leads = monthly_lists.draft_leads(session, code, period)
    rows = [monthly_lists.snapshot_row(lead) for lead in leads]
    audit.record_reads(session, console.actor, "console_list", [lead.id for lead in leads])
    found = monthly_lists.versions(session, code, period)
    others = [v for v in monthly_lists.versions(session, code) if v.period != period]
    latest_of = {v.period: v for v in others}
    layout = get_content().monthly_list
    return render(
        console,
        "monthly_list.html",
        status,
        commune=code,
        commune_name=ward_name(code) or code,
        communes=[(c, ward_name(c) or c) for c in console.actor.communes],
        period=period,
        rows=rows,
        missing={row["lead_id"]: monthly_lists.missing(row) for row in rows},
        versions=list(reversed(found)),
        other_periods=sorted(latest_of.values(), key=lambda v: v.period, reverse=True),
        genders=layout.genders,
        confirmed=monthly_lists.confirmed,
        form=context.pop("form", {}),
        problem=context.pop("problem", ""),
        done=context.pop("done", None),
        **context,
    )


def _bank_page(console: Console, session: Any) -> HTMLResponse:
    lists: list[dict[str, Any]] = []
    lead_ids: list[str] = []
    for code in console.actor.communes:
        by_period: dict[str, list[MonthlyList]] = {}
        for version in monthly_lists.versions(session, code):
            by_period.setdefault(version.period, []).append(version)
        for period, sent in by_period.items():
            lists.append(
                {"commune": code, "name": ward_name(code) or code, "period": period, "versions": sent}
            )
            lead_ids.extend(row["lead_id"] for v in sent for row in v.rows)
    lists.sort(key=lambda item: (item["period"], item["name"]), reverse=True)
    # What the bank recorded on each referral (the loop's fields), read now: the list stays frozen.
    current = {lead.id: lead for lead in _leads(session, set(lead_ids))}
    audit.record_reads(session, console.actor, "console_list", sorted(current))
    words = get_content().leads
    return render(
        console,
        "monthly_lists_bank.html",
        lists=lists,
        current=current,
        confirmed=monthly_lists.confirmed,
        status_labels=words.status_labels,
        reason_label=lambda reason: words.decline_reason(reason).label.get(console.lang),
        money=lambda amount: notify.money(amount, console.lang),
    )


def _leads(session: Any, ids: set[str]) -> list[Lead]:
    from sqlmodel import col, select

    if not ids:
        return []
    return list(session.exec(select(Lead).where(col(Lead.id).in_(sorted(ids)))).all())


@router.get("/console/monthly-lists/{commune}/{period}/file")
def list_file(
    commune: str,
    period: str,
    console: ConsoleDep,
    session: SessionDep,
    version: Annotated[int, Query(ge=0, le=10_000)] = 0,
    format: Annotated[str, Query(pattern=r"^(pdf|xlsx)$")] = "pdf",
) -> Response:
    """A version's file (version 0: the draft, for the commune's police only)."""
    _role(console)
    code = _commune(console, commune)
    if not monthly_lists.PERIOD.match(period):
        raise PageError(404, NOT_YOURS)
    if version:
        found = next((v for v in monthly_lists.versions(session, code, period) if v.version == version), None)
        if found is None:
            raise PageError(404, NOT_YOURS)
        doc = monthly_list_files.from_version(found)
    elif console.actor.role is Role.COMMUNE_POLICE:
        rows = [monthly_lists.snapshot_row(lead) for lead in monthly_lists.draft_leads(session, code, period)]
        doc = monthly_list_files.draft(code, period, rows, monthly_lists.addressee(code))
    else:
        raise PageError(404, NOT_YOURS)
    audit.record_reads(session, console.actor, "export", [str(row["lead_id"]) for row in doc.rows])
    lang = console.lang if console.lang in ("vi", "en") else "vi"
    return file_response(doc, format, lang, f"-v{version}" if version else "-nhap")


@router.post("/console/monthly-lists/{commune}/{period}/send")
def send(
    commune: str,
    period: str,
    console: CsrfDep,
    session: SessionDep,
    confirmed_by: Annotated[str, Form()] = "",
    confirmed_on: Annotated[str, Form()] = "",
    change_note: Annotated[str, Form()] = "",
    scan: Annotated[UploadFile | None, File()] = None,
) -> Response:
    if console.actor.role is not Role.COMMUNE_POLICE:
        raise PageError(403, T_("Tài khoản của bạn không được làm bước này."))
    code = _commune(console, commune)
    if not monthly_lists.PERIOD.match(period):
        raise PageError(404, NOT_YOURS)
    form = {
        "confirmed_by": typed(confirmed_by).strip()[:200],
        "confirmed_on": confirmed_on.strip()[:10],
        "change_note": typed(change_note).strip()[:1000],
    }
    moment = now(console.request)
    today = queues.local_date(moment)
    try:
        day = date.fromisoformat(form["confirmed_on"]) if form["confirmed_on"] else None
    except ValueError:
        day = None
        return _refused(console, session, code, period, form, REFUSALS_422["confirmed_on"])
    try:
        scan_id = None
        if scan is not None and scan.filename:  # (Starlette's UploadFile, not FastAPI's subclass)
            data = scan.file.read(monthly_lists.SCAN_MAX_BYTES + 1)
            scan_id = monthly_lists.save_scan(session, console.actor, code, scan.filename, data, moment).id
        confirmation = monthly_lists.Confirmation(form["confirmed_by"] or None, day, scan_id)
        result = monthly_lists.send(
            session, console.actor, code, period, confirmation, form["change_note"] or None, moment, today
        )
    except TransitionError as err:
        message = REFUSALS.get(err.status_code)
        if message is None:
            text = str(err)
            key = next((k for k in REFUSALS_422 if text.startswith(k)), "empty" if "empty" in text else "")
            message = REFUSALS_422.get(key, T_("Chưa gửi được danh sách: kiểm tra lại các ô."))
        return _refused(console, session, code, period, form, message)
    return see_other(
        f"/console/monthly-lists?period={period}&commune={code}&done=v{result.version.version}#versions"
    )


def _refused(
    console: Console, session: Any, code: str, period: str, form: dict[str, str], message: str
) -> Response:
    return _police_page(console, session, code, period, 422, form=form, problem=message)


@router.get("/console/monthly-lists/scans/{scan_id}")
def scan_file(scan_id: int, console: ConsoleDep, session: SessionDep) -> Response:
    """The UBND-signed scan of a list: the commune's police and its bank office."""
    from api.models import MonthlyListScan

    _role(console)
    scan = session.get(MonthlyListScan, scan_id) if 0 < scan_id < 2**31 else None
    if scan is None or scan.commune_code not in console.actor.communes:
        raise PageError(404, NOT_YOURS)
    headers = {"Content-Disposition": f'attachment; filename="{scan.file_name}"', "Cache-Control": "no-store"}
    return Response(scan.data, media_type=scan.content_type, headers=headers)
