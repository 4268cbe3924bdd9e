"""Who the check is for, as people type it: "cho tui", "cho chính mình" (self) or "cho con trai tui",
"hỏi giùm thằng em", "người nhà" (a family member)."""

from __future__ import annotations

from bot.understanding.words import folded

SELF = "self"
FAMILY = "family"

_FAMILY = (
    "nguoi nha", "con trai", "con gai", "con toi", "con minh", "thang con", "con cua toi", "chong", "vo toi",
    "vo minh", "anh toi", "chi toi", "em toi", "thang em", "anh trai", "em trai", "chi gai", "em gai",
    "ba toi", "chau noi", "chau ngoai", "thang chau", "chau cua", "con cua ba", "con cua me", "ong xa",
    "ba xa", "thang ut", "em ut",
    "me toi", "cha toi", "chau toi", "ban toi", "ho nguoi", "giup nguoi", "giup con", "giup chong", "giup em",
    "gium", "dum", "family", "relative", "my son", "my daughter", "my husband", "my wife", "my brother",
    "my sister", "for someone", "សាច់ញាតិ", "កូនប្រុស", "កូនស្រី", "ប្តី",
)  # fmt: skip
_SELF = ("cho toi", "cho minh", "chinh toi", "chinh minh", "ban than", "toi", "minh", "em", "myself", "me",
         "for me", "ខ្លួនឯង", "ខ្ញុំ")  # fmt: skip


def who_for(text: str) -> str | None:
    padded = folded(text)
    for phrase in _FAMILY:
        if f" {phrase} " in padded or (not phrase.isascii() and phrase in padded):
            return FAMILY
    for phrase in _SELF:
        if f" {phrase} " in padded or (not phrase.isascii() and phrase in padded):
            return SELF
    return None
