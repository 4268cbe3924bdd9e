"""Referral: only after a screening result and only if the person wants it.

Consent first, naming who receives what and why (the text's version, with a fingerprint of the exact
words shown, is recorded with the lead); then name, phone (shared contact or typed), commune (found
from what they type, a choice when ambiguous); a summary to check; then the lead is stored through
the API (idempotent: the key is made once per referral and kept in the state, so a retry after a
failure never makes a second lead) and the person gets the reference and what happens next.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from typing import Any

from bot.api_client import ApiError, lead_request
from bot.engine.callbacks import data
from bot.engine.choices import DONT_KNOW
from bot.engine.common import menu_button, nav_row
from bot.engine.deeplink import commune_of
from bot.engine.errors import StaleButton
from bot.engine.flows import business, communes, faq
from bot.engine.flows.menu import show_menu
from bot.engine.relative import on_behalf, pick
from bot.engine.replies import Button
from bot.engine.turn import Turn
from bot.understanding.phones import find_phone
from bot.understanding.words import words
from bot.understanding.yesno import yes_no
from content.communes.offices import contacts_for
from content.communes.official import NewWard, ward
from content.vn_phone import normalise_mobile

FLOW = "referral"
# v2: names the coordinator (late referrals only); v3: no "nobody else" promise (issue 17)
CONSENT_VERSION = "tg-consent-2026-12-v3"
REFERRABLE = ("likely_eligible", "needs_review", "not_yet")
STEPS = ("consent", "name", "phone", "commune", "pick", "confirm")
BACK = {"name": "consent", "phone": "name", "commune": "phone", "pick": "commune", "confirm": "commune"}
MAX_NAME = 100
_LETTER = re.compile(r"[^\W\d_]")


def for_family(turn: Turn) -> bool:
    return on_behalf(turn)


def consent_text(turn: Turn) -> str:
    _ = turn._
    if for_family(turn):
        return _family_consent_text(turn)
    text = _(
        "Trước khi gửi, bạn đọc kỹ nhé:\n"
        "• Bước Mới sẽ gửi họ tên, số điện thoại, xã/phường nơi bạn ở và các câu trả lời kiểm tra "
        "vừa rồi cho Công an xã/phường nơi bạn ở, để cán bộ xem xét đưa bạn vào danh sách đề nghị "
        "vay vốn và liên hệ với bạn.\n"
        "• Nếu bạn đồng ý cả phần ngân hàng: khi bạn đã có tên trong danh sách, Ngân hàng Chính sách "
        "xã hội nơi bạn ở cũng nhận các thông tin đó để làm hồ sơ vay.\n"
        "• Nếu yêu cầu của bạn không được tiếp nhận đúng hạn, cán bộ điều phối của tỉnh/thành phố "
        "được xem để nhắc xã/phường xử lý.\n"
        "• Người quản trị hệ thống không xem được thông tin của bạn; mỗi lần xem đều được ghi "
        "lại. Bạn xem hoặc xóa dữ liệu bất cứ lúc nào bằng lệnh /dulieu và /xoadulieu. Dữ liệu được "
        "xóa {months} tháng sau khi hồ sơ kết thúc.\n"
        "Bạn có đồng ý không?"
    ).format(months=turn.services.content.deployment.retention_months)
    return text


def _family_consent_text(turn: Turn) -> str:
    """The consent for a family member: every paragraph speaks of "người nhà của bạn" (whose data it
    is), never of "thông tin của bạn"; the reader confirms they send it for that person."""
    _ = turn._
    # Option (b) of issue 17: the person's own agreement is confirmed by the officer's first call.
    first = _(
        "Bạn đang gửi giúp người nhà. Vay vốn là việc của chính người đó, nên khi gọi lần đầu "
        "cán bộ sẽ hỏi người đó có đồng ý không; nếu không, yêu cầu được rút lại và thông tin bị "
        "xóa. Bạn hãy nói trước với người nhà nhé."
    )
    text = _(
        "Trước khi gửi, bạn đọc kỹ nhé:\n"
        "• Bước Mới sẽ gửi họ tên, số điện thoại, xã/phường nơi người nhà của bạn ở và các câu trả lời "
        "kiểm tra vừa rồi cho Công an xã/phường nơi người nhà của bạn ở, để cán bộ xem xét đưa người nhà "
        "của bạn vào danh sách đề nghị vay vốn và liên hệ với người nhà của bạn.\n"
        "• Nếu đồng ý cả phần ngân hàng: khi người nhà của bạn đã có tên trong danh sách, Ngân hàng Chính "
        "sách xã hội nơi người nhà của bạn ở cũng nhận các thông tin đó để làm hồ sơ vay.\n"
        "• Nếu yêu cầu này không được tiếp nhận đúng hạn, cán bộ điều phối của tỉnh/thành phố được xem "
        "để nhắc xã/phường xử lý.\n"
        "• Người quản trị hệ thống không xem được thông tin của người nhà bạn; mỗi lần xem đều được ghi "
        "lại. Bạn xem hoặc xóa dữ liệu đã gửi bất cứ lúc nào bằng lệnh /dulieu và /xoadulieu. Dữ liệu "
        "được xóa {months} tháng sau khi hồ sơ kết thúc.\n"
        "Bạn có đồng ý gửi các thông tin này giúp người nhà của bạn không?"
    ).format(months=turn.services.content.deployment.retention_months)
    return first + "\n\n" + text


def consent_version(turn: Turn) -> str:
    """The version of the consent text, the language, and a fingerprint of the exact words shown."""
    digest = hashlib.sha256(consent_text(turn).encode("utf-8")).hexdigest()[:10]
    return f"{CONSENT_VERSION}/{turn.lang}/{digest}"


def _flow(turn: Turn) -> dict[str, Any]:
    flow = turn.flow
    if flow is None or flow.get("name") != FLOW:
        raise StaleButton()
    return flow


def start(turn: Turn) -> None:
    _ = turn._
    result = turn.state.get("result")
    if not isinstance(result, dict) or result.get("outcome") not in REFERRABLE:
        raise StaleButton()
    if result.get("sent"):
        show_menu(
            turn,
            _("Bạn đã gửi yêu cầu {reference}. Xem lại bằng lệnh /dulieu.").format(reference=result["sent"]),
        )
        return
    if business.is_business(turn):  # a business has its own path, to the bank (issue 18)
        business.start(turn, FLOW)
        return
    turn.start_flow(FLOW, step="consent", key=secrets.token_hex(8))
    prompt(turn)


def _go(turn: Turn, step: str) -> None:
    flow = _flow(turn)
    if flow.get("editing") and step in ("name", "phone", "commune") and flow.get(_FIELD[step]):
        step = "confirm"
    flow["step"] = step
    prompt(turn)


_FIELD = {"name": "contact_name", "phone": "phone", "commune": "commune"}
# A field the API refused (`LeadCreate`) -> the step that asks for it.
_REFUSED = {"commune_code": "commune", "contact.phone": "phone", "contact.name": "name"}


def prompt(turn: Turn) -> None:
    _ = turn._
    flow = _flow(turn)
    if flow.get("business"):
        business.prompt(turn, flow)
        return
    step = flow.get("step")
    if step == "consent":
        rows = [
            [Button(_("✅ Đồng ý gửi Công an xã/phường và Ngân hàng"), data("c", "both"))],
            [Button(_("☑️ Chỉ gửi Công an xã/phường"), data("c", "police"))],
            [Button(_("✖ Không gửi"), data("c", "no"))],
        ]
        turn.say(consent_text(turn), rows)
    elif step == "name":
        turn.say(
            pick(
                turn,
                _("Họ và tên của người cần vay là gì? (Nếu bạn hỏi giúp người nhà, ghi tên người đó.)"),
                _("Họ và tên của người nhà bạn là gì? (Ghi tên của chính người sẽ vay, không phải tên bạn.)"),
            ),
            [nav_row(turn)],
        )
    elif step == "phone":
        family = _(
            "Số điện thoại để cán bộ gọi cho người nhà của bạn (số của chính người đó nếu có, không thì "
            "số của bạn)? Gõ số, ví dụ 0912 345 678, hoặc bấm nút để gửi số của bạn."
        )
        turn.say(
            family
            if for_family(turn)
            else _(
                'Số điện thoại để cán bộ gọi? Bấm nút "📱 Gửi số điện thoại của tôi" bên dưới, '
                "hoặc gõ số, ví dụ 0912 345 678."
            ),
            [nav_row(turn)],
            request_contact=_("📱 Gửi số điện thoại của tôi"),
        )
    elif step == "commune":
        rows = [nav_row(turn)]
        known = _known_commune(turn)
        if known is not None:  # from a start link or an earlier answer: one press to keep it
            rows.insert(0, [Button("📍 " + known.name, data("cm", known.code))])
        turn.say(communes.question(turn), rows)
    elif step == "pick":
        rows = communes.choice_rows(turn, "cm", flow.get("cands", []))
        turn.say(communes.choice_text(turn), [*rows, nav_row(turn)])
    else:
        _confirm(turn, flow)


def _confirm(turn: Turn, flow: dict[str, Any]) -> None:
    _ = turn._
    flow["step"] = "confirm"
    flow["editing"] = True
    found = ward(str(flow.get("commune")))
    receivers = (
        _("Công an xã/phường và Ngân hàng Chính sách xã hội") if flow.get("bank") else _("Công an xã/phường")
    )
    text = "\n".join(
        [
            _("Bạn kiểm tra lại trước khi gửi:"),
            pick(turn, _("• Họ tên: {name}"), _("• Họ tên người nhà của bạn: {name}")).format(
                name=flow.get("contact_name")
            ),
            _("• Điện thoại: {phone}").format(phone=flow.get("phone")),
            _("• Xã/phường: {commune}").format(commune=found.name if found else flow.get("commune")),
            _("• Gửi cho: {receivers}").format(receivers=receivers),
        ]
    )
    rows = [
        [Button(_("📨 Gửi yêu cầu"), data("ok", "send"))],
        [
            Button(_("✏️ Sửa họ tên"), data("ed", "name")),
            Button(_("✏️ Sửa số điện thoại"), data("ed", "phone")),
        ],
        [Button(_("✏️ Sửa xã/phường"), data("ed", "commune"))],
        nav_row(turn, back=False),
    ]
    turn.say(text, rows)


async def on_press(turn: Turn, kind: str, args: tuple[str, ...]) -> None:
    _ = turn._
    flow = _flow(turn)
    if flow.get("business"):
        await business.on_press(turn, flow, kind, args)
        return
    step = flow.get("step")
    arg = args[0] if args else ""
    if kind == "back":
        back(turn)
    elif kind == "c" and step == "consent" and arg in ("both", "police", "no"):
        if arg == "no":
            turn.end_flow()
            show_menu(turn, _("Được, Bước Mới không gửi gì cả. Bạn vẫn có thể hỏi đáp bình thường."))
            return
        flow["bank"] = arg == "both"
        flow["consent"] = consent_version(turn)
        _go(turn, "name")
    elif kind == "cm" and step == "commune":
        known = _known_commune(turn)
        if known is None or arg != known.code:
            raise StaleButton()
        flow["commune"] = known.code
        _go(turn, "confirm")
    elif kind == "cm" and step == "pick":
        if arg == "retype":
            _go(turn, "commune")
            return
        picked = communes.chosen(flow.get("cands"), arg)
        if picked is None:
            raise StaleButton()
        flow["commune"] = picked[0]
        flow.pop("cands", None)
        _go(turn, "confirm")
    elif kind == "ed" and step == "confirm" and arg in ("name", "phone", "commune"):
        flow["step"] = arg
        prompt(turn)
    elif kind == "ok" and step == "confirm" and arg == "send":
        await submit(turn, flow)
    else:
        raise StaleButton()


def _known_commune(turn: Turn) -> NewWard | None:
    code = turn.state.get("commune")
    return commune_of(code, turn.services.province) if isinstance(code, str) else None


def back(turn: Turn) -> None:
    flow = _flow(turn)
    if flow.get("business"):
        business.back(turn, flow)
        return
    step = str(flow.get("step"))
    if step == "consent":
        cancel(turn)
        return
    flow["step"] = BACK.get(step, "consent")
    flow["editing"] = False
    prompt(turn)


def cancel(turn: Turn) -> None:
    turn.end_flow()
    show_menu(turn, turn._("Đã hủy, chưa gửi gì cả. Thông tin bạn vừa nhập đã được bỏ đi."))


def on_contact(turn: Turn, phone: str) -> None:
    flow = _flow(turn)
    if flow.get("step") != "phone":
        raise StaleButton()
    if flow.get("business"):
        business.take_phone(turn, flow, phone)
        return
    _take_phone(turn, flow, phone)


def _take_phone(turn: Turn, flow: dict[str, Any], typed: str) -> None:
    _ = turn._
    phone = normalise_mobile(typed) or find_phone(typed)  # "sdt tui 0912.345.678 nha"
    if phone is None:
        turn.say(
            _(
                "Số này chưa đúng số di động Việt Nam (10 số, bắt đầu bằng 03, 05, 07, 08 hoặc 09). "
                "Bạn gõ lại nhé."
            )
        )
        prompt(turn)
        return
    flow["phone"] = phone
    turn.say(_("Số điện thoại: {phone}").format(phone=phone))
    _go(turn, "commune")


async def on_text(turn: Turn, text: str) -> None:
    _ = turn._
    flow = _flow(turn)
    if flow.get("business"):
        business.on_text(turn, flow, text)
        return
    step = flow.get("step")
    stripped = " ".join(text.split())
    if step == "name":
        stripped = _NAME_LEAD.sub("", stripped).strip(" .,:")
        if _looks_like_name(stripped):
            # "tran van hung" typed without capitals: shown to the officer as "Tran Van Hung".
            flow["contact_name"] = stripped.title() if stripped.islower() else stripped
            _go(turn, "phone")
            return
        if "?" in stripped or len(stripped.split()) > 8:
            faq.answer(turn, text, in_flow=True)
        else:
            turn.say(_("Bạn gõ họ và tên bằng chữ nhé, ví dụ: Nguyễn Văn An."))
        prompt(turn)
    elif step == "phone":
        if any(ch.isdigit() for ch in stripped):
            _take_phone(turn, flow, stripped)
            return
        faq.answer(turn, text, in_flow=True)
        prompt(turn)
    elif step in ("commune", "pick"):
        if communes.out_of_area(turn, stripped):
            flow["step"] = "commune"
            turn.say(communes.question(turn), [nav_row(turn)])
            return
        found = communes.find(turn, stripped)
        if not found:
            # "không biết" is an answer (the place is not known), not a question for the FAQ.
            if " ".join(words(text)) in DONT_KNOW or faq.answer(turn, text, in_flow=True) == "fallback":
                turn.say(communes.not_found(turn))
            flow["step"] = "commune"
            prompt(turn)
        elif len(found) == 1:
            flow["commune"] = found[0][0]
            flow.pop("cands", None)
            _go(turn, "confirm")
        else:
            flow["cands"] = found
            flow["step"] = "pick"
            prompt(turn)
    elif step == "confirm" and _typed_edit(text) is not None:
        # "sua ten lai", "sửa số điện thoại", "doi xa": the same as the summary's ✏️ buttons.
        flow["step"] = _typed_edit(text)
        prompt(turn)
    elif step == "confirm" and _typed_yes_no(text) is not None:
        # "dung roi", "ok", "gui luon" typed on the summary: send it; "khong" keeps it for the buttons.
        if _typed_yes_no(text):
            await submit(turn, flow)
        else:
            turn.say(_("Bạn muốn sửa gì thì bấm nút bên dưới, hoặc bấm ✖ Hủy để không gửi."))
            prompt(turn)
    elif step == "consent" and _typed_yes_no(text) is not None:
        if _typed_yes_no(text):
            flow["bank"] = True  # "đồng ý" to the text read: the first button, police and bank
            flow["consent"] = consent_version(turn)
            _go(turn, "name")
        else:
            turn.end_flow()
            show_menu(turn, _("Được, Bước Mới không gửi gì cả. Bạn vẫn có thể hỏi đáp bình thường."))
    else:
        # Consent and the summary wait for a button; a typed question is still answered.
        if faq.answer(turn, text, in_flow=True) == "fallback":
            turn.say(_("Bạn bấm một nút bên dưới nhé."))
        prompt(turn)


_YES = {
    "dong y", "toi dong y", "co", "co dong y", "ok", "oke", "duoc", "yes", "agree", "i agree", "uh",
    "dung roi", "dung het", "dung het roi", "chinh xac", "gui", "gui luon", "gui di", "ok gui",
    "ok gui di", "ok gui luon", "ok dong y", "dong y gui", "dong y luon", "correct", "right", "send",
    "ត្រូវ", "បាទ", "ចាស",
}  # fmt: skip
# Not "dung" or "u" alone: folded, "đừng" (don't) is "dung" and "ứ" (no) is "u".
_NO = {"khong", "khong dong y", "khong gui", "no", "thoi khong gui", "dung gui", "thoi", "khoi"}
# Words that make a message with "đồng ý" something else than consent: a refusal, a condition, a
# question, a delay ("đồng ý nhưng đừng gửi ngân hàng", "sao phải đồng ý", "để tui suy nghĩ đã").
_NOT_PLAIN_CONSENT = frozenset(
    {
        "khong", "chua", "chang", "dung", "deo", "u", "khoi", "khoan", "nhung", "ma", "sao", "gi",
        "the", "nao", "hay", "neu", "de", "suy", "nghi", "mai", "not", "dont", "but", "why", "what",
        "if", "wait", "later",
    }
)  # fmt: skip
_DONT = re.compile(r"(?<!\w)(?:đừng|ứ|đéo|khỏi)(?!\w)", re.IGNORECASE)
_AGREE_MAX_WORDS = 24
# "tên nó là Trần Văn Hậu", "ten tui la ...", "họ tên: ...": the name is what follows.
_NAME_LEAD = re.compile(
    r"^\s*(?:(?:họ\s+)?tên|ho\s+ten|ten)(?:\s+(?:của\s+|cua\s+)?(?:tôi|toi|tui|nó|no|em|cháu|chau|"
    r"con|ổng|ong|bả|ba|anh|chị|chi|mình|minh|người\s+nhà|nguoi\s+nha))?\s*(?:là|la|:)\s+",
    re.IGNORECASE,
)


def _typed_yes_no(text: str) -> bool | None:
    """A typed answer to the consent question or the summary: True (agree, send), False (no), None
    (anything else: the buttons decide). Sending someone's name and phone is not done on a guess: only
    the set phrases, or "đồng ý" in a message with nothing that refuses, conditions, asks or delays
    ("no chiu roi, dong y gui het di em" agrees; "đồng ý nhưng đừng gửi ngân hàng" does not)."""
    typed = " ".join(words(text))
    if _DONT.search(text) or typed in _NO:
        return False if typed in _NO or typed.split()[:1] == ["dung"] else None
    if typed in _YES:
        return True
    if yes_no(text) == "no":
        return False
    said = typed.split()
    if " dong y " in f" {typed} " and len(said) <= _AGREE_MAX_WORDS and "?" not in text:
        return None if _NOT_PLAIN_CONSENT.intersection(said) else True
    return None


# What a typed correction on the summary names: the name, the phone or the commune.
_EDIT_WORDS = {"sua", "doi", "sai", "lai", "edit", "change", "wrong"}
_EDIT_FIELDS = (
    ("phone", ("so dien thoai", "dien thoai", "sdt", "so phone", "phone", "number")),
    ("commune", ("xa", "phuong", "dia chi", "noi o", "address", "commune", "ward")),
    ("name", ("ho ten", "ten", "name")),
)


def _typed_edit(text: str) -> str | None:
    """The step a typed correction on the summary goes back to ("sua ten lai" -> name), or None."""
    typed = " ".join(words(text))
    said = typed.split()
    if not _EDIT_WORDS.intersection(said) or len(said) > 12:
        return None
    padded = f" {typed} "
    for step, names in _EDIT_FIELDS:
        if any(f" {name} " in padded for name in names):
            return step
    return None


def _looks_like_name(text: str) -> bool:
    return (
        2 <= len(text) <= MAX_NAME
        and len(text.split()) <= 8
        and _LETTER.search(text) is not None
        and not any(ch.isdigit() for ch in text)
        and not any(ch in text for ch in "?/@#*<>{}[]|\\")
    )


async def submit(turn: Turn, flow: dict[str, Any]) -> None:
    _ = turn._
    result = turn.state.get("result")
    if not isinstance(result, dict):
        raise StaleButton()
    answers = dict(result.get("answers") or {})
    applicant = str(answers.pop("applicant", "person"))
    services = turn.services
    phone = str(flow.get("phone"))
    body: dict[str, Any] = {
        "applicant": applicant,
        "answers": answers,
        "contact": {"name": flow.get("contact_name"), "phone": flow.get("phone")},
        "commune_code": flow.get("commune"),
        "consent": {
            "police": True,
            "bank": bool(flow.get("bank")),
            "text_version": flow.get("consent"),
            "on_behalf": for_family(turn),
        },
        "channel": services.channel,
        "channel_user": turn.user,
        "lang": turn.lang,
        "idempotency_key": f"{services.channel}:{turn.user}:{flow.get('key')}",
    }
    try:
        lead = await turn.services.api.create_lead(lead_request(body))
    except ApiError as err:
        if err.status != 422:
            raise
        # The API names the refused fields (contract/errors.py): ask again for the first one the
        # person can fix, in the order of the questions' importance.
        step = next((step for field, step in _REFUSED.items() if err.names(field)), "name")
        turn.say(_("Thông tin chưa đúng, bạn sửa lại giúp mình nhé."))
        flow["step"] = step
        prompt(turn)
        return
    reference = lead.reference
    code = str(body["commune_code"])
    result = turn.state.get("result")
    if isinstance(result, dict):
        result["sent"] = reference
    turn.end_flow()
    turn.state["commune"] = code
    police = next(
        (c.name for c in contacts_for(services.content.offices, code, turn.lang) if c.kind == "police"),
        code,
    )
    lines = [
        pick(
            turn,
            _("✅ Đã gửi. Mã hồ sơ của bạn: {reference}"),
            _("✅ Đã gửi. Mã hồ sơ của người nhà bạn: {reference}"),
        ).format(reference=reference),
        pick(
            turn,
            _("Tiếp theo: {police} sẽ xem yêu cầu và gọi cho bạn theo số {phone}."),
            _("Tiếp theo: {police} sẽ xem yêu cầu và gọi theo số {phone}."),
        ).format(police=police, phone=phone),
    ]
    if for_family(turn):
        lines.append(_("Cán bộ sẽ hỏi chính người nhà của bạn có đồng ý không khi gọi lần đầu."))
    if flow.get("bank"):
        lines.append(
            pick(
                turn,
                _("Khi bạn đã có tên trong danh sách, hồ sơ được chuyển tới Ngân hàng Chính sách xã hội."),
                _(
                    "Khi người nhà của bạn đã có tên trong danh sách, hồ sơ được chuyển tới Ngân hàng "
                    "Chính sách xã hội."
                ),
            )
        )
    lines.append(
        _("Bước Mới sẽ nhắn cho bạn khi hồ sơ có cập nhật. Xem lại: /dulieu. Xóa dữ liệu: /xoadulieu.")
    )
    rows = [
        [Button(_("📄 Hồ sơ của tôi"), data("m", "file"))],
        [Button(_("📍 Nơi liên hệ"), data("m", "where"))],
        [menu_button(turn)],
    ]
    turn.say("\n".join(lines), rows)
