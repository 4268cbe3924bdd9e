"""A business's request (issue 18): its own path, never the individual's.

Decision 22 lends to a production or business establishment directly (NHCSXH, Điều 4); its loan plan
is confirmed by UBND cấp xã where the plan is carried out (Mẫu số 02), and above 100 million đồng it
needs security (Điều 10). So the request goes to the NHCSXH office of the commune where the plan is
carried out, with the business's consent to that bank only: never the police-list consent, never a
person's name, home or release date. Steps: consent, the establishment's name, its representative,
a phone (a fixed line 02x… is fine), the commune of the plan, the establishment's address, a summary;
then the lead is stored through the API (idempotent key kept in the state) and the business is told
what to prepare.

It runs inside the referral flow's state (`flow["business"] = True`), so the engine's dispatch (buttons
`c`, `cm`, `ed`, `ok`, back, cancel, typed text, a shared contact) reaches it through `referral`.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from bot.api_client import ApiError, lead_request
from bot.engine.callbacks import data
from bot.engine.common import menu_button, nav_row
from bot.engine.errors import StaleButton
from bot.engine.flows import communes, faq
from bot.engine.flows.menu import show_menu
from bot.engine.replies import Button
from bot.engine.turn import Turn
from content.communes.offices import contacts_for
from content.communes.official import ward
from content.vn_phone import normalise_business_phone

CONSENT_VERSION = "tg-business-consent-2026-12-v1"
STEPS = ("consent", "name", "representative", "phone", "commune", "pick", "address", "confirm")
BACK = {
    "name": "consent",
    "representative": "name",
    "phone": "representative",
    "commune": "phone",
    "pick": "commune",
    "address": "commune",
    "confirm": "address",
}
_FIELD = {
    "name": "contact_name",
    "representative": "representative",
    "phone": "phone",
    "commune": "commune",
    "address": "address",
}
# A field the API refused (`LeadCreate`) -> the step that asks for it.
_REFUSED = {
    "commune_code": "commune",
    "contact.phone": "phone",
    "contact.name": "name",
    "contact.representative": "representative",
    "contact.address": "address",
}
MAX_NAME = 200
MAX_ADDRESS = 300


def is_business(turn: Turn) -> bool:
    """The screening result on hand is a business's."""
    result = turn.state.get("result")
    answers = result.get("answers") if isinstance(result, dict) else None
    return isinstance(answers, dict) and answers.get("applicant") == "business"


def consent_text(turn: Turn) -> str:
    _ = turn._
    return _(
        "Trước khi gửi, bạn đọc kỹ nhé:\n"
        "• Bước Mới sẽ gửi tên cơ sở, người đại diện, số điện thoại, địa chỉ cơ sở, xã/phường nơi "
        "thực hiện phương án và các câu trả lời kiểm tra vừa rồi cho Ngân hàng Chính sách xã hội "
        "(NHCSXH) phục vụ xã/phường đó. Ngân hàng cho cơ sở vay trực tiếp; cán bộ ngân hàng sẽ liên hệ "
        "và hướng dẫn hồ sơ.\n"
        "• Phương án vay vốn do cơ sở tự mang đến UBND xã/phường nơi thực hiện phương án để xác nhận "
        "(Mẫu số 02). Bước Mới không gửi gì cho UBND xã/phường.\n"
        "• Ngoài ngân hàng đó, không ai khác được xem, kể cả người quản trị hệ thống; mỗi lần xem đều "
        "được ghi lại. Bạn xem hoặc xóa dữ liệu bất cứ lúc nào bằng lệnh /dulieu và /xoadulieu. Dữ liệu "
        "được xóa {months} tháng sau khi hồ sơ kết thúc.\n"
        "Bạn có đồng ý không?"
    ).format(months=turn.services.content.deployment.retention_months)


def consent_version(turn: Turn) -> str:
    digest = hashlib.sha256(consent_text(turn).encode("utf-8")).hexdigest()[:10]
    return f"{CONSENT_VERSION}/{turn.lang}/{digest}"


def start(turn: Turn, flow_name: str) -> None:
    turn.start_flow(flow_name, step="consent", key=secrets.token_hex(8), business=True)
    prompt(turn, turn.flow or {})


def _go(turn: Turn, flow: dict[str, Any], step: str) -> None:
    if flow.get("editing") and step in _FIELD and flow.get(_FIELD[step]):
        step = "confirm"
    flow["step"] = step
    prompt(turn, flow)


def prompt(turn: Turn, flow: dict[str, Any]) -> None:
    _ = turn._
    step = flow.get("step")
    if step == "consent":
        rows = [
            [Button(_("✅ Đồng ý gửi Ngân hàng Chính sách xã hội"), data("c", "bank"))],
            [Button(_("✖ Không gửi"), data("c", "no"))],
        ]
        turn.say(consent_text(turn), rows)
    elif step == "name":
        turn.say(
            _(
                "Tên cơ sở sản xuất, kinh doanh là gì? (như trên giấy đăng ký, ví dụ: Hộ kinh doanh "
                "Bánh Pía Năm Lợi, Hợp tác xã Nông nghiệp Đại Tâm)"
            ),
            [nav_row(turn)],
        )
    elif step == "representative":
        turn.say(
            _(
                "Họ và tên người đại diện của cơ sở? (chủ hộ kinh doanh, giám đốc, chủ nhiệm hợp tác xã, "
                "tổ trưởng tổ hợp tác)"
            ),
            [nav_row(turn)],
        )
    elif step == "phone":
        turn.say(
            _(
                "Số điện thoại của cơ sở để cán bộ ngân hàng gọi? Số di động hoặc số máy bàn, "
                "ví dụ 0912 345 678 hoặc 0299 3822 123."
            ),
            [nav_row(turn)],
            request_contact=_("📱 Gửi số điện thoại của tôi"),
        )
    elif step == "commune":
        turn.say(
            _(
                "Phương án vay vốn được thực hiện ở xã/phường nào? (nơi cơ sở sản xuất, kinh doanh; "
                "UBND xã/phường này xác nhận phương án.) Gõ tên xã/phường mới, hoặc địa chỉ cũ trước năm "
                "2025. Không dấu cũng được."
            ),
            [nav_row(turn)],
        )
    elif step == "pick":
        rows = communes.choice_rows(turn, "cm", flow.get("cands", []))
        turn.say(_("Phương án thực hiện ở xã/phường nào trong các nơi sau?"), [*rows, nav_row(turn)])
    elif step == "address":
        turn.say(_("Địa chỉ của cơ sở? (số nhà, đường, ấp/khóm)"), [nav_row(turn)])
    else:
        _confirm(turn, flow)


def _confirm(turn: Turn, flow: dict[str, Any]) -> None:
    _ = turn._
    flow["step"] = "confirm"
    flow["editing"] = True
    found = ward(str(flow.get("commune")))
    text = "\n".join(
        [
            _("Bạn kiểm tra lại trước khi gửi:"),
            _("• Cơ sở: {name}").format(name=flow.get("contact_name")),
            _("• Người đại diện: {name}").format(name=flow.get("representative")),
            _("• Điện thoại: {phone}").format(phone=flow.get("phone")),
            _("• Nơi thực hiện phương án: {commune}").format(
                commune=found.name if found else flow.get("commune")
            ),
            _("• Địa chỉ cơ sở: {address}").format(address=flow.get("address")),
            _("• Gửi cho: Ngân hàng Chính sách xã hội"),
        ]
    )
    rows = [
        [Button(_("📨 Gửi đề nghị"), data("ok", "send"))],
        [
            Button(_("✏️ Sửa tên cơ sở"), data("ed", "name")),
            Button(_("✏️ Sửa người đại diện"), data("ed", "representative")),
        ],
        [
            Button(_("✏️ Sửa số điện thoại"), data("ed", "phone")),
            Button(_("✏️ Sửa xã/phường"), data("ed", "commune")),
        ],
        [Button(_("✏️ Sửa địa chỉ"), data("ed", "address"))],
        nav_row(turn, back=False),
    ]
    turn.say(text, rows)


async def on_press(turn: Turn, flow: dict[str, Any], kind: str, args: tuple[str, ...]) -> None:
    _ = turn._
    step = flow.get("step")
    arg = args[0] if args else ""
    if kind == "back":
        back(turn, flow)
    elif kind == "c" and step == "consent" and arg in ("bank", "no"):
        if arg == "no":
            turn.end_flow()
            show_menu(turn, _("Được, Bước Mới không gửi gì cả. Bạn vẫn có thể hỏi đáp bình thường."))
            return
        flow["consent"] = consent_version(turn)
        _go(turn, flow, "name")
    elif kind == "cm" and step == "pick":
        if arg == "retype":
            _go(turn, flow, "commune")
            return
        picked = communes.chosen(flow.get("cands"), arg)
        if picked is None:
            raise StaleButton()
        flow["commune"] = picked[0]
        flow.pop("cands", None)
        _go(turn, flow, "address")
    elif kind == "ed" and step == "confirm" and arg in _FIELD:
        flow["step"] = arg
        prompt(turn, flow)
    elif kind == "ok" and step == "confirm" and arg == "send":
        await submit(turn, flow)
    else:
        raise StaleButton()


def back(turn: Turn, flow: dict[str, Any]) -> None:
    step = str(flow.get("step"))
    if step == "consent":
        cancel(turn)
        return
    flow["step"] = BACK.get(step, "consent")
    flow["editing"] = False
    prompt(turn, flow)


def cancel(turn: Turn) -> None:
    turn.end_flow()
    show_menu(turn, turn._("Đã hủy, chưa gửi gì cả. Thông tin bạn vừa nhập đã được bỏ đi."))


def take_phone(turn: Turn, flow: dict[str, Any], typed: str) -> None:
    _ = turn._
    phone = normalise_business_phone(typed)
    if phone is None:
        turn.say(
            _(
                "Số này chưa đúng số điện thoại Việt Nam: số di động có 10 số (bắt đầu bằng 03, 05, 07, "
                "08 hoặc 09), số máy bàn có 11 số (bắt đầu bằng 02, ví dụ 0299 3822 123). Bạn gõ lại nhé."
            )
        )
        prompt(turn, flow)
        return
    flow["phone"] = phone
    turn.say(_("Số điện thoại: {phone}").format(phone=phone))
    _go(turn, flow, "commune")


def _looks_like_business_name(text: str) -> bool:
    # Business names may hold digits ("Cơ sở may 27/4"), so only the shape is checked.
    return (
        2 <= len(text) <= MAX_NAME
        and any(ch.isalpha() for ch in text)
        and "?" not in text
        and not any(ch in text for ch in "@#*<>{}[]|\\")
    )


def on_text(turn: Turn, flow: dict[str, Any], text: str) -> None:
    from bot.engine.flows.referral import _looks_like_name  # one rule for a person's name

    _ = turn._
    step = flow.get("step")
    stripped = " ".join(text.split())
    if step == "name":
        if _looks_like_business_name(stripped) and len(stripped.split()) <= 20:
            flow["contact_name"] = stripped
            _go(turn, flow, "representative")
            return
        if "?" in stripped or len(stripped.split()) > 20:
            faq.answer(turn, text, in_flow=True)
        else:
            turn.say(_("Bạn gõ tên cơ sở bằng chữ nhé, ví dụ: Hộ kinh doanh Bánh Pía Năm Lợi."))
        prompt(turn, flow)
    elif step == "representative":
        if _looks_like_name(stripped):
            flow["representative"] = stripped
            _go(turn, flow, "phone")
            return
        if "?" in stripped or len(stripped.split()) > 8:
            faq.answer(turn, text, in_flow=True)
        else:
            turn.say(_("Bạn gõ họ và tên bằng chữ nhé, ví dụ: Nguyễn Văn An."))
        prompt(turn, flow)
    elif step == "phone":
        if any(ch.isdigit() for ch in stripped):
            take_phone(turn, flow, stripped)
            return
        faq.answer(turn, text, in_flow=True)
        prompt(turn, flow)
    elif step in ("commune", "pick"):
        found = communes.find(turn, stripped)
        if not found:
            if faq.answer(turn, text, in_flow=True) == "fallback":
                turn.say(communes.not_found(turn))
            flow["step"] = "commune"
            prompt(turn, flow)
        elif len(found) == 1:
            flow["commune"] = found[0][0]
            flow.pop("cands", None)
            _go(turn, flow, "address")
        else:
            flow["cands"] = found
            flow["step"] = "pick"
            prompt(turn, flow)
    elif step == "address":
        if 3 <= len(stripped) <= MAX_ADDRESS and "?" not in stripped:
            flow["address"] = stripped
            _go(turn, flow, "confirm")
            return
        if "?" in stripped:
            faq.answer(turn, text, in_flow=True)
        else:
            turn.say(_("Bạn gõ địa chỉ ngắn gọn nhé (tối đa {n} ký tự).").format(n=MAX_ADDRESS))
        prompt(turn, flow)
    else:
        if faq.answer(turn, text, in_flow=True) == "fallback":
            turn.say(_("Bạn bấm một nút bên dưới nhé."))
        prompt(turn, flow)


def next_steps(turn: Turn) -> list[str]:
    """What a business prepares (facts sheet §2–§4); the exact file list is NHCSXH's to confirm."""
    _ = turn._
    return [
        _("Cơ sở chuẩn bị:"),
        _(
            "• Giấy tờ đăng ký thành lập, hoạt động của cơ sở (giấy chứng nhận đăng ký doanh nghiệp, hợp "
            "tác xã, hộ kinh doanh, hoặc giấy tờ của tổ hợp tác)."
        ),
        _(
            "• Hợp đồng lao động với những người lao động đã chấp hành xong án phạt tù, kèm giấy chứng nhận "
            "của họ (họ phải chiếm ít nhất 10% tổng số lao động)."
        ),
        _("• Phương án vay vốn có xác nhận của UBND xã/phường nơi thực hiện phương án (Mẫu số 02)."),
        _("• Tài sản bảo đảm nếu vay trên 100 triệu đồng."),
        _(
            "Danh mục hồ sơ chính xác chưa được xác nhận cho chương trình này: cán bộ Ngân hàng Chính sách "
            "xã hội sẽ hướng dẫn."
        ),
    ]


async def submit(turn: Turn, flow: dict[str, Any]) -> None:
    _ = turn._
    result = turn.state.get("result")
    if not isinstance(result, dict):
        raise StaleButton()
    answers = dict(result.get("answers") or {})
    answers.pop("applicant", None)
    services = turn.services
    phone = str(flow.get("phone"))
    body: dict[str, Any] = {
        "applicant": "business",
        "answers": answers,
        "contact": {
            "name": flow.get("contact_name"),
            "phone": phone,
            "representative": flow.get("representative"),
            "address": flow.get("address"),
        },
        "commune_code": flow.get("commune"),
        "consent": {"police": False, "bank": True, "text_version": flow.get("consent")},
        "channel": services.channel,
        "channel_user": turn.user,
        "lang": turn.lang,
        "idempotency_key": f"{services.channel}:{turn.user}:{flow.get('key')}",
    }
    try:
        lead = await services.api.create_lead(lead_request(body))
    except ApiError as err:
        if err.status != 422:
            raise
        # The API names the refused fields (contract/errors.py): ask again for the first one the
        # person can fix, in the order of the questions' importance.
        step = next((step for field, step in _REFUSED.items() if err.names(field)), "name")
        turn.say(_("Thông tin chưa đúng, bạn sửa lại giúp mình nhé."))
        flow["step"] = step
        prompt(turn, flow)
        return
    reference = lead.reference
    code = str(body["commune_code"])
    result["sent"] = reference
    turn.end_flow()
    turn.state["commune"] = code
    bank = next(
        (c.name for c in contacts_for(services.content.offices, code, turn.lang) if c.kind == "bank_office"),
        _("Ngân hàng Chính sách xã hội"),
    )
    lines = [
        _("✅ Đã gửi đề nghị của cơ sở. Mã hồ sơ: {reference}").format(reference=reference),
        _("Tiếp theo: {bank} sẽ xem đề nghị và gọi cho cơ sở theo số {phone}.").format(
            bank=bank, phone=phone
        ),
        "",
        *next_steps(turn),
        "",
        _("Bước Mới sẽ nhắn khi hồ sơ có cập nhật. Xem lại: /dulieu. Xóa dữ liệu: /xoadulieu."),
    ]
    rows = [
        [Button(_("📄 Hồ sơ vay của cơ sở"), data("t", "business_documents"))],
        [Button(_("📍 Nơi liên hệ"), data("m", "where"))],
        [menu_button(turn)],
    ]
    turn.say("\n".join(lines), rows)
