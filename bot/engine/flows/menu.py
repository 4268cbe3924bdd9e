"""The welcome, the main menu, language choice, and answers to things the bot cannot read."""

from __future__ import annotations

from bot.engine.callbacks import data
from bot.engine.common import LANGUAGE_NAMES, language_rows
from bot.engine.replies import Button
from bot.engine.turn import Turn
from content.localized import parse_lang

MENU_ITEMS = ("ask", "check", "docs", "where", "officer", "data")


def menu_rows(turn: Turn) -> list[list[Button]]:
    _ = turn._
    labels = {
        "ask": _("❓ Hỏi đáp"),
        "check": _("✅ Kiểm tra điều kiện vay"),
        "docs": _("📄 Giấy tờ cần mang"),
        "where": _("📍 Nơi liên hệ"),
        "officer": _("👤 Gặp cán bộ"),
        "data": _("🔒 Dữ liệu của tôi"),
    }
    rows = [[Button(labels[item], data("m", item))] for item in MENU_ITEMS]
    result = turn.state.get("result")
    if isinstance(result, dict) and result.get("sent"):  # after sending: where is my file?
        rows.append([Button(_("📄 Hồ sơ của tôi"), data("m", "file"))])
    return rows


def show_menu(turn: Turn, intro: str | None = None) -> None:
    _ = turn._
    text = intro if intro is not None else _("Bạn muốn làm gì? Chọn một mục, hoặc gõ câu hỏi của bạn.")
    turn.say(text, menu_rows(turn))


def welcome(turn: Turn) -> None:
    _ = turn._
    show_menu(
        turn,
        _(
            "Chào bạn! Bước Mới giúp bạn tìm hiểu vay vốn Ngân hàng Chính sách xã hội theo "
            "Quyết định 22/2023/QĐ-TTg, kiểm tra thử điều kiện, và gửi yêu cầu tới cán bộ xã/phường "
            "nếu bạn muốn.\n"
            "Hỏi và kiểm tra không cần cho biết tên.\n"
            "Chọn một mục bên dưới, hoặc gõ câu hỏi (có dấu hay không dấu đều được)."
        ),
    )


def ask_language(turn: Turn) -> None:
    turn.say("Chọn ngôn ngữ / ជ្រើសរើសភាសា / Choose a language:", language_rows())


def set_language(turn: Turn, code: str) -> bool:
    """Store the person's choice; False when the code is not one we speak."""
    if code not in LANGUAGE_NAMES:
        return False
    turn.state["lang"] = parse_lang(code)
    return True


def cannot_read(turn: Turn, kind: str) -> None:
    _ = turn._
    if kind == "contact":
        text = _("Cảm ơn bạn. Bước Mới chỉ cần số điện thoại khi bạn gửi yêu cầu cho cán bộ.")
    else:
        text = _(
            "Xin lỗi, Bước Mới chỉ đọc được chữ và nút bấm, chưa nghe hay xem được hình, âm thanh, "
            "nhãn dán. Bạn hãy gõ câu hỏi hoặc bấm một nút."
        )
    turn.say(text)
