"""Text normalisation for place names: fold Vietnamese diacritics, split into tokens, expand abbreviations.

Matching happens on folded tokens ("Đại Tâm" -> ["dai", "tam"]); the accented form of each token is kept
beside it so that a query typed with diacritics can prefer "Tân Thạnh" over "Tân Thành".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_TOKEN = re.compile(r"[^\W\d_]+|\d+")
_APOSTROPHES = re.compile(r"['’ʼ`´]")  # "Ea H'leo", "Cư M’gar": one word each

# Abbreviations people write in addresses, mapped to the folded words they stand for.
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "p": ("phuong",),
    "f": ("phuong",),
    "ph": ("phuong",),
    "x": ("xa",),
    "tt": ("thi", "tran"),
    "ttr": ("thi", "tran"),
    "tx": ("thi", "xa"),
    "h": ("huyen",),
    "q": ("quan",),
    "tp": ("thanh", "pho"),
    "dk": ("dac", "khu"),
}

# Words that say what kind of unit the following name is.
WARD_MARKERS: dict[tuple[str, ...], str] = {
    ("xa",): "xa",
    ("phuong",): "phuong",
    ("thi", "tran"): "thi tran",
    ("dac", "khu"): "dac khu",
}
DISTRICT_MARKERS: dict[tuple[str, ...], str] = {
    ("huyen",): "huyen",
    ("quan",): "quan",
    ("thi", "xa"): "thi xa",
    ("thanh", "pho"): "thanh pho",
}
PROVINCE_MARKERS: dict[tuple[str, ...], str] = {
    ("tinh",): "tinh",
    ("thanh", "pho"): "thanh pho",
}
TWO_WORD_MARKERS = frozenset(m for m in {*WARD_MARKERS, *DISTRICT_MARKERS, *PROVINCE_MARKERS} if len(m) == 2)
# The longest first, so that "thi xa" is read before "xa".
_ALL_MARKERS = sorted({*WARD_MARKERS, *DISTRICT_MARKERS, *PROVINCE_MARKERS}, key=lambda words: -len(words))


def fold(text: str) -> str:
    """Lower-case ASCII form: "Đại Tâm" -> "dai tam"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").lower()


def accent_key(text: str) -> str:
    """Lower-case NFC form with spaces removed, for comparing accented spellings."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text).lower())


def compact(words: tuple[str, ...] | list[str]) -> str:
    return "".join(words)


def name_words(name: str) -> tuple[str, ...]:
    """Folded tokens of a name: "Phường 5" -> ("phuong", "5")."""
    return tuple(_TOKEN.findall(_APOSTROPHES.sub("", fold(name))))


@dataclass(frozen=True)
class Query:
    """A query as folded tokens (abbreviations expanded) and the accented token beside each."""

    words: tuple[str, ...]
    accented: tuple[str, ...]
    has_diacritics: bool


def parse_query(text: str) -> Query:
    text = _APOSTROPHES.sub("", unicodedata.normalize("NFC", text))
    words: list[str] = []
    accented: list[str] = []
    for raw in _TOKEN.findall(text.lower()):
        folded = fold(raw)
        expansion = ABBREVIATIONS.get(folded)
        if raw == folded and folded.startswith("tp") and len(folded) > 4:
            words.extend(("thanh", "pho", folded[2:]))  # "TPHCM": no Vietnamese word starts with "tp"
            accented.extend(("thanh", "pho", folded[2:]))
        elif expansion and raw == folded:
            words.extend(expansion)
            accented.extend(expansion)
        else:
            words.append(folded)
            accented.append(raw)
    has_diacritics = any(fold(a) != a for a in accented)
    return Query(tuple(words), tuple(accented), has_diacritics)


def marker_before(words: tuple[str, ...], start: int) -> tuple[str, ...] | None:
    """The unit-kind words ending just before position `start`, if any."""
    for marker in _ALL_MARKERS:
        size = len(marker)
        if start >= size and words[start - size : start] == marker:
            return marker
    return None


def strip_kind(name: str, kinds: tuple[str, ...]) -> str:
    """Drop a leading unit kind ("Phường ", "Xã ", "Thị trấn ") from an official name."""
    for kind in kinds:
        if name.lower().startswith(kind.lower() + " "):
            return name[len(kind) + 1 :].strip()
    return name.strip()
