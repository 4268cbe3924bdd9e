"""A referral's page: contact, screening criterion by criterion, timeline, notes, the next steps as
buttons, and the monthly-list fields. Reads and moves go through the API's services with the same
Actor: a referral outside the officer's scope answers 404, exactly as GET /api/v1/leads/{id}."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlmodel import Session

from api.console import queues, referral_view
from api.console.i18n import T_
from api.console.web import Console, ConsoleDep, CsrfDep, PageError, now, render, see_other
from api.console.web import local_time as _local_time
from api.core.config import ApiSettings
from api.deps import SessionDep
from api.lifecycle import TransitionError
from api.models import Lead
from api.roles import Role
from api.schemas import StatusChange, Transfer
from api.services import audit, leads, loop, notify
from api.sessions import SessionRoute
from api.sheets import clean_text
from api.wards import normalise_code, ward_name
from content.catalog import get_content
from content.communes.resolver import resolve

router = APIRouter(include_in_schema=False, route_class=SessionRoute)

# What each next-status button says (an action, where the status label says a state).
ACTIONS = {
    "received": T_("Đã tiếp nhận"),
    "contacted": T_("Đã liên hệ"),
    "listed": T_("Đưa vào danh sách"),
    "sent_to_bank": T_("Chuyển ngân hàng"),
    "plan_confirmed": T_("UBND xã đã xác nhận phương án (Mẫu số 02)"),
    "approved": T_("Ngân hàng duyệt"),
    "disbursed": T_("Đã giải ngân"),
    "withdrawn": T_("Người đề nghị rút"),
}
DECISIONS = ("approved", "disbursed")
NOT_FOUND = T_("Không tìm thấy hồ sơ này trong phạm vi của bạn.")
NOTE_MAX = 2000
DECLINE_NOTE_MAX = 1000
STEP_REFUSED = T_("Bước này chưa làm được: thiếu hoặc sai lý do.")

# Form fields take any length here (the body limit bounds them) and are checked below: a field
# refused by FastAPI itself would answer JSON in English and lose what the officer typed.


def typed(value: str) -> str:
    """Text as a browser sends it from a form: a line break (CRLF) counts as one character, as the
    textarea's maxlength counts it, and invisible control characters are dropped (NUL cannot even
    be stored by PostgreSQL, and the others would reach exports and the person's messages)."""
    return clean_text(value.replace("\r\n", "\n"))


def _visible(session: Session, console: Console, lead_id: str) -> Lead:
    lead = leads.get_lead(session, console.actor, lead_id[:32])
    if lead is None:
        raise PageError(404, NOT_FOUND)
    return lead


def _page(console: Console, session: Session, lead: Lead, status: int = 200, **extra: Any) -> HTMLResponse:
    moment = now(console.request)
    public = leads.to_public(lead, console.actor.role)
    content = get_content()
    # An intake officer confirms what it typed (the referral, its status): not the other agencies'
    # timeline, the list fields, the bank's amounts, nor the province-wide same-phone count.
    reduced = _reduced(console)
    response = render(
        console,
        "referral.html",
        status=status,
        lead=lead,
        public=public,
        commune=ward_name(lead.commune_code) or lead.commune_code,
        countdown=queues.countdown(lead, moment),
        criteria=referral_view.criteria(lead, console.lang),
        answers=referral_view.answers(lead, console.lang),
        reduced=reduced,
        timeline=referral_view.timeline(session, lead, only_by=console.actor.id if reduced else None),
        same_phone=0 if reduced else referral_view.same_phone_count(session, lead, moment),
        # The bank's approval and payout are forms of their own (amount, day), not plain buttons.
        actions={s: ACTIONS[s] for s in public.next_statuses if s in ACTIONS and s not in DECISIONS},
        may_approve="approved" in public.next_statuses,
        may_disburse="disbursed" in public.next_statuses,
        cap=loop.approval_cap(lead, queues.local_date(moment)),
        money=lambda amount: notify.money(amount, console.lang),
        today=queues.local_date(moment).isoformat(),
        grouped=lambda amount: f"{amount:,}".replace(",", "."),
        day_of=lambda iso: "/".join(reversed(str(iso).split("-"))),
        may_transfer=loop.may_transfer(console.actor, lead),
        candidates=extra.pop("candidates", []),
        transfer_form=extra.pop("transfer_form", {}),
        ward_name=ward_name,
        may_decline="declined" in public.next_statuses,
        may_edit=_may_edit(console, lead),
        may_note=_may_note(console),
        reasons=content.leads.decline_reasons,
        status_labels=content.leads.status_labels,
        reason_labels={r.id: r.label for r in content.leads.decline_reasons},
        genders=content.monthly_list.genders,
        details=extra.pop("details", None) or dict(lead.contact_extra or {}),
        errors=extra.pop("errors", {}),
        years=referral_view.birth_years(queues.local_date(moment)),
        local=_local_time,
        **extra,
    )
    # The page shows the contact, the answers and officers' notes: audited like GET /leads/{id}.
    audit.record_reads(session, console.actor, "console_read", [lead.id])
    return response


def _reduced(console: Console) -> bool:
    # An intake officer reads the referrals it made and nothing more: the case is the commune's.
    return console.actor.role is Role.INTAKE_OFFICER


def _may_note(console: Console) -> bool:
    return not _reduced(console)


def _may_edit(console: Console, lead: Lead) -> bool:
    # The officers who put people on the monthly list fill in its fields.
    return console.actor.role is Role.COMMUNE_POLICE and lead.anonymised_at is None


@router.get("/console/referrals/{lead_id}", response_class=HTMLResponse)
def referral(lead_id: str, console: ConsoleDep, session: SessionDep, done: str = "") -> Response:
    lead = _visible(session, console, lead_id)
    return _page(
        console,
        session,
        lead,
        done=done if done in (*ACTIONS, "declined", "note", "details", "transferred") else "",
    )


@router.post("/console/referrals/{lead_id}/status")
def change_status(
    lead_id: str,
    console: CsrfDep,
    session: SessionDep,
    status: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    amount: Annotated[str, Form()] = "",
    on_date: Annotated[str, Form()] = "",
) -> Response:
    lead = _visible(session, console, lead_id)
    note = " ".join(typed(note).split())
    if len(note) > DECLINE_NOTE_MAX:
        problem = T_("Phần ghi rõ dài tối đa 1000 ký tự. Bạn rút gọn rồi gửi lại nhé.")
        return _page(console, session, lead, 422, problem=problem, decline_note=note)
    refused = BAD_DECISION if status in DECISIONS else STEP_REFUSED
    money, day = _amount(amount), _day(on_date)
    if (amount.strip() and money is None) or (on_date.strip() and day is None):
        return _page(console, session, lead, 422, problem=BAD_DECISION)
    try:
        change = StatusChange(
            status=typed(status), reason=typed(reason) or None, note=note or None, amount=money, on_date=day
        )
    except ValidationError:
        return _page(console, session, lead, 422, problem=refused, decline_note=note)
    try:
        leads.change_status(session, console.actor, lead, change, now(console.request))
    except TransitionError as err:
        session.rollback()
        problem = {
            403: T_("Tài khoản của bạn không được làm bước này."),
            409: T_("Hồ sơ đã ở trạng thái khác (có thể người khác vừa cập nhật)."),
        }.get(err.status_code, refused)
        return _page(
            console,
            session,
            _visible(session, console, lead_id),
            err.status_code,
            problem=problem,
            decline_note=note,
        )
    audit.record_reads(session, console.actor, "update", [lead.id])
    return see_other(f"/console/referrals/{lead.id}?done={status}")


BAD_DECISION = T_(
    "Số tiền hoặc ngày chưa đúng: số tiền (đồng) phải lớn hơn 0, không vượt mức tối đa và khi giải ngân "
    "không vượt số tiền đã duyệt; ngày giải ngân không ở tương lai và không trước ngày duyệt."
)


def _amount(text: str) -> int | None:
    """ "50.000.000", "50,000,000" or "50000000" đồng; None when it is not a whole positive number."""
    digits = text.strip().replace(".", "").replace(",", "").replace(" ", "")
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 13:  # "²" is a digit to isdigit
        return None
    value = int(digits)
    return value if value > 0 else None


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()[:16])
    except ValueError:
        return None


@router.post("/console/referrals/{lead_id}/transfer")
def transfer(
    lead_id: str,
    console: CsrfDep,
    session: SessionDep,
    commune: Annotated[str, Form(max_length=100)] = "",
    commune_code: Annotated[str, Form(max_length=8)] = "",
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """The person moved: the referral goes to another commune, chosen by name (the same resolver as
    the bot's) or from the candidates a name gave."""
    lead = _visible(session, console, lead_id)
    form = {"commune": commune, "reason": reason}
    settings: ApiSettings = console.request.app.state.settings
    reason = " ".join(reason.split())
    if not reason:
        return _page(
            console, session, lead, 422, problem=T_("Ghi lý do chuyển xã/phường."), transfer_form=form
        )
    code = normalise_code(commune_code) if commune_code.strip() else ""
    if not code:
        found = resolve(commune, settings.province) if commune.strip() else []
        found = [c for c in found if c.code != lead.commune_code]
        if len(found) != 1:
            problem = (
                T_("Có nhiều xã/phường trùng tên: chọn một.")
                if found
                else T_("Không tìm thấy xã/phường này trong tỉnh.")
            )
            return _page(
                console, session, lead, 422, problem=problem, candidates=found[:8], transfer_form=form
            )
        code = found[0].code
    try:
        checked = Transfer(commune_code=code, reason=reason)
    except ValidationError:
        return _page(console, session, lead, 422, problem=T_("Không chuyển được đến xã/phường này."))
    code, reason = checked.commune_code, checked.reason
    try:
        loop.transfer(session, console.actor, lead, code, reason, settings.province, now(console.request))
    except TransitionError as err:
        session.rollback()
        problem = {
            403: T_("Tài khoản của bạn không được làm bước này."),
            409: T_("Hồ sơ đã vào danh sách tháng: không chuyển xã/phường được nữa."),
        }.get(err.status_code, T_("Không chuyển được đến xã/phường này."))
        return _page(console, session, _visible(session, console, lead_id), err.status_code, problem=problem)
    audit.record_reads(session, console.actor, "transfer", [lead.id])
    # Neither the old commune's officer nor the coordinator sees it now (a transfer clears the
    # escalation: the new commune starts clean).
    if leads.get_lead(session, console.actor, lead.id) is None:
        return see_other("/console/?queue=in_progress")
    return see_other(f"/console/referrals/{lead.id}?done=transferred")


@router.post("/console/referrals/{lead_id}/notes")
def add_note(
    lead_id: str,
    console: CsrfDep,
    session: SessionDep,
    text: Annotated[str, Form()] = "",
) -> Response:
    lead = _visible(session, console, lead_id)
    if not _may_note(console):
        raise PageError(403, T_("Tài khoản của bạn không được làm bước này."))
    text = typed(text).strip()
    if not text or lead.anonymised_at is not None:
        return _page(console, session, lead, 422, problem=T_("Ghi chú trống, chưa lưu."))
    if len(text) > NOTE_MAX:
        problem = T_("Ghi chú dài tối đa 2000 ký tự, chưa lưu. Bạn rút gọn rồi lưu lại nhé.")
        return _page(console, session, lead, 422, problem=problem, note_text=text)
    referral_view.add_note(session, lead, console.actor.id, "note", text, now(console.request))
    return see_other(f"/console/referrals/{lead.id}?done=note#notes")


@router.post("/console/referrals/{lead_id}/details")
def edit_details(
    lead_id: str,
    console: CsrfDep,
    session: SessionDep,
    birth_year: Annotated[str, Form()] = "",
    gender: Annotated[str, Form()] = "",
    address: Annotated[str, Form()] = "",
    release_date: Annotated[str, Form()] = "",
) -> Response:
    lead = _visible(session, console, lead_id)
    if not _may_edit(console, lead):
        raise PageError(403, T_("Tài khoản của bạn không được làm bước này."))
    form = {
        "birth_year": typed(birth_year),
        "gender": typed(gender),
        "address": typed(address),
        "release_date": typed(release_date),
    }
    moment = now(console.request)
    try:
        values = referral_view.parse_details(form, queues.local_date(moment))
    except referral_view.DetailsError as err:
        # Said at the top as well: the page opens there, far from the fields on a phone.
        problem = T_("Chưa lưu thông tin danh sách tháng: sửa các ô báo lỗi bên dưới.")
        return _page(console, session, lead, 422, details=form, errors=err.errors, problem=problem)
    changed = referral_view.save_details(session, lead, values)
    if changed:
        # The timeline names the fields, not their values; the audit log has the write.
        referral_view.add_note(session, lead, console.actor.id, "details", ",".join(changed), moment)
        audit.record_reads(session, console.actor, "console_edit", [lead.id])
    return see_other(f"/console/referrals/{lead.id}?done=details#details")
