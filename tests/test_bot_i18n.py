"""Every string of the bot's interface is translated into English and Khmer, with the same
placeholders; the Khmer catalog says it awaits native review; the command menu exists per language."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.channels.telegram import command_menu
from content.i18n import translator

LOCALES = Path(__file__).resolve().parents[1] / "locales"


def _ids() -> list[str]:
    with (LOCALES / "messages.pot").open("rb") as handle:
        return [m.id for m in read_po(handle) if m.id and isinstance(m.id, str)]


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_the_template_holds_the_bot_strings() -> None:
    ids = _ids()
    assert "⬅ Quay lại" in ids and "✖ Hủy" in ids
    assert len(ids) > 100


@pytest.mark.parametrize("lang", ["en", "km"])
def test_every_message_is_translated_with_the_same_placeholders(lang: str) -> None:
    with (LOCALES / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    for msgid in _ids():
        message = catalog.get(msgid)
        assert message is not None and message.string, f"{lang}: no translation of {msgid!r}"
        assert "fuzzy" not in message.flags, f"{lang}: fuzzy {msgid!r}"
        assert _fields(str(message.string)) == _fields(msgid), f"{lang}: placeholders differ in {msgid!r}"
        assert translator(lang)(msgid) == message.string


def test_khmer_awaits_native_review() -> None:
    head = (LOCALES / "km" / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8").split("msgid", 1)[0]
    assert "km_review: pending" in head


@pytest.mark.parametrize("lang", ["vi", "en", "km"])
def test_command_menu(lang: str) -> None:
    commands = command_menu(lang)
    assert [c.command for c in commands] == ["start", "menu", "huy", "ngonngu", "dulieu", "xoadulieu"]
    for command in commands:
        assert re.fullmatch(r"[a-z0-9_]{1,32}", command.command)
        assert 1 <= len(command.description) <= 256
    if lang != "vi":
        assert command_menu(lang)[0].description != command_menu("vi")[0].description
