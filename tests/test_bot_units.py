"""Small parts of the bot: settings, commands typed, callback data, webhook path, long replies."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.channels.telegram import webhook_path
from bot.config import BotSettings
from bot.engine import callbacks
from bot.engine.events import Command, Text, from_text
from bot.engine.replies import Button
from bot.engine.turn import _split


def test_settings_defaults_and_checks() -> None:
    plain = BotSettings(TELEGRAM_BOT_TOKEN="  ", TELEGRAM_WEBHOOK_URL="", TELEGRAM_WEBHOOK_SECRET="")
    assert plain.token is None and not plain.webhook
    assert len(plain.telegram_webhook_secret.get_secret_value()) >= 32  # made up when not given
    hooked = BotSettings(TELEGRAM_BOT_TOKEN="1:A", TELEGRAM_WEBHOOK_URL="https://x.org/hook/")
    assert hooked.token == "1:A" and hooked.webhook
    with pytest.raises(ValidationError):
        BotSettings(TELEGRAM_WEBHOOK_SECRET="has spaces!")
    with pytest.raises(ValidationError):
        BotSettings(TELEGRAM_API_BASE_URL="ftp://x")


@pytest.mark.parametrize(
    ("url", "path"),
    [
        (None, "/telegram"),
        ("https://bot.example.org/telegram", "/telegram"),
        ("https://bot.example.org/hooks/bm/", "/hooks/bm"),
        ("https://bot.example.org", "/"),
    ],
)
def test_the_webhook_route_is_the_path_telegram_posts_to(url: str | None, path: str) -> None:
    assert webhook_path(BotSettings(TELEGRAM_WEBHOOK_URL=url or "")) == path


def test_typed_commands() -> None:
    assert from_text("/start") == Command("start")
    assert from_text("/canbo AB12 CD") == Command("canbo", "AB12 CD")
    assert from_text("/Start@buocmoi_bot") == Command("start")
    assert from_text("/") == Text("/")
    assert from_text("/ hello") == Text("/ hello")
    assert from_text("a/b") == Text("a/b")


def test_callback_data() -> None:
    assert callbacks.data("a", "release_status", "completed") == "v1|a|release_status|completed"
    parsed = callbacks.parse("v1|a|release_status|completed")
    assert parsed is not None and parsed.kind == "a" and parsed.args == ("release_status", "completed")
    assert callbacks.parse("ld|abc|view") == callbacks.Callback("ld", ("abc", "view"))
    for old in ["v0|a|x", "menu", "", "ld|abc", "v1|"]:
        assert callbacks.parse(old) is None
    with pytest.raises(ValueError):
        callbacks.data("x", "y" * 70)
    with pytest.raises(ValueError):
        Button("label", "é" * 40)  # 80 bytes


def test_long_text_is_cut_into_messages_a_phone_can_take() -> None:
    text = ("Một câu khá dài về vay vốn. " * 40 + "\n") * 10
    pieces = _split(text, 3500)
    assert len(pieces) > 1 and all(len(p) <= 3500 for p in pieces)
    assert "".join(p.replace(" ", "").replace("\n", "") for p in pieces) == text.replace(" ", "").replace(
        "\n", ""
    )
    assert _split("a" * 9000, 3500) == ["a" * 3500, "a" * 3500, "a" * 2000]
