""" "Hồ sơ của tôi": where the person's referral is, in plain words, what happens next and by when,
whom to call (the commune police and the bank point, tap-to-call), and a declined referral's reason
with what would change it. Also the answer to "tiếp theo tui phải làm gì" / "bao lâu thì có tiền".
"""

from __future__ import annotations

from datetime import UTC, date
from zoneinfo import ZoneInfo

from bot.engine.callbacks import data
from bot.engine.common import menu_button
from bot.engine.flows import faq
from bot.engine.relative import lead_on_behalf
from bot.engine.replies import Button
from bot.engine.turn import Turn
from content.communes.offices import contacts_for
from content.communes.official import ward
from contract.leads import LeadPublic

MAX_SHOWN = 3
REFERRABLE = ("likely_eligible", "needs_review", "not_yet")
OPEN = ("new", "received", "contacted", "listed", "sent_to_bank", "approved")


def _next_step(turn: Turn, status: str, lead: LeadPublic) -> str:
    _ = turn._
    if lead_on_behalf(lead):  # sent by a family member: the steps speak of "người nhà của bạn"
        relative = {
            "new": _("Công an xã/phường sẽ tiếp nhận yêu cầu và gọi theo số điện thoại đã gửi."),
            "received": _(
                "Cán bộ đã nhận yêu cầu và sẽ gọi để hỏi thêm; cán bộ sẽ hỏi chính người nhà của bạn có "
                "đồng ý không."
            ),
            "contacted": _(
                "Cán bộ xem xét đưa người nhà của bạn vào danh sách đề nghị vay vốn của xã/phường "
                "(Mẫu số 01)."
            ),
            "listed": _(
                "Danh sách được gửi Ngân hàng Chính sách xã hội; Tổ tiết kiệm và vay vốn sẽ hướng dẫn người "
                "nhà của bạn làm hồ sơ vay."
            ),
        }
        if status in relative:
            return relative[status]
    steps = {
        "new": _("Công an xã/phường sẽ tiếp nhận yêu cầu và gọi cho bạn."),
        "received": _("Cán bộ đã nhận yêu cầu và sẽ gọi cho bạn để hỏi thêm."),
        "contacted": _("Cán bộ xem xét đưa bạn vào danh sách đề nghị vay vốn của xã/phường (Mẫu số 01)."),
        "listed": _(
            "Danh sách được gửi Ngân hàng Chính sách xã hội; Tổ tiết kiệm và vay vốn sẽ hướng dẫn bạn "
            "làm hồ sơ vay."
        ),
        "sent_to_bank": _(
            "Ngân hàng Chính sách xã hội xem xét hồ sơ. Thời gian do ngân hàng quyết định; Bước Mới "
            "nhắn cho bạn khi có cập nhật."
        ),
        "approved": _("Ngân hàng sẽ hẹn ngày giải ngân tại điểm giao dịch của xã/phường."),
        "disbursed": _("Tiền đã được giải ngân. Nhớ trả lãi đúng hẹn tại điểm giao dịch của xã/phường."),
    }
    return steps.get(status, "")


def _shown_day(turn: Turn, day: date) -> str:
    return day.isoformat() if turn.lang == "en" else day.strftime("%d/%m/%Y")


def receive_by(turn: Turn, lead: LeadPublic) -> date | None:
    """The day the commune must have received a new referral (the escalation limit, working days),
    counted as the escalation counts it: from the day, in the deployment's time zone, the referral
    reached its present commune (a transfer gives the new commune its own working days)."""
    content = turn.services.content
    start = lead.assigned_at or lead.created_at
    if start.tzinfo is None:  # the API answers in UTC
        start = start.replace(tzinfo=UTC)
    day = start.astimezone(ZoneInfo(content.deadlines.schedule.calendar.timezone)).date()
    return content.deadlines.calendar.add_working_days(day, content.deployment.escalation_working_days)


def tel(phone: str) -> str:
    """A number Telegram (and phones) turn into a tap-to-call link: international form, no spaces."""
    digits = "".join(ch for ch in phone if ch.isdigit() or ch == "+")
    if digits.startswith("0"):
        digits = "+84" + digits[1:]
    return digits


def contacts_card(turn: Turn, code: str) -> str:
    """Who to call or visit for a commune: name, address, phone (tap-to-call), hours, each marked when
    the deployment has not confirmed it; and that making the file costs nothing."""
    _ = turn._
    found = ward(code)
    lines = [_("📍 Nơi liên hệ: {commune}").format(commune=found.name if found else code)]
    unknown = _("chưa có trong dữ liệu, hỏi UBND xã/phường")
    for contact in contacts_for(turn.services.content.offices, code, turn.lang):
        lines.append(f"• {contact.name}")
        lines.append("  " + _("Địa chỉ: {address}").format(address=contact.address or unknown))
        phone = tel(contact.phone) if contact.phone else unknown
        lines.append("  " + _("Điện thoại: {phone}").format(phone=phone))
        lines.append("  " + _("Giờ làm việc: {hours}").format(hours=contact.hours or unknown))
        if contact.kind == "bank_office" and not contact.confirmed:
            lines.append("  " + _("(thông tin chưa được xác nhận, hãy hỏi lại trước khi đến)"))
    lines.append("")
    lines.append(free_line(turn))
    return "\n".join(lines)


def free_line(turn: Turn) -> str:
    return turn._("💚 Miễn phí: không ai được thu tiền làm hồ sơ. Ai đòi tiền, bạn báo Công an xã/phường.")


def _lead_block(turn: Turn, lead: LeadPublic) -> list[str]:
    _ = turn._
    words = turn.services.content.leads
    status = lead.status
    label = words.status_labels[status].get(turn.lang) if status in words.status_labels else status
    lines = [_("📄 Hồ sơ {reference}: {status}").format(reference=lead.reference, status=label)]
    if status == "declined":
        reason = words.decline_reason(lead.decline_reason)
        lines.append(
            words.decline_explained.get(turn.lang).format(
                reason=reason.person.get(turn.lang), remedy=reason.remedy.get(turn.lang)
            )
        )
        return lines
    step = _next_step(turn, status, lead)
    if step:
        lines.append(_("Tiếp theo: {step}").format(step=step))
    if status == "new":
        day = receive_by(turn, lead)
        if day is not None:
            lines.append(
                _("Hạn tiếp nhận: chậm nhất ngày {day}. Quá hạn, cán bộ điều phối sẽ nhắc xã/phường.").format(
                    day=_shown_day(turn, day)
                )
            )
    code = lead.commune_code
    police = next((c for c in contacts_for(turn.services.content.offices, code, turn.lang)), None)
    if police is not None and status in OPEN:
        lines.append(_("Đơn vị phụ trách: {unit}").format(unit=police.name))
    return lines


async def show(turn: Turn) -> None:
    _ = turn._
    leads = await turn.services.api.my_leads(turn.services.channel, turn.user)
    rows: list[list[Button]] = []
    if not leads:
        result = turn.state.get("result")
        text = _("Bạn chưa gửi hồ sơ nào cho cán bộ.")
        if isinstance(result, dict) and result.get("outcome") in REFERRABLE:
            rows.append([Button(_("📨 Gửi yêu cầu cho cán bộ xã/phường"), data("r", "send"))])
        else:
            rows.append([Button(_("✅ Kiểm tra điều kiện vay"), data("m", "check"))])
        rows.append([menu_button(turn)])
        turn.say(text, rows)
        return
    leads = sorted(leads, key=lambda lead: lead.created_at, reverse=True)[:MAX_SHOWN]
    blocks = ["\n".join(_lead_block(turn, lead)) for lead in leads]
    code = leads[0].commune_code
    if ward(code) is not None:
        blocks.append(contacts_card(turn, code))
    rows.append([Button(_("🔒 Dữ liệu của tôi"), data("m", "data"))])
    rows.append([menu_button(turn)])
    turn.say("\n\n".join(blocks), rows)


async def next_steps(turn: Turn, timeline: bool) -> None:
    """ "What do I do next?" / "how long until the money?": the person's own file if there is one,
    else the steps (the how_to_apply topic) — never a promised number of days for the bank."""
    _ = turn._
    leads = await turn.services.api.my_leads(turn.services.channel, turn.user)
    if leads:
        if timeline:
            turn.say(
                _(
                    "Bước Mới không hứa trước được ngày có tiền: Công an xã/phường tiếp nhận và đưa vào "
                    "danh sách, rồi Ngân hàng Chính sách xã hội xét hồ sơ và hẹn ngày giải ngân. Hồ sơ "
                    "đã gửi đang ở bước này:"
                )
            )
        await show(turn)
        return
    if timeline:
        turn.say(
            _(
                "Bước Mới không hứa trước được ngày có tiền: Công an xã/phường lập danh sách, rồi Ngân "
                "hàng Chính sách xã hội xét hồ sơ và hẹn ngày giải ngân. Các bước:"
            )
        )
    faq.show_topic(turn, "how_to_apply", in_flow=turn.flow_name is not None)
    if turn.flow_name is None:
        result = turn.state.get("result")
        if isinstance(result, dict) and result.get("outcome") in REFERRABLE and not result.get("sent"):
            turn.say(
                _("Bạn có thể gửi yêu cầu cho cán bộ ngay bây giờ."),
                [[Button(_("📨 Gửi yêu cầu cho cán bộ xã/phường"), data("r", "send"))]],
            )
