"""`/api/v1/monthly-lists`: a commune's monthly list (Mẫu số 01) sent as a frozen, versioned record.

The commune's police prepare (see the export's draft), send (each send is a new version, frozen)
and upload the UBND-signed scan; the bank office serving the commune reads what was sent to it.
Nobody else: the lists hold personal data (least privilege: neither the admin nor the coordinator).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import (
    APIRouter,
    Body,
    Depends,
    File,
    Form,
    HTTPException,
    Path,
    Query,
    Request,
    Response,
    UploadFile,
    status,
)
from pydantic import BaseModel, Field

from api.actor import Actor
from api.deps import SessionDep, require_roles
from api.errors import error_responses
from api.lifecycle import TransitionError
from api.models import MonthlyList, MonthlyListScan, utcnow
from api.reminders.clock import local_today
from api.roles import Role
from api.services import audit, monthly_list_files, monthly_lists
from api.sessions import SessionRoute
from api.wards import normalise_code
from content.catalog import get_content

router = APIRouter(prefix="/monthly-lists", tags=["monthly lists"], route_class=SessionRoute)

ReaderDep = Annotated[Actor, Depends(require_roles(Role.COMMUNE_POLICE, Role.BANK))]
PoliceDep = Annotated[Actor, Depends(require_roles(Role.COMMUNE_POLICE))]
CommuneCode = Annotated[str, Path(min_length=1, max_length=8, pattern=r"^\d+$")]
Period = Annotated[
    str,
    Path(pattern=r"^20\d{2}-(0[1-9]|1[0-2])$", description="YYYY-MM: the list due on the 5th of that month"),
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA = {"xlsx": XLSX, "csv": "text/csv; charset=utf-8", "pdf": "application/pdf"}


class SendBody(BaseModel):
    """The UBND confirmation when there is one (who confirmed, on what day, the signed scan), and for a
    new version what changed and why."""

    confirmed_by: str | None = Field(default=None, max_length=200, description="who confirmed for UBND xã")
    confirmed_on: date | None = Field(default=None, description="the day UBND xã confirmed the list")
    scan_id: int | None = Field(default=None, ge=1, le=2**31 - 1, description="an uploaded signed scan")
    change_note: str | None = Field(default=None, max_length=1000, description="for a version > 1: why")


class VersionPublic(BaseModel):
    version: int
    sent_at: datetime
    sent_by: str
    people: int
    confirmed: bool
    confirmed_by: str | None
    confirmed_on: date | None
    scan_id: int | None
    change_note: str | None
    changes: dict[str, object] | None
    bank_chats: int | None = Field(default=None, description="on a send: how many bank chats get the file")


class ListVersions(BaseModel):
    commune_code: str
    period: str
    draft_people: int = Field(description="how many people the list would hold if sent now")
    versions: list[VersionPublic]


class ScanPublic(BaseModel):
    id: int
    commune_code: str
    file_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime


def _clock(request: Request) -> datetime:
    clock: Callable[[], datetime] = getattr(request.app.state, "clock", utcnow)
    return clock()


def _in_scope(actor: Actor, code: str) -> str:
    code = normalise_code(code)
    if code not in actor.communes:
        raise HTTPException(403, "not a commune of your account")
    return code


def _public(version: MonthlyList, chats: int | None = None) -> VersionPublic:
    return VersionPublic(
        version=version.version,
        sent_at=version.sent_at,
        sent_by=version.sent_by_name,
        people=version.people,
        confirmed=monthly_lists.confirmed(version),
        confirmed_by=version.confirmed_by,
        confirmed_on=version.confirmed_on,
        scan_id=version.scan_id,
        change_note=version.change_note,
        changes=version.changes,
        bank_chats=chats,
    )


# The scans first: "/scans/{id}" would otherwise match "/{commune_code}/{period}".
@router.post(
    "/scans",
    response_model=ScanPublic,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(401, 403, 413, 415, 422),
    summary="Upload the UBND-signed list, scanned (PDF, JPEG or PNG, at most 4 MiB)",
)
def upload_scan(
    actor: PoliceDep,
    session: SessionDep,
    request: Request,
    commune_code: Annotated[str, Form(min_length=1, max_length=8, pattern=r"^\d+$")],
    file: Annotated[UploadFile, File(description="the scan: PDF, JPEG or PNG")],
) -> ScanPublic:
    code = _in_scope(actor, commune_code)
    data = file.file.read(monthly_lists.SCAN_MAX_BYTES + 1)
    try:
        scan = monthly_lists.save_scan(session, actor, code, file.filename or "scan", data, _clock(request))
    except TransitionError as err:
        raise HTTPException(err.status_code, str(err)) from err
    return _scan_public(scan)


def _scan_public(scan: MonthlyListScan) -> ScanPublic:
    assert scan.id is not None
    return ScanPublic(
        id=scan.id,
        commune_code=scan.commune_code,
        file_name=scan.file_name,
        content_type=scan.content_type,
        size=scan.size,
        sha256=scan.sha256,
        uploaded_at=scan.uploaded_at,
    )


@router.get(
    "/scans/{scan_id}",
    response_class=Response,
    responses={
        200: {
            "content": {"application/pdf": {}, "image/jpeg": {}, "image/png": {}},
            "description": "the scan",
        },
        **error_responses(401, 403, 404, 422),
    },
    summary="A signed scan (the commune's police and its bank office)",
)
def get_scan(
    scan_id: Annotated[int, Path(ge=1, le=2**31 - 1)], actor: ReaderDep, session: SessionDep
) -> Response:
    scan = session.get(MonthlyListScan, scan_id)
    if scan is None or scan.commune_code not in actor.communes:
        raise HTTPException(404, "no such scan")
    headers = {"Content-Disposition": f'attachment; filename="{scan.file_name}"', "Cache-Control": "no-store"}
    return Response(scan.data, media_type=scan.content_type, headers=headers)


@router.post(
    "/{commune_code}/{period}/send",
    response_model=VersionPublic,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(401, 403, 409, 422),
    summary="Freeze and send the period's list to the NHCSXH office (a new version each time)",
)
def send_list(
    commune_code: CommuneCode,
    period: Period,
    actor: PoliceDep,
    session: SessionDep,
    request: Request,
    body: Annotated[SendBody | None, Body()] = None,
) -> VersionPublic:
    """The commune's police only. Without a UBND confirmation the list is marked "chưa có xác nhận
    của UBND" (bank side and file); a later confirmation is sent as a new version. A version after
    the first needs `change_note` when its people or their rows changed. 409 when nothing changed."""
    code = _in_scope(actor, commune_code)
    body = body or SendBody()
    now = _clock(request)
    try:
        result = monthly_lists.send(
            session,
            actor,
            code,
            period,
            monthly_lists.Confirmation(body.confirmed_by, body.confirmed_on, body.scan_id),
            body.change_note,
            now,
            local_today(get_content().deadlines, now),
        )
    except TransitionError as err:
        raise HTTPException(err.status_code, str(err)) from err
    return _public(result.version, result.chats)


@router.get(
    "/{commune_code}/{period}",
    response_model=ListVersions,
    responses=error_responses(401, 403, 422),
    summary="The versions sent of a commune's list for a period",
)
def list_versions(
    commune_code: CommuneCode, period: Period, actor: ReaderDep, session: SessionDep
) -> ListVersions:
    code = _in_scope(actor, commune_code)
    found = monthly_lists.versions(session, code, period)
    draft = len(monthly_lists.draft_leads(session, code, period)) if actor.role is Role.COMMUNE_POLICE else 0
    return ListVersions(
        commune_code=code, period=period, draft_people=draft, versions=[_public(v) for v in found]
    )


@router.get(
    "/{commune_code}/{period}/versions/{version}",
    response_class=Response,
    responses={
        200: {
            "content": {XLSX: {}, "text/csv": {}, "application/pdf": {}},
            "description": "the version's file",
        },
        **error_responses(401, 403, 404, 422),
    },
    summary="One sent version as a file (frozen: later changes to a referral never alter it)",
)
def version_file(
    commune_code: CommuneCode,
    period: Period,
    version: Annotated[int, Path(ge=1, le=10_000)],
    actor: ReaderDep,
    session: SessionDep,
    format: Annotated[Literal["xlsx", "csv", "pdf"], Query()] = "pdf",
    lang: Annotated[Literal["vi", "en", "km"], Query()] = "vi",
) -> Response:
    code = _in_scope(actor, commune_code)
    found = next((v for v in monthly_lists.versions(session, code, period) if v.version == version), None)
    if found is None:
        raise HTTPException(404, "no such version")
    audit.record_reads(session, actor, "monthly_list", [row["lead_id"] for row in found.rows])
    return file_response(monthly_list_files.from_version(found), format, lang, f"-v{version}")


def file_response(doc: monthly_list_files.ListDoc, format: str, lang: str, suffix: str = "") -> Response:
    if format == "csv":
        content = monthly_list_files.to_csv(doc, lang)
    elif format == "pdf":
        content = monthly_list_files.to_pdf(doc, lang)
    else:
        content = monthly_list_files.to_xlsx(doc, lang)
    filename = f"danh-sach-{doc.commune_code}-{doc.period}{suffix}.{format}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"}
    return Response(content, media_type=MEDIA[format], headers=headers)
