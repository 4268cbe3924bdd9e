"""Folded words with the chat shorthand this package needs ("ko" -> "khong", "tui" -> "toi")."""

from __future__ import annotations

from bot.text_normalizer import simple_tokens

# A small table of our own: the content's shorthand table also rewrites "nhieu" -> "bao nhieu",
# which would turn "cam on nhieu" into a question.
_SHORT = {
    "ko": "khong",
    "k": "khong",
    "kh": "khong",
    "hok": "khong",
    "hong": "khong",
    "khum": "khong",
    "kg": "khong",
    "tui": "toi",
    "mk": "minh",
    "dc": "duoc",
    "dk": "duoc",
    "j": "gi",
    "hs": "ho so",
    "cb": "can bo",
    "sdt": "so dien thoai",
    "dt": "dien thoai",
    "bik": "biet",
    "bit": "biet",
    "pk": "biet",
    "lm": "lam",
    "ns": "noi",
    "vs": "voi",
    "ng": "nguoi",
}


def words(text: str) -> list[str]:
    out: list[str] = []
    for token in simple_tokens(text):
        out.extend(_SHORT.get(token, token).split())
    return out


def folded(text: str) -> str:
    """Folded, shorthand-expanded, single-spaced text padded with spaces (for ' phrase ' tests)."""
    return " " + " ".join(words(text)) + " "
