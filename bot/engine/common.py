"""Buttons and words shared by every flow: navigation, the menu button, language names."""

from __future__ import annotations

from bot.engine.callbacks import data
from bot.engine.replies import Button
from bot.engine.turn import Turn

LANGUAGE_NAMES = {"vi": "🇻🇳 Tiếng Việt", "km": "🇰🇭 ភាសាខ្មែរ", "en": "🇬🇧 English"}


def menu_button(turn: Turn) -> Button:
    return Button(turn._("🏠 Menu"), data("m", "menu"))


def nav_row(turn: Turn, back: bool = True) -> list[Button]:
    """⬅ Back (when there is a step to go back to) and ✖ Cancel: on every step of a flow."""
    row = [Button(turn._("⬅ Quay lại"), data("back"))] if back else []
    row.append(Button(turn._("✖ Hủy"), data("cancel")))
    return row


def language_rows() -> list[list[Button]]:
    return [[Button(name, data("lang", code))] for code, name in LANGUAGE_NAMES.items()]
