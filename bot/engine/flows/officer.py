"""Officers: link a chat with a one-time code (`/canbo CODE`), then work the leads of their commune
from the messages the API sends (buttons `ld|<lead id>|view|<status>|declined`).

Every call acts for the officer linked to this chat (`X-Acting-Chat`); the API checks scope, role
and lifecycle, and its refusals (403/404/409/422) become plain words here.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable
from datetime import date
from typing import Any, TypeVar

from babel.numbers import format_decimal

from bot.api_client import ApiError
from bot.engine.callbacks import data, lead_button
from bot.engine.common import nav_row
from bot.engine.errors import StaleButton
from bot.engine.flows.menu import show_menu
from bot.engine.replies import Button
from bot.engine.turn import Turn
from content.screening import InputError, evaluate
from content.screening.dates import parse_month_or_date
from content.screening.schema import Question
from contract.errors import CHAT_NOT_LINKED
from contract.leads import LeadPublic

T = TypeVar("T")

FLOW = "decline_note"
MAX_NOTE = 1000
_LEAD_ID_CHARS = frozenset("0123456789abcdef")


def _valid_lead_id(lead_id: str) -> bool:
    return 8 <= len(lead_id) <= 40 and set(lead_id) <= _LEAD_ID_CHARS


async def link(turn: Turn, code: str) -> None:
    _ = turn._
    code = code.strip()
    if not code:
        turn.say(_("Cán bộ liên kết tài khoản bằng lệnh: /canbo MÃ (mã do quản trị viên cấp)."))
        return
    if not turn.services.linkable:
        turn.say(_("Liên kết tài khoản cán bộ chỉ làm được trong Telegram."))
        return
    try:
        account = await turn.services.api.link_chat(code[:32], turn.user)
    except ApiError as err:
        if err.status == 429:
            minutes = max(1, math.ceil((err.retry_after or 60) / 60))
            turn.say(
                _(
                    "Đã có quá nhiều lần nhập sai mã. Để giữ an toàn, bạn đợi khoảng {minutes} phút "
                    "rồi gõ lại /canbo MÃ nhé."
                ).format(minutes=minutes)
            )
            return
        if err.status not in (404, 422):
            raise
        turn.say(_("Mã không đúng hoặc đã hết hạn. Bạn xin quản trị viên một mã mới nhé."))
        return
    linked = _("✅ Đã liên kết chat này với tài khoản {name}.").format(name=account.get("name", ""))
    arrives = _what_arrives(turn, str(account.get("role", "")))
    turn.say(f"{linked} {arrives}" if arrives else linked)


async def login_link(turn: Turn) -> None:
    """`/dangnhap`: a one-time link to the staff console, for the officer linked to this chat."""
    _ = turn._
    if not turn.services.linkable:
        turn.say(_("Đăng nhập trang làm việc chỉ làm được trong chat Telegram đã liên kết."))
        return
    try:
        link = await turn.services.api.login_link(turn.user, turn.lang)
    except ApiError as err:
        if err.status != 403:
            raise
        turn.say(_("Chat này chưa liên kết với tài khoản cán bộ. Gõ /canbo MÃ (mã do quản trị viên cấp)."))
        return
    # The API sends the link itself into this chat (through the outbox): the bot never holds it.
    turn.say(
        _(
            "Bước Mới vừa gửi vào chat này một đường dẫn để vào trang làm việc. Đường dẫn dùng được "
            "một lần, trong {minutes} phút; đừng chuyển cho người khác."
        ).format(minutes=link.get("valid_minutes", 15))
    )


def _what_arrives(turn: Turn, role: str) -> str:
    """What this role's chat receives from Bước Mới (api/services/notify.py, api/jobs/escalation.py,
    api/reminders): each role gets different messages."""
    _ = turn._
    if role == "commune_police":
        return _(
            "Khi có đề nghị mới ở xã/phường của bạn, Bước Mới sẽ nhắn ở đây, kèm nút để xem và cập nhật. "
            "Lời nhắc hạn các việc của bạn cũng đến đây."
        )
    if role == "bank":
        return (
            _(
                "Khi Công an xã/phường đưa một đề nghị vào danh sách tháng và người đó đồng ý chuyển ngân "
                "hàng, Bước Mới sẽ nhắn ở đây, kèm nút để xem hồ sơ. Lời nhắc hạn các việc của bạn cũng "
                "đến đây."
            )
            + " "
            + _(
                "Đề nghị của cơ sở sản xuất, kinh doanh (vay trực tiếp) đến đây ngay khi được gửi, kèm nút "
                "để tiếp nhận, ghi nhận phương án đã được UBND xã xác nhận (Mẫu số 02) hoặc không tiếp nhận."
            )
        )
    if role == "coordinator":
        return _(
            "Khi một đề nghị không được xã/phường tiếp nhận đúng hạn, Bước Mới sẽ báo ở đây, kèm nút "
            "để xem hồ sơ đó. Báo các đơn vị chưa hoàn thành việc định kỳ đúng hạn cũng đến đây."
        )
    if role == "agency":
        return _(
            "Bước Mới sẽ nhắc ở đây các hạn việc của cơ quan bạn, kèm nút “✓ Đã hoàn thành” để báo "
            "đã làm xong. Đề nghị vay của người dân không gửi đến đây."
        )
    return ""


async def on_lead_button(turn: Turn, lead_id: str, action: str) -> None:
    if not _valid_lead_id(lead_id):
        raise StaleButton()
    if action == "view":
        await view(turn, lead_id)
    elif action == "declined":
        await ask_reason(turn, lead_id)
    elif action == "remind":
        await remind(turn, lead_id)
    elif action in AMOUNT_STEPS:
        # An older message's button: these steps need an amount (and a day) typed in the console.
        turn.say(bank_in_console(turn))
    elif action in turn.services.content.leads.status_labels:
        await change(turn, lead_id, action)
    else:
        raise StaleButton()


# The bank's approval and payout carry an amount (and a payout day): recorded in the console.
AMOUNT_STEPS = ("approved", "disbursed")


def bank_in_console(turn: Turn) -> str:
    _ = turn._
    return _("Số tiền duyệt và ngày giải ngân được ghi trên trang làm việc: gõ /dangnhap để mở.")


async def remind(turn: Turn, lead_id: str) -> None:
    """The coordinator's button under an escalation: remind the commune's officers (their chats)."""
    _ = turn._
    result = await _call(turn, lead_id, turn.services.api.remind(lead_id, turn.user))
    if result is None:
        return
    if int(result.get("chats", 0)):
        turn.say(_("✅ Đã gửi lời nhắc đến {n} cán bộ xã/phường.").format(n=result["chats"]))
    else:
        turn.say(_("Đã ghi lời nhắc, nhưng chưa cán bộ nào của xã/phường liên kết Telegram."))


async def on_reason(turn: Turn, args: tuple[str, ...]) -> None:
    _ = turn._
    if len(args) != 2 or not _valid_lead_id(args[0]):
        raise StaleButton()
    lead_id, reason = args
    if reason == "-":
        turn.say(_("Không đổi trạng thái hồ sơ."))
        return
    if reason not in turn.services.content.leads.decline_reason_ids():
        raise StaleButton()
    if reason == "other":
        turn.start_flow(FLOW, lead=lead_id, reason=reason)
        turn.say(
            _("Bạn ghi rõ lý do trong một câu ngắn:"),
            [[Button(_("Bỏ qua ghi chú"), data("dn", "skip"))], nav_row(turn, back=False)],
        )
        return
    await change(turn, lead_id, "declined", reason)


async def on_note(turn: Turn, note: str | None) -> None:
    flow = turn.flow
    if flow is None or flow.get("name") != FLOW:
        raise StaleButton()
    turn.end_flow()
    text = " ".join(note.split())[:MAX_NOTE] if note else None
    await change(turn, str(flow.get("lead")), "declined", str(flow.get("reason")), text or None)


def cancel_note(turn: Turn) -> None:
    turn.end_flow()
    show_menu(turn, turn._("Không đổi trạng thái hồ sơ."))


async def ask_reason(turn: Turn, lead_id: str) -> None:
    _ = turn._
    lang = turn.lang
    rows = [
        [Button(reason.label.get(lang), data("dr", lead_id, reason.id))]
        for reason in turn.services.content.leads.decline_reasons
    ]
    rows.append([Button(_("↩ Không, giữ nguyên"), data("dr", lead_id, "-"))])
    turn.say(_("Lý do không tiếp nhận hồ sơ?"), rows)


async def _call(turn: Turn, lead_id: str, coro: Awaitable[T]) -> T | None:
    """Await an API call for this officer; turn a refusal into plain words (None)."""
    _ = turn._
    try:
        return await coro
    except ApiError as err:
        if err.code == CHAT_NOT_LINKED:
            turn.say(
                _("Chat này chưa liên kết với tài khoản cán bộ. Gõ /canbo MÃ (mã do quản trị viên cấp).")
            )
        elif err.status == 403:
            turn.say(_("Tài khoản của bạn không được làm bước này."))
        elif err.status == 404:
            turn.say(_("Không tìm thấy hồ sơ này trong xã/phường của bạn."))
        elif err.status == 409:
            turn.say(_("Hồ sơ đã ở trạng thái khác (có thể người khác vừa cập nhật). Đây là hồ sơ hiện tại:"))
            await view(turn, lead_id, quiet=True)
        elif err.status == 422:
            turn.say(_("Bước này chưa làm được: thiếu hoặc sai lý do."))
        else:
            raise
        return None


async def change(
    turn: Turn, lead_id: str, status: str, reason: str | None = None, note: str | None = None
) -> None:
    _ = turn._
    lead = await _call(turn, lead_id, turn.services.api.set_status(lead_id, turn.user, status, reason, note))
    if lead is None:
        return
    labels = turn.services.content.leads.status_labels
    label = labels[status].get(turn.lang) if status in labels else status
    if status == "declined":  # name the reason chosen (and the note), not only "declined"
        label = " — ".join([label, _reason_label(turn, lead), *([note] if note else [])])
    turn.say(
        _("✅ Hồ sơ {reference}: {status}.").format(reference=lead.reference, status=label),
        status_rows(turn, lead),
    )


async def view(turn: Turn, lead_id: str, quiet: bool = False) -> None:
    """The lead with its screening criterion by criterion and the buttons for the next step."""
    if quiet:
        lead = await _quiet(turn, lead_id)
    else:
        lead = await _call(turn, lead_id, turn.services.api.lead(lead_id, turn.user))
    if lead is None:
        return
    text = lead_text(turn, lead)
    if any(status in AMOUNT_STEPS for status in lead.next_statuses):
        text = f"{text}\n\n{bank_in_console(turn)}"
    turn.say(text, status_rows(turn, lead))


async def _quiet(turn: Turn, lead_id: str) -> LeadPublic | None:
    try:
        return await turn.services.api.lead(lead_id, turn.user)
    except ApiError as err:
        if err.status in (403, 404):
            return None
        raise


def status_rows(turn: Turn, lead: LeadPublic) -> list[list[Button]]:
    _ = turn._
    labels = turn.services.content.leads.status_labels
    lead_id = lead.id
    rows: list[list[Button]] = []
    for status in lead.next_statuses:
        if status == "withdrawn" or status not in labels or status in AMOUNT_STEPS:
            continue
        mark = "✗ " if status == "declined" else "→ "
        rows.append([Button(mark + labels[status].get(turn.lang), lead_button(lead_id, status))])
    rows.append([Button(_("🔄 Xem lại hồ sơ"), lead_button(lead_id, "view"))])
    return rows


def lead_text(turn: Turn, lead: LeadPublic) -> str:
    _ = turn._
    content = turn.services.content
    lang = turn.lang
    labels = content.leads.status_labels
    status = lead.status
    outcome = lead.outcome
    outcomes = content.screening.outcomes
    consent = lead.consent
    contact = lead.contact
    lines = [
        _("📋 Hồ sơ {reference}: {status}").format(
            reference=lead.reference, status=labels[status].get(lang) if status in labels else status
        ),
        _("Xã/phường: {commune}").format(commune=lead.commune_name or lead.commune_code),
    ]
    if contact is not None and lead.applicant == "business":
        # A business: the establishment, who represents it, where it is (issue 18).
        lines.append(_("Cơ sở: {name}").format(name=contact.name))
        if contact.representative:
            lines.append(_("Người đại diện: {name}").format(name=contact.representative))
        if contact.address:
            lines.append(_("Địa chỉ cơ sở: {address}").format(address=contact.address))
        lines.append(_("Điện thoại: {phone}").format(phone=contact.phone))
    elif contact is not None:
        lines.append(_("Họ tên: {name}").format(name=contact.name))
        lines.append(_("Điện thoại: {phone}").format(phone=contact.phone))
    else:
        lines.append(_("(Thông tin cá nhân đã được xóa)"))
    if lead.on_behalf:
        lines.append(
            _("👪 Người nhà gửi giúp: khi gọi lần đầu, hỏi chính người này có đồng ý không.")
            + (
                " "
                + _(
                    "Chưa xác nhận: bấm “Đã liên hệ” khi người này đồng ý; không đồng ý thì chọn "
                    "“Người đề nghị đã rút”."
                )
                if lead.consent_pending
                else ""
            )
        )
    lines.append(
        _("Đồng ý chuyển ngân hàng: {answer}").format(answer=_("Có") if consent.get("bank") else _("Không"))
    )
    lines.append(
        _("Sàng lọc sơ bộ: {outcome}").format(
            outcome=outcomes[outcome].label.get(lang) if outcome in outcomes else outcome
        )
    )
    criteria = _criteria(turn, lead)
    if criteria:
        lines.append(_("Từng tiêu chí:"))
        lines += [f"• {line}" for line in criteria]
    explanations = _explanations(turn, lead)
    if explanations:
        lines.append(_("Lý do, lưu ý:"))
        lines += [f"• {text}" for text in explanations]
    if lead.decline_reason:
        lines.append(_("Lý do không tiếp nhận: {reason}").format(reason=_reason_label(turn, lead)))
    return "\n".join(lines)


def _reason_label(turn: Turn, lead: LeadPublic) -> str:
    wanted = lead.decline_reason
    for reason in turn.services.content.leads.decline_reasons:
        if reason.id == wanted:
            return reason.label.get(turn.lang)
    return str(wanted)


def _criteria(turn: Turn, lead: LeadPublic) -> list[str]:
    answers = lead.answers
    applicant = lead.applicant
    out = []
    for question in turn.services.content.screening.questions_for(applicant):
        value = answers.get(question.id)
        if value is None or question.id in ("applicant", "as_of", "commune_code"):
            continue
        out.append(f"{question.label.get(turn.lang)}: {_shown(turn, question, value, answers)}")
    return out


def _shown(turn: Turn, question: Question, value: Any, answers: dict[str, Any]) -> str:
    lang = turn.lang
    if question.type == "choice":
        for choice in question.choices:
            if choice.id == value:
                return choice.label.get(lang)
    if question.type == "month_or_date":
        when = parse_month_or_date(str(value))
        if when is not None:
            return (
                f"{when.month:02d}/{when.year}"
                if when.day is None
                else f"{when.day:02d}/{when.month:02d}/{when.year}"
            )
    if question.type == "amount" and isinstance(value, int):
        money = turn.services.content.screening.money
        per_month = answers.get("purpose") == "training"
        template = money.month if per_month else money.loan
        return template.get(lang).format(amount=format_decimal(value, locale=lang))
    return str(value)


def _explanations(turn: Turn, lead: LeadPublic) -> list[str]:
    """The reasons and notes in the officer's language, as of the day the person was screened."""
    screening = lead.screening
    try:
        as_of = date.fromisoformat(str(screening.get("as_of")))
    except ValueError:
        as_of = None
    answers = {**lead.answers, "applicant": lead.applicant}
    if as_of is not None and answers.get("applicant"):
        result = evaluate(answers, as_of, turn.services.content.screening)
        if not isinstance(result, InputError):
            return [item["text"] for item in result.explanations(turn.lang)]
    return [str(item.get("text")) for item in screening.get("explanations") or [] if isinstance(item, dict)]
