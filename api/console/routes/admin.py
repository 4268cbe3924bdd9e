"""The admin's pages: accounts (create, revoke, link codes, sign-in links), bulk import from a file,
failed deliveries with retry, and the audit log. The admin reads no referral: nothing here shows a
lead's personal data (the audit log names lead ids only, as `GET /api/v1/admin/audit` does).

Secrets (a new token, a link code, a sign-in link) are shown once: the POST that makes them answers
with the page that shows them, nothing keeps them, and the page is never cached."""

from __future__ import annotations

import base64
import secrets
from datetime import datetime, time, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, File, Form, Query, UploadFile
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session, col, delete, func, or_, select, update

from api.console import account_import, auth
from api.console.i18n import T_
from api.console.web import (
    ROLE_NAMES,
    VIETNAM_TZ,
    Console,
    ConsoleDep,
    CsrfDep,
    PageError,
    now,
    render,
    see_other,
)
from api.core.config import ApiSettings
from api.deps import SessionDep
from api.models import Account, AccountCommune, AccountImport
from api.roles import Role
from api.schemas import RowIdPath
from api.services import accounts, admin_ops
from api.sessions import SessionRoute
from api.wards import ward_name
from content.catalog import get_content

router = APIRouter(include_in_schema=False, route_class=SessionRoute)

PAGE_SIZE = 50
# A pending import is for the admin at the screen now: an old preview is uploaded again.
IMPORT_VALIDITY = timedelta(hours=2)
ONLY_ADMIN = T_("Trang này chỉ dành cho quản trị viên.")


async def _admin(console: ConsoleDep) -> Console:
    if console.actor.role is not Role.ADMIN:
        raise PageError(403, ONLY_ADMIN)
    return console


async def _admin_form(console: CsrfDep) -> Console:
    if console.actor.role is not Role.ADMIN:
        raise PageError(403, ONLY_ADMIN)
    return console


AdminPage = Annotated[Console, Depends(_admin)]
AdminForm = Annotated[Console, Depends(_admin_form)]


def say(console: Console, message: str, params: dict[str, Any]) -> str:
    """A message with its values, translated (values named in `_translate` are message ids too)."""
    values = {k: v for k, v in params.items() if not k.startswith("_")}
    for name in params.get("_translate", ()):
        values[name] = console._(values[name])
    return console._(message).format(**values)


# The bot's account is not a member of staff (no console role name): named here for the list.
INTAKE_NAME = T_("Bot tiếp nhận (intake)")


def _role_label(console: Console, role: str) -> str:
    if role == Role.INTAKE.value:
        return console._(INTAKE_NAME)
    try:
        return console._(ROLE_NAMES[Role(role)])
    except (ValueError, KeyError):
        return role


def _kind_label(kind: str | None) -> str:
    if not kind:
        return ""
    names = get_content().deadlines.schedule.names.agency_kinds.get(kind)
    return names.vi if names else kind


def _common(console: Console) -> dict[str, Any]:
    return {
        "role_label": lambda role: _role_label(console, role),
        "kind_label": _kind_label,
        "ward_name": lambda code: ward_name(code) or code,
        "say": lambda message, params: say(console, message, params),
    }


# --- accounts -----------------------------------------------------------------------------------


def _communes_by_account(session: Session, ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    if ids:
        rows = session.exec(
            select(AccountCommune.account_id, AccountCommune.commune_code).where(
                col(AccountCommune.account_id).in_(ids)
            )
        )
        for account_id, code in rows:
            found.setdefault(account_id, []).append(code)
    return {k: sorted(v) for k, v in found.items()}


@router.get("/console/admin/accounts", response_class=HTMLResponse)
def account_list(
    console: AdminPage,
    session: SessionDep,
    q: Annotated[str, Query(max_length=100)] = "",
    role: Annotated[str, Query(max_length=32)] = "",
    commune: Annotated[str, Query(max_length=8)] = "",
    state: Annotated[str, Query(max_length=8)] = "active",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    done: Annotated[str, Query(max_length=16)] = "",
) -> Response:
    conditions: list[Any] = []
    search = " ".join(q.split())
    if search:
        by_name = func.lower(col(Account.name)).contains(search.lower())
        conditions.append(or_(by_name, col(Account.id) == int(search)) if search.isdigit() else by_name)
    if role in {r.value for r in Role}:
        conditions.append(col(Account.role) == role)
    else:
        role = ""
    if commune:
        holders = select(AccountCommune.account_id).where(AccountCommune.commune_code == commune)
        conditions.append(col(Account.id).in_(holders))
    if state == "active":
        conditions.append(col(Account.active))
    elif state == "revoked":
        conditions.append(~col(Account.active))
    else:
        state = "all"
    total = int(session.exec(select(func.count()).select_from(Account).where(*conditions)).one())
    pages = max(1, -(-total // PAGE_SIZE))
    rows = session.exec(
        select(Account)
        .where(*conditions)
        .order_by(col(Account.id))
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    communes = _communes_by_account(session, [a.id for a in rows if a.id is not None])
    known = sorted(set(session.exec(select(AccountCommune.commune_code).distinct()).all()))
    kept = {"q": search, "role": role, "commune": commune, "state": state}

    def link(**changes: str | int) -> str:
        params = {**kept, **changes}
        return "/console/admin/accounts?" + urlencode({k: v for k, v in params.items() if v not in ("", 1)})

    return render(
        console,
        "admin_accounts.html",
        accounts=rows,
        communes=communes,
        commune_options=[(code, ward_name(code) or code) for code in known],
        roles=[r.value for r in Role],
        query=kept,
        total=total,
        page=page,
        pages=pages,
        link=link,
        done=done,
        **_common(console),
    )


def _new_form(console: Console, status: int = 200, **extra: Any) -> HTMLResponse:
    kinds = get_content().deadlines.schedule.names.agency_kinds
    return render(
        console,
        "admin_account_new.html",
        status=status,
        roles=[r.value for r in Role],
        kinds=[(code, names.vi if console.lang == "vi" else names.en) for code, names in kinds.items()],
        form=extra.pop("form", {}),
        problem=extra.pop("problem", ""),
        **_common(console),
        **extra,
    )


@router.get("/console/admin/accounts/new", response_class=HTMLResponse)
def account_new(console: AdminPage) -> Response:
    return _new_form(console)


@router.post("/console/admin/accounts", response_class=HTMLResponse)
def account_create(
    console: AdminForm,
    session: SessionDep,
    role: Annotated[str, Form(max_length=32)] = "",
    name: Annotated[str, Form(max_length=400)] = "",
    communes: Annotated[str, Form(max_length=4000)] = "",
    agency_kind: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    form = {"role": role, "name": name, "communes": communes, "agency_kind": agency_kind}
    try:
        chosen = Role(role)
    except ValueError:
        return _new_form(console, 422, form=form, problem=console._(T_("Chọn một vai trò.")))
    try:
        spec = accounts.validate_account(
            name=name,
            role=chosen,
            communes=account_import._split_codes(communes),
            agency_kind=agency_kind or None,
        )
    except accounts.AccountError as err:
        message, params = account_import.account_error_message(err)
        return _new_form(console, 422, form=form, problem=say(console, message, params))
    # The console's one extra rule: a form sent twice (the browser's "resend") makes no second account.
    same = account_import.existing_identities(session).get(account_import._identity(spec))
    if same is not None:
        problem = say(console, T_("Đã có tài khoản #{id} giống hệt (vai trò, tên, xã)."), {"id": same})
        return _new_form(console, 409, form=form, problem=problem)
    account, token = accounts.add_account(session, spec, by=console.actor, via="console")
    session.commit()
    if not token:  # a console-only role: no token to show; its page offers the sign-in link
        return see_other(f"/console/admin/accounts/{account.id}")
    return render(
        console,
        "admin_secret.html",
        kind="token",
        account=account,
        secret=token,
        communes=list(spec.communes),
        **_common(console),
    )


def _account(session: Session, account_id: int) -> Account:
    account = session.get(Account, account_id)
    if account is None:
        raise PageError(404, T_("Không có tài khoản này."))
    return account


@router.get("/console/admin/accounts/{account_id}", response_class=HTMLResponse)
def account_detail(
    account_id: RowIdPath,
    console: AdminPage,
    session: SessionDep,
    done: Annotated[str, Query(max_length=16)] = "",
    problem: Annotated[str, Query(max_length=16)] = "",
) -> Response:
    account = _account(session, account_id)
    return render(
        console,
        "admin_account.html",
        account=account,
        communes=accounts.communes_of(session, account),
        may_link=account.active and accounts.may_link(account),
        may_sign_in=auth.may_sign_in(account),
        is_me=account.id == console.actor.id,
        done=done,
        problem=problem,
        **_common(console),
    )


@router.post("/console/admin/accounts/{account_id}/link-code", response_class=HTMLResponse)
def account_link_code(account_id: RowIdPath, console: AdminForm, session: SessionDep) -> Response:
    account = _account(session, account_id)
    if not account.active or not accounts.may_link(account):
        raise PageError(
            409, T_("Tài khoản này không liên kết Telegram được (đã thu hồi, hoặc vai trò không nhận tin).")
        )
    code = accounts.issue_link_code(session, account, now(console.request))
    return render(
        console,
        "admin_secret.html",
        kind="link_code",
        account=account,
        secret=code,
        expires=account.link_code_expires_at,
        **_common(console),
    )


@router.post("/console/admin/accounts/{account_id}/login-link", response_class=HTMLResponse)
def account_login_link(account_id: RowIdPath, console: AdminForm, session: SessionDep) -> Response:
    account = _account(session, account_id)
    settings: ApiSettings = console.request.app.state.settings
    moment = now(console.request)
    try:
        url = auth.issue_login_link(session, account, settings.public_url or settings.base_url, now=moment)
    except auth.LoginRefused:
        raise PageError(409, T_("Tài khoản này không đăng nhập trang làm việc được.")) from None
    return render(
        console,
        "admin_secret.html",
        kind="login_link",
        account=account,
        secret=url,
        expires=moment + auth.LINK_VALIDITY,
        **_common(console),
    )


@router.get("/console/admin/accounts/{account_id}/revoke", response_class=HTMLResponse)
def account_revoke_confirm(account_id: RowIdPath, console: AdminPage, session: SessionDep) -> Response:
    account = _account(session, account_id)
    if not account.active:
        return see_other(f"/console/admin/accounts/{account_id}")
    return render(
        console,
        "admin_revoke.html",
        account=account,
        communes=accounts.communes_of(session, account),
        is_me=account.id == console.actor.id,
        **_common(console),
    )


@router.post("/console/admin/accounts/{account_id}/revoke")
def account_revoke(account_id: RowIdPath, console: AdminForm, session: SessionDep) -> Response:
    account = _account(session, account_id)
    if account.id == console.actor.id:
        # Revoking oneself would leave nobody able to undo it from here.
        return see_other(f"/console/admin/accounts/{account_id}?problem=self")
    if account.active:
        accounts.revoke(session, account, by=console.actor, via="console")
        # Its console sessions end now (every page also checks the account is still active).
        auth.end_sessions_of(session, account_id, now(console.request))
    return see_other(f"/console/admin/accounts/{account_id}?done=revoked")


# --- bulk import --------------------------------------------------------------------------------


def _import_page(console: Console, status: int = 200, **extra: Any) -> HTMLResponse:
    return render(
        console,
        "admin_import.html",
        status=status,
        limit_mib=account_import.MAX_FILE_BYTES // (1024 * 1024),
        max_rows=account_import.MAX_ROWS,
        columns=account_import.COLUMNS,
        roles=[r.value for r in account_import.IMPORT_ROLES],
        problem=extra.pop("problem", ""),
        **_common(console),
        **extra,
    )


@router.get("/console/admin/import", response_class=HTMLResponse)
def import_form(console: AdminPage) -> Response:
    return _import_page(console)


@router.get("/console/admin/import/mau-tai-khoan.xlsx")
def import_template_xlsx(console: AdminPage) -> Response:
    return Response(
        account_import.template_xlsx(),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": 'attachment; filename="mau-tai-khoan.xlsx"'},
    )


@router.get("/console/admin/import/mau-tai-khoan.csv")
def import_template_csv(console: AdminPage) -> Response:
    return Response(
        account_import.template_csv().encode(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="mau-tai-khoan.csv"'},
    )


@router.post("/console/admin/import", response_class=HTMLResponse)
def import_upload(
    console: AdminForm,
    session: SessionDep,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    if file is None or not file.filename:
        return _import_page(console, 422, problem=console._(T_("Bạn chưa chọn tệp.")))
    data = file.file.read(account_import.MAX_FILE_BYTES + 1)
    name = file.filename.replace("\\", "/").rsplit("/", 1)[-1][:200]
    try:
        rows = account_import.parse_rows(account_import.read_table(name, data))
    except account_import.ImportFileError as err:
        return _import_page(console, 422, problem=say(console, err.message, err.params), file_name=name)
    assert console.session_row.id is not None
    moment = now(console.request)
    # Old previews go: the table holds only imports an admin may still confirm (staff names only).
    session.execute(delete(AccountImport).where(col(AccountImport.created_at) < moment - IMPORT_VALIDITY))
    pending = AccountImport(
        # A random name, not the row's number: a number can come back once old rows are cleared
        # (SQLite), and an old preview's button would then confirm another file.
        key=secrets.token_urlsafe(16),
        session_id=console.session_row.id,
        file_name=name,
        rows=rows,
        created_at=moment,
    )
    session.add(pending)
    session.commit()
    return see_other(f"/console/admin/import/{pending.key}")


def _pending(session: Session, console: Console, key: str) -> AccountImport:
    """The admin's own pending import: another session's (or an unknown one) answers 404."""
    found = session.exec(select(AccountImport).where(AccountImport.key == key[:32])).first()
    if found is None or found.session_id != console.session_row.id:
        raise PageError(404, T_("Không có lượt nhập này (hoặc nó thuộc phiên đăng nhập khác)."))
    return found


def _preview(console: Console, session: Session, pending: AccountImport, status: int = 200) -> HTMLResponse:
    checked = account_import.check_rows(session, pending.rows)
    errors = sum(1 for row in checked if row.errors)
    expired = pending.created_at + IMPORT_VALIDITY <= now(console.request)
    return render(
        console,
        "admin_import_preview.html",
        status=status,
        pending=pending,
        rows=checked,
        errors=errors,
        ready=len(checked) - errors,
        expired=expired,
        **_common(console),
    )


@router.get("/console/admin/import/{key}", response_class=HTMLResponse)
def import_preview(key: str, console: AdminPage, session: SessionDep) -> Response:
    pending = _pending(session, console, key)
    if pending.confirmed_at is not None:
        return render(console, "admin_import_done.html", created=[], already=True, **_common(console))
    return _preview(console, session, pending)


@router.post("/console/admin/import/{key}/confirm", response_class=HTMLResponse)
def import_confirm(key: str, console: AdminForm, session: SessionDep) -> Response:
    pending = _pending(session, console, key)
    moment = now(console.request)
    if pending.confirmed_at is not None:
        return render(
            console, "admin_import_done.html", status=409, created=[], already=True, **_common(console)
        )
    if pending.created_at + IMPORT_VALIDITY <= moment:
        return _preview(console, session, pending, 409)
    # Checked again: another admin may have created one of these accounts since the preview.
    checked = account_import.check_rows(session, pending.rows)
    if any(row.errors for row in checked):
        return _preview(console, session, pending, 422)
    # One transaction: the claim on the import (two presses make one import) and every account.
    claimed = session.execute(
        update(AccountImport)
        .where(col(AccountImport.id) == pending.id, col(AccountImport.confirmed_at).is_(None))
        .values(confirmed_at=moment)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        return render(
            console, "admin_import_done.html", status=409, created=[], already=True, **_common(console)
        )
    created = account_import.write_all(session, checked, moment, console.actor)
    session.commit()
    expires = created[0].link_expires.astimezone(VIETNAM_TZ).strftime("%d/%m/%Y %H:%M") if created else ""
    csv_text = account_import.created_csv(created, expires)
    data_url = "data:text/csv;charset=utf-8;base64," + base64.b64encode(csv_text.encode()).decode()
    return render(
        console,
        "admin_import_done.html",
        created=created,
        already=False,
        csv_url=data_url,
        csv_name=f"tai-khoan-{moment.astimezone(VIETNAM_TZ):%Y%m%d-%H%M}.csv",
        expires=created[0].link_expires if created else None,
        **_common(console),
    )


# --- deliveries ---------------------------------------------------------------------------------

PURPOSES = {
    "lead_new": T_("Hồ sơ mới cho cán bộ"),
    "status_update": T_("Cập nhật trạng thái"),
    "reminder": T_("Nhắc hạn"),
}


@router.get("/console/admin/deliveries", response_class=HTMLResponse)
def delivery_list(
    console: AdminPage,
    session: SessionDep,
    status: Annotated[str, Query(max_length=8)] = "dead",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    done: Annotated[str, Query(max_length=16)] = "",
) -> Response:
    status = status if status in admin_ops.DELIVERY_STATUSES else "dead"
    rows, total = admin_ops.deliveries(session, status, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    counts = {s: admin_ops.deliveries(session, s, 1)[1] for s in admin_ops.DELIVERY_STATUSES}
    return render(
        console,
        "admin_deliveries.html",
        rows=rows,
        shown=status,
        counts=counts,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        purposes=PURPOSES,
        done=done,
        **_common(console),
    )


@router.post("/console/admin/deliveries/{delivery_id}/retry")
def delivery_retry(
    delivery_id: RowIdPath,
    console: AdminForm,
    session: SessionDep,
    status: Annotated[str, Form(max_length=8)] = "dead",
) -> Response:
    try:
        admin_ops.retry_delivery(session, delivery_id, now(console.request))
    except admin_ops.RetryRefused as err:
        message = T_("Không có lượt gửi này.") if err.status == 404 else T_("Tin này đã gửi được rồi.")
        raise PageError(err.status, message) from None
    back = status if status in admin_ops.DELIVERY_STATUSES else "dead"
    return see_other(f"/console/admin/deliveries?status={back}&done={delivery_id}")


# --- audit log ----------------------------------------------------------------------------------


def _local_day(text: str) -> datetime | None:
    """A day typed in the form (yyyy-mm-dd from a date input, or dd/mm/yyyy), as its local midnight."""
    text = text.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        return datetime.combine(day, time(), tzinfo=VIETNAM_TZ)
    return None


@router.get("/console/admin/audit", response_class=HTMLResponse)
def audit_log(
    console: AdminPage,
    session: SessionDep,
    account: Annotated[str, Query(max_length=20)] = "",
    action: Annotated[str, Query(max_length=32)] = "",
    lead: Annotated[str, Query(max_length=32)] = "",
    since: Annotated[str, Query(max_length=10)] = "",
    until: Annotated[str, Query(max_length=10)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    problems = []
    account_id = int(account) if account.strip().isdigit() and 0 < int(account) < 2**62 else None
    if account.strip() and account_id is None:
        problems.append(console._(T_("Mã tài khoản phải là một số.")))
    start, end = _local_day(since), _local_day(until)
    if (since and start is None) or (until and end is None):
        problems.append(console._(T_("Ngày không đúng dạng (ngày/tháng/năm).")))
    filters = admin_ops.AuditFilters(
        lead_id=lead.strip() or None,
        account_id=account_id,
        action=action or None,
        since=start,
        # "until" is the last day shown: entries before the next local midnight.
        until=end + timedelta(days=1) if end else None,
    )
    rows, total = admin_ops.audit_entries(session, filters, (page - 1) * PAGE_SIZE, PAGE_SIZE)
    names: dict[int, str] = {}
    ids = {i for r in rows for i in (r.account_id, r.via_account_id, r.subject_account_id) if i is not None}
    if ids:
        names = dict(session.exec(select(Account.id, Account.name).where(col(Account.id).in_(ids))).all())  # type: ignore[arg-type]
    kept = {
        "account": account.strip(),
        "action": action,
        "lead": lead.strip(),
        "since": since,
        "until": until,
    }

    def link(**changes: str | int) -> str:
        params = {**kept, **changes}
        return "/console/admin/audit?" + urlencode({k: v for k, v in params.items() if v not in ("", 1)})

    return render(
        console,
        "admin_audit.html",
        rows=rows,
        names=names,
        actions=admin_ops.audit_actions(session),
        query=kept,
        problems=problems,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        link=link,
        **_common(console),
    )
