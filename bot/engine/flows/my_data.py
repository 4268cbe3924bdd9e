"""What the service keeps about the person (/dulieu), and erasing it (/xoadulieu)."""

from __future__ import annotations

from bot.engine.callbacks import data
from bot.engine.common import LANGUAGE_NAMES, menu_button
from bot.engine.errors import StaleButton
from bot.engine.flows.menu import show_menu
from bot.engine.replies import Button
from bot.engine.turn import Turn
from content.communes.official import ward
from contract.leads import LeadPublic

FLOW = "erase"


async def show(turn: Turn) -> None:
    _ = turn._
    content = turn.services.content
    leads = await turn.services.api.my_leads(turn.services.channel, turn.user)
    lines = [_("🔒 Những gì Bước Mới đang giữ về bạn:")]
    lang = turn.state.get("lang")
    if isinstance(lang, str):
        lines.append(_("• Ngôn ngữ: {language}").format(language=LANGUAGE_NAMES.get(lang, lang)))
    result = turn.state.get("result")
    if isinstance(result, dict) and result.get("outcome") in content.screening.outcomes:
        label = content.screening.outcomes[str(result["outcome"])].label.get(turn.lang)
        lines.append(_("• Kết quả kiểm tra gần nhất: {label}").format(label=label))
        remind_on = result.get("remind_on")
        if result.get("reminder") and isinstance(remind_on, str):
            shown = remind_on if turn.lang == "en" else "/".join(reversed(remind_on.split("-")))
            lines.append(_("• Lời nhắc vào ngày {day}").format(day=shown))
    commune = turn.state.get("commune")
    found = ward(commune) if isinstance(commune, str) else None
    if found is not None:
        lines.append(_("• Xã/phường: {commune}").format(commune=found.name))
    if turn.state.get("flow"):
        lines.append(_("• Những câu trả lời bạn đang nhập dở."))
    if not leads:
        lines.append(_("• Bạn chưa gửi yêu cầu nào cho cán bộ."))
    for lead in leads:
        lines.append(_lead_line(turn, lead))
    days = content.deployment.conversation_retention_days
    lines.append(
        _("Cuộc trò chuyện tự xóa sau {days} ngày không dùng. Xóa ngay: /xoadulieu.").format(days=days)
    )
    rows = [[Button(_("🗑 Xóa dữ liệu của tôi"), data("del", "ask"))], [menu_button(turn)]]
    turn.say("\n".join(lines), rows)


def _lead_line(turn: Turn, lead: LeadPublic) -> str:
    _ = turn._
    labels = turn.services.content.leads.status_labels
    status = lead.status
    label = labels[status].get(turn.lang) if status in labels else status
    created = lead.created_at.isoformat()[:10]
    head = _("• Yêu cầu {reference} ({day}): {status}").format(
        reference=lead.reference, day=created, status=label
    )
    if status == "declined":  # why, and what would change it (content/data/leads.yaml)
        words = turn.services.content.leads
        reason = words.decline_reason(lead.decline_reason)
        head += "\n  " + words.decline_explained.get(turn.lang).format(
            reason=reason.person.get(turn.lang), remedy=reason.remedy.get(turn.lang)
        )
    contact = lead.contact
    if contact is None:
        return head + "\n  " + _("(thông tin cá nhân đã được xóa)")
    if lead.applicant == "business":  # its own words and receiver (issue 18)
        business = _(
            "Cơ sở: {name}; người đại diện: {representative}; điện thoại: {phone}; nơi thực hiện phương án: "
            "{commune}; gửi cho: Ngân hàng Chính sách xã hội"
        ).format(
            name=contact.name,
            representative=contact.representative or "—",
            phone=contact.phone,
            commune=lead.commune_name or lead.commune_code,
        )
        return f"{head}\n  {business}"
    consent = lead.consent
    receivers = (
        _("Công an xã/phường và Ngân hàng Chính sách xã hội")
        if consent.get("bank")
        else _("Công an xã/phường")
    )
    details = _("Họ tên: {name}; điện thoại: {phone}; xã/phường: {commune}; gửi cho: {receivers}").format(
        name=contact.name,
        phone=contact.phone,
        commune=lead.commune_name or lead.commune_code,
        receivers=receivers,
    )
    return f"{head}\n  {details}"


def ask(turn: Turn) -> None:
    _ = turn._
    turn.start_flow(FLOW)
    turn.say(
        _(
            "Xóa dữ liệu: các yêu cầu đang mở sẽ được rút lại; họ tên, số điện thoại, câu trả lời "
            "và cuộc trò chuyện này sẽ bị xóa. Không lấy lại được. Bạn chắc chứ?"
        ),
        [
            [Button(_("🗑 Có, xóa hết"), data("del", "yes"))],
            [Button(_("Không, giữ lại"), data("del", "no"))],
        ],
    )


async def on_press(turn: Turn, arg: str) -> None:
    _ = turn._
    if arg == "ask":
        ask(turn)
        return
    if turn.flow_name != FLOW or arg not in ("yes", "no"):
        raise StaleButton()
    turn.end_flow()
    if arg == "no":
        show_menu(turn, _("Không xóa gì cả."))
        return
    await turn.services.api.erase_person(turn.services.channel, turn.user)
    turn.forget = True
    show_menu(
        turn,
        _("Đã xóa. Bước Mới không còn giữ họ tên, số điện thoại hay câu trả lời của bạn."),
    )
