"""Numbered choices on a text-only channel, Zalo update shapes and the outbox's Zalo text."""

from __future__ import annotations

from api.channels import outbox_kind, zalo_chat
from api.outbox.senders import zalo_text
from bot.channels.text_choices import ChoiceMemory, Shown, render, split_text, to_event
from bot.channels.zalo_api import parse_update
from bot.engine.events import Command, Press, Text
from bot.engine.replies import Button, Reply

YES, NO = Button("Có rồi", "v1|a|c|yes"), Button("Chưa có", "v1|a|c|no")


def test_buttons_are_numbered_across_the_replies_of_one_answer() -> None:
    rendered = render([Reply("Câu hỏi", ((YES,),)), Reply("Tiếp", ((NO,),))])
    assert rendered.texts == ["Câu hỏi\n\n1. Có rồi", "Tiếp\n\n2. Chưa có"]
    assert rendered.shown.buttons == (YES, NO)


def test_a_contact_request_asks_for_the_number_typed() -> None:
    (text,) = render([Reply("Số điện thoại?", request_contact="Chia sẻ số")]).texts
    assert "Chia sẻ số" in text and "09" in text


def test_a_number_or_a_label_presses_the_button() -> None:
    shown = Shown((YES, NO))
    assert to_event("2", shown) == Press(NO.data)
    assert to_event(" 1. ", shown) == Press(YES.data)
    assert to_event("1. Có rồi", shown) == Press(YES.data)
    assert to_event("chưa CÓ", shown) == Press(NO.data)
    assert to_event("3", shown) == Text("3")
    assert to_event("có lẽ", shown) == Text("có lẽ")
    assert to_event("/start", shown) == Command("start")
    assert to_event("1", None) == Text("1")


def test_a_question_wanting_a_number_takes_the_number() -> None:
    shown = Shown((YES, NO), numeric_input=True)
    assert to_event("2", shown) == Text("2")
    assert to_event("chưa có", shown) == Press(NO.data)


def test_the_memory_forgets_after_its_time_and_beyond_its_size() -> None:
    now = [0.0]
    memory = ChoiceMemory(ttl=10, limit=2, clock=lambda: now[0])
    memory.put("a", Shown((YES,)))
    memory.put("b", Shown((NO,)))
    memory.put("c", Shown((NO,)))
    assert memory.get("a") is None and memory.get("b") is not None and len(memory) == 2
    now[0] = 11
    assert memory.get("b") is None


def test_long_text_is_split_under_the_limit_at_line_ends() -> None:
    text = "\n".join(f"dòng {n} " + "x" * 90 for n in range(60))
    pieces = split_text(text, 2000)
    assert len(pieces) > 1 and all(len(p) <= 2000 for p in pieces)
    assert "".join(p.replace("\n", "") for p in pieces) == text.replace("\n", "")
    assert split_text("a" * 4500, 2000) == ["a" * 2000, "a" * 2000, "a" * 500]


def test_updates_are_read_wrapped_and_at_the_top_level() -> None:
    inner = {
        "event_name": "message.text.received",
        "message": {
            "from": {"id": "u1", "display_name": "A", "is_bot": False},
            "chat": {"id": "c1", "chat_type": "PRIVATE"},
            "text": "xin chào",
            "message_id": 42,
            "date": 1,
        },
    }
    for payload in (inner, {"ok": True, "result": inner}):
        update = parse_update(payload)
        assert update is not None and update.kind == "text"
        assert update.message is not None and update.message.message_id == "42"
        assert update.message.chat.id == "c1" and update.message.text == "xin chào"
    sticker = parse_update(
        {"event_name": "message.sticker.received", "message": {**inner["message"], "text": None}}
    )
    assert sticker is not None and sticker.kind == "other" and sticker.unsupported_kind == "sticker"
    assert parse_update({"ok": True}) is None
    assert parse_update([1]) is None
    assert parse_update({"event_name": "message.text.received", "message": {"text": "x"}}) is None


def test_outbox_rows_for_zalo_chats_go_through_zalo_with_numbered_buttons() -> None:
    assert outbox_kind("zalo:abc") == "zalo" and outbox_kind("12345") == "telegram"
    assert zalo_chat("zalo:abc") == "abc"
    rows = [
        [{"text": "Xem hồ sơ", "callback_data": "ld|7|view"}],
        [{"text": "→ Đã tiếp nhận", "callback_data": "ld|7|received"}],
    ]
    text, kept = zalo_text({"text": "Hồ sơ mới BM-1", "reply_markup": {"inline_keyboard": rows}})
    assert text == "Hồ sơ mới BM-1\n\n1. Xem hồ sơ\n2. → Đã tiếp nhận"
    assert kept == rows
