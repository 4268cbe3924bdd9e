"""Words a locked phone's preview must never show in a message the service sends on its own.

design.md: messages the bot sends unprompted (reminders, status updates) never contain "tù",
"trại giam", "công an", "án phạt", "phạm nhân", "đặc xá" — as whole words ("dự án" is fine).
Matching keeps diacritics ("tu" without marks is an everyday word) but ignores case and Unicode form.
"""

from __future__ import annotations

import re
import unicodedata

FORBIDDEN_WORDS: tuple[str, ...] = ("tù", "trại giam", "công an", "án phạt", "phạm nhân", "đặc xá")

_PATTERNS = [
    (word, re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, word.split())) + r"(?!\w)"))
    for word in FORBIDDEN_WORDS
]


def forbidden_words_in(text: str) -> list[str]:
    folded = unicodedata.normalize("NFC", text).lower()
    return [word for word, pattern in _PATTERNS if pattern.search(folded)]
