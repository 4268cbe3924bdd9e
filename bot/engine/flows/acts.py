"""Typed requests to act (bot/understanding/intents.py), carried out wherever the person is.

Inside a step that expects free text (a name, a phone, an address, an officer's note) only a message
that is exactly a command counts ("huy", "quay lai", "menu"); elsewhere a short message containing an
intent's phrase does ("xem tui co duoc vay ko", "gui cho can bo", "ho so cua tui").
"""

from __future__ import annotations

from bot.engine.callbacks import data
from bot.engine.common import menu_button
from bot.engine.flows import my_data, officer, places, referral, results, screening, status
from bot.engine.flows.menu import show_menu
from bot.engine.replies import Button
from bot.engine.turn import Turn
from bot.understanding import intents
from bot.understanding.who import FAMILY, who_for

# (flow, step) pairs whose answer is free text: a name or an address may hold any word.
_FREE_TEXT_STEPS = {
    (referral.FLOW, "name"),
    (referral.FLOW, "phone"),
    (referral.FLOW, "commune"),
    (referral.FLOW, "pick"),
    (places.FLOW, "commune"),
    (places.FLOW, "pick"),
}


# Intents answered on the side of a flow, which then asks its current step again.
ASIDES = (intents.STATUS, intents.REMIND, intents.NEXT_STEPS, intents.TIMELINE)


def intent_of(turn: Turn, text: str) -> str | None:
    flow = turn.flow or {}
    name = turn.flow_name
    strict = name == officer.FLOW or (name, flow.get("step")) in _FREE_TEXT_STEPS
    if name == screening.FLOW and screening.expects_number(turn):
        strict = True  # "nam" is five, "tu" is four: a number answer is never a command
    return intents.detect(text, strict=strict)


async def act(turn: Turn, intent: str, text: str = "") -> bool:
    """Carry out an intent that does not need the dispatcher (back, cancel, menu are handled there);
    False when there is nothing to do for it here."""
    if intent == intents.CHECK:
        if turn.flow_name == screening.FLOW:
            turn.say(turn._("Mình đang kiểm tra cùng bạn đây. Câu hiện tại:"))
            screening.prompt(turn)
        else:
            screening.start(turn, for_family=who_for(text) == FAMILY)  # "kiem tra giùm con trai tui"
    elif intent == intents.SEND:
        await send(turn)
    elif intent == intents.STATUS:
        await status.show(turn)
    elif intent == intents.DELETE:
        turn.end_flow()
        my_data.ask(turn)
    elif intent == intents.REMIND:
        await remind(turn)
    elif intent in (intents.NEXT_STEPS, intents.TIMELINE):
        await status.next_steps(turn, timeline=intent == intents.TIMELINE)
    else:
        return False
    return True


async def send(turn: Turn) -> None:
    _ = turn._
    result = turn.state.get("result")
    flow = turn.flow or {}
    if turn.flow_name == referral.FLOW and flow.get("step") == "confirm":
        await referral.submit(turn, flow)  # "gửi đi" typed on the summary
    elif turn.flow_name == referral.FLOW:
        referral.prompt(turn)
    elif isinstance(result, dict) and result.get("outcome") in referral.REFERRABLE:
        referral.start(turn)
    elif isinstance(result, dict) and result.get("outcome"):
        rows = [[Button(_("📍 Nơi liên hệ"), data("m", "where"))], [menu_button(turn)]]
        turn.say(
            _(
                "Theo kết quả kiểm tra vừa rồi, Bước Mới chưa gửi yêu cầu được. Bạn vẫn có thể đến "
                "hỏi trực tiếp Công an xã/phường hoặc Ngân hàng Chính sách xã hội."
            ),
            rows,
        )
    else:
        turn.say(_("Trước khi gửi cho cán bộ, mình cần hỏi vài câu để kiểm tra điều kiện."))
        screening.start(turn)


async def remind(turn: Turn) -> None:
    _ = turn._
    result = turn.state.get("result")
    if isinstance(result, dict) and result.get("remind_on") and not result.get("reminder"):
        await results.remind(turn)
        return
    if isinstance(result, dict) and result.get("reminder"):
        show_menu(turn, _("Lời nhắc của bạn đã được đặt rồi. Xem lại: /dulieu."))
        return
    turn.say(
        _(
            "Bước Mới đặt lời nhắc cho người còn trong trại: làm bước kiểm tra, cho biết ngày ra trại "
            "dự kiến, rồi bấm ⏰ Nhắc tôi. Người đã gửi yêu cầu sẽ được nhắn khi hồ sơ có cập nhật."
        ),
        [[Button(_("✅ Kiểm tra điều kiện vay"), data("m", "check"))], [menu_button(turn)]],
    )
