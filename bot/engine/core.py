"""The dialogue engine: (state, event) → (new state, replies). Channel-agnostic and pure apart from
the API calls of the services it is given.

Routing: commands first; buttons by their kind; typed text to the current step of a flow
(screening, referral, where, ...) or else to the FAQ; contacts to the referral's phone step; anything
unreadable gets a helpful answer and the current question again. An old button is answered with the
current question or the menu. An API failure leaves the state as it was (nothing half-done is
stored) and asks the person to try again.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.api_client import ApiError
from bot.engine import callbacks
from bot.engine.callbacks import data
from bot.engine.common import menu_button
from bot.engine.deeplink import commune_of_payload
from bot.engine.errors import StaleButton, where
from bot.engine.events import Command, Event, Press, SharedContact, Text, Unsupported
from bot.engine.flows import (
    acts,
    business,
    faq,
    menu,
    my_data,
    obligations,
    officer,
    places,
    referral,
    results,
    screening,
    status,
)
from bot.engine.replies import Button, Outcome
from bot.engine.services import Services
from bot.engine.turn import Turn
from bot.understanding import intents
from bot.understanding.crisis import is_crisis

log = logging.getLogger(__name__)

MAX_TEXT = 4096
# The shape of the state this code writes; a state of another shape (an older version of the bot)
# keeps the language and the commune, and starts afresh otherwise.
STATE_VERSION = 1
SCREENING_KINDS = ("a", "y", "mo", "amt", "skip")
REFERRAL_KINDS = ("c", "cm", "ed", "ok")


async def handle(
    state: dict[str, Any], event: Event, services: Services, user: str, lang_hint: str | None = None
) -> Outcome:
    if state and state.get("v") != STATE_VERSION:
        state = {k: v for k, v in state.items() if k in ("lang", "commune")}
    turn = Turn(state, services, user, lang_hint)
    turn.state["v"] = STATE_VERSION
    try:
        await _dispatch(turn, event)
    except ApiError as err:
        log.warning(
            "API call failed during a turn", extra={"status": err.status, "event": type(event).__name__}
        )
        failed = Turn(state, services, user, lang_hint)
        failed.say(failed._("Xin lỗi, hệ thống đang bận nên chưa làm được. Bạn thử lại sau ít phút nhé."))
        return Outcome(state, failed.replies)
    except Exception as err:  # a bug, or a state this code cannot read: start the flow afresh
        log.error("turn failed", extra={"error_type": type(err).__name__, "where": where(err)})
        fresh = Turn({k: v for k, v in state.items() if k != "flow"}, services, user, lang_hint)
        fresh.state["v"] = STATE_VERSION
        menu.show_menu(fresh, fresh._("Xin lỗi, đã có lỗi. Mình bắt đầu lại từ menu nhé."))
        return fresh.outcome()
    return turn.outcome()


async def _dispatch(turn: Turn, event: Event) -> None:
    if isinstance(event, Text):
        mapped = _keyboard_label(turn, event.text)
        if mapped is not None:
            event = Press(mapped)
    if isinstance(event, Text) and is_crisis(event.text[:MAX_TEXT]):
        # Despair, self-harm, violence: answered first, whatever step the person is at (issue 17), in
        # the language the person wrote it in.
        faq.show_crisis(turn, turn.services.faq.understanding.language(event.text[:MAX_TEXT], turn.lang))
        return
    if isinstance(event, Command):
        await _command(turn, event)
    elif isinstance(event, Press):
        try:
            await _press(turn, event.data)
        except StaleButton:
            _old_button(turn)
    elif isinstance(event, Text):
        await _text(turn, event.text[:MAX_TEXT])
    elif isinstance(event, SharedContact):
        if turn.flow_name == referral.FLOW and (turn.flow or {}).get("step") == "phone":
            referral.on_contact(turn, event.phone)
        else:
            menu.cannot_read(turn, "contact")
            reprompt(turn)
    elif isinstance(event, Unsupported):
        menu.cannot_read(turn, event.kind)
        reprompt(turn)


def _keyboard_label(turn: Turn, text: str) -> str | None:
    """A reply-keyboard button sends its label as text; map it back to the button's data."""
    keyboard = turn.state.get("kb")
    if isinstance(keyboard, dict):
        value = keyboard.get(text.strip())
        if isinstance(value, str):
            return value
    return None


def reprompt(turn: Turn) -> None:
    """Ask the current step again (after an answer that did not fit), or show the menu."""
    name = turn.flow_name
    if name == screening.FLOW:
        screening.prompt(turn)
    elif name == referral.FLOW:
        referral.prompt(turn)
    elif name == places.FLOW:
        places.prompt(turn)
    elif name == my_data.FLOW:
        my_data.ask(turn)
    elif name == officer.FLOW:
        turn.say(turn._("Bạn ghi rõ lý do trong một câu ngắn, hoặc gõ /huy."))
    else:
        menu.show_menu(turn)


def _old_button(turn: Turn) -> None:
    _ = turn._
    if turn.flow_name is not None:
        turn.say(_("Nút này thuộc một tin nhắn cũ. Mình hỏi tiếp câu hiện tại nhé:"))
        reprompt(turn)
    else:
        menu.show_menu(turn, _("Nút này thuộc một tin nhắn cũ. Đây là menu hiện tại:"))


# --- commands ---------------------------------------------------------------------------------------


async def _command(turn: Turn, command: Command) -> None:
    _ = turn._
    name = command.name
    if name == "start":
        turn.end_flow()
        _start_commune(turn, command.arg)
        if "lang" not in turn.state:
            menu.ask_language(turn)
        else:
            menu.welcome(turn)
    elif name == "menu":
        turn.end_flow()
        menu.show_menu(turn)
    elif name in ("huy", "cancel"):
        if turn.flow_name is None:
            menu.show_menu(turn, _("Không có việc gì đang làm dở để hủy."))
        else:
            turn.end_flow()
            menu.show_menu(turn, _("Đã hủy bước đang làm."))
    elif name in ("ngonngu", "language"):
        menu.ask_language(turn)
    elif name in ("dulieu", "mydata"):
        await my_data.show(turn)
    elif name in ("xoadulieu", "deletedata"):
        my_data.ask(turn)
    elif name == "canbo":
        await officer.link(turn, command.arg)
    elif name in ("dangnhap", "login"):
        await officer.login_link(turn)
    elif name in ("trogiup", "help"):
        faq.show_topic(turn, "bot_help")
    elif name == "kiemtra":
        screening.start(turn)
    else:
        menu.show_menu(turn, _("Bước Mới không có lệnh này. Bạn chọn trong menu nhé."))


def _start_commune(turn: Turn, payload: str) -> None:
    """A start link from a poster or a commune office (`/start c<code>`) pre-fills the commune;
    any other payload, or a code outside the province, is ignored."""
    found = commune_of_payload(payload, turn.services.province)
    if found is not None:
        turn.state["commune"] = found.code


# --- buttons ----------------------------------------------------------------------------------------


async def _press(turn: Turn, raw: str) -> None:
    parsed = callbacks.parse(raw)
    if parsed is None:
        raise StaleButton()
    kind, args = parsed.kind, parsed.args
    arg = args[0] if args else ""
    flow = turn.flow_name
    if kind == callbacks.LEAD_PREFIX:
        await officer.on_lead_button(turn, args[0], args[1])
    elif kind == callbacks.REMINDER_PREFIX:
        await obligations.on_done(turn, args)
    elif kind == "lang":
        _language(turn, arg)
    elif kind == "m":
        await _menu_item(turn, arg)
    elif kind == "t":
        if not faq.show_topic(turn, arg, in_flow=flow is not None):
            raise StaleButton()
        if flow is not None:
            reprompt(turn)
    elif kind in ("back", "cancel"):
        _navigate(turn, kind)
    elif kind in SCREENING_KINDS:
        screening.on_press(turn, kind, args)
    elif kind in REFERRAL_KINDS:
        await referral.on_press(turn, kind, args)
    elif kind == "r":
        await results.on_press(turn, arg)
    elif kind == "wc":
        places.on_press(turn, arg)
    elif kind == "del":
        await my_data.on_press(turn, arg)
    elif kind == "dr":
        await officer.on_reason(turn, args)
    elif kind == "dn" and arg == "skip":
        await officer.on_note(turn, None)
    else:
        raise StaleButton()


def _language(turn: Turn, code: str) -> None:
    if not menu.set_language(turn, code):
        raise StaleButton()
    if turn.flow_name is not None:
        turn.say(turn._("Đã đổi ngôn ngữ."))
        reprompt(turn)
    else:
        menu.welcome(turn)


async def _menu_item(turn: Turn, item: str) -> None:
    if item == "menu":
        turn.end_flow()
        menu.show_menu(turn)
    elif item == "ask":
        turn.end_flow()
        faq.ask_prompt(turn)
    elif item == "check":
        screening.start(turn)
    elif item == "check_family":
        screening.start(turn, for_family=True)
    elif item == "docs":
        turn.end_flow()
        faq.show_topic(turn, "documents")
    elif item == "where":
        places.start(turn)
    elif item == "officer":
        _talk_to_officer(turn)
    elif item == "resume":
        reprompt(turn)
    elif item == "data":
        turn.end_flow()
        await my_data.show(turn)
    elif item == "file":
        turn.end_flow()
        await status.show(turn)
    else:
        raise StaleButton()


def _talk_to_officer(turn: Turn) -> None:
    """How a person reaches an officer: the referral is what makes the commune police call, so say so
    (not "press the button", which was this button), and what is being done stays as it is: a person
    in the middle of the check (often after the crisis answer) goes on where they were."""
    _ = turn._
    service = turn.services.faq
    result = turn.state.get("result")
    rows = []
    if turn.flow_name is not None:
        rows.append([Button(_("↩ Tiếp tục phần đang làm"), data("m", "resume"))])
    sent = result.get("sent") if isinstance(result, dict) else None
    if sent:
        rows.append([Button(_("📄 Hồ sơ của tôi"), data("m", "file"))])
    if sent and business.is_business(turn):
        # A business's request goes to the bank, not to the commune police (flows/business.py).
        text = _(
            "Bạn đã gửi yêu cầu của cơ sở (mã {reference}). Cán bộ Ngân hàng Chính sách xã hội sẽ "
            'liên lạc với cơ sở. Bấm "📄 Hồ sơ của tôi" để xem yêu cầu đang ở bước nào.'
        ).format(reference=sent)
    elif sent:
        text = _(
            "Bạn đã gửi yêu cầu (mã {reference}). Cán bộ Công an xã/phường sẽ liên lạc với bạn. "
            'Bấm "📄 Hồ sơ của tôi" để xem đơn vị phụ trách, số điện thoại và hạn tiếp nhận.'
        ).format(reference=sent)
    else:
        text = _(
            "Để cán bộ Công an xã/phường nơi bạn ở liên lạc với bạn, Bước Mới gửi cho họ một yêu cầu "
            "khi bạn đồng ý: vài câu hỏi ngắn, rồi tên và số điện thoại (khoảng 3 phút)."
        )
        if isinstance(result, dict) and result.get("outcome") in referral.REFERRABLE:
            rows.append([Button(_("📨 Gửi yêu cầu cho cán bộ xã/phường"), data("r", "send"))])
        elif turn.flow_name is None:
            rows.append([Button(_("✅ Kiểm tra điều kiện rồi gửi yêu cầu"), data("m", "check"))])
    reach = service.content.deployment.reach_a_person.get(turn.lang)
    text += "\n\n" + _("Bạn cũng có thể tự đến gặp trực tiếp: {where}").format(where=reach)
    rows.append([Button(_("📍 Nơi liên hệ"), data("m", "where"))])
    rows.append([menu_button(turn)])
    turn.say(text, rows)


def _navigate(turn: Turn, kind: str) -> None:
    name = turn.flow_name
    if name == screening.FLOW:
        screening.back(turn) if kind == "back" else screening.cancel(turn)
    elif name == referral.FLOW:
        referral.back(turn) if kind == "back" else referral.cancel(turn)
    elif name == places.FLOW:
        places.back(turn) if kind == "back" else places.cancel(turn)
    elif name == officer.FLOW:
        officer.cancel_note(turn)
    elif name is not None:
        turn.end_flow()
        menu.show_menu(turn)
    else:
        raise StaleButton()


# --- typed text -------------------------------------------------------------------------------------


async def _intent(turn: Turn, intent: str, text: str) -> bool:
    """A typed request to act (bot/understanding/intents.py); False: treat the text as usual."""
    _ = turn._
    if intent in ("back", "cancel"):
        if turn.flow_name is None:
            menu.show_menu(turn, _("Không có việc gì đang làm dở để hủy."))
        else:
            _navigate(turn, intent)
    elif intent == "menu":
        turn.end_flow()
        menu.show_menu(turn)
    elif intent == "language":
        if not intents.asks_for_language(text):
            return False  # "tui là người khmer có vay được ko": a question, not a request
        named = intents.language_named(text)
        if named is not None:
            _language(turn, named)  # "tieng khmer", "ខ្មែរ": that language at once
        else:
            menu.ask_language(turn)
    elif intent == "person":
        _talk_to_officer(turn)
    else:
        done = await acts.act(turn, intent, text)
        if done and intent in acts.ASIDES and turn.flow_name is not None:
            reprompt(turn)  # answered on the side: the step being done goes on
        return done
    return True


async def _text(turn: Turn, text: str) -> None:
    if not text.strip():
        menu.show_menu(turn)
        return
    intent = acts.intent_of(turn, text)
    if intent is not None and await _intent(turn, intent, text):
        return
    name = turn.flow_name
    if name == screening.FLOW:
        screening.on_text(turn, text)
    elif name == referral.FLOW:
        await referral.on_text(turn, text)
    elif name == places.FLOW:
        places.on_text(turn, text)
    elif name == officer.FLOW:
        await officer.on_note(turn, text)
    else:
        if name is not None:
            turn.end_flow()  # e.g. an erase confirmation left unanswered
        faq.answer(turn, text)
