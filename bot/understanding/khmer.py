"""Khmer tokens for the matcher. Khmer is written without spaces between words, so a word segmenter
would be needed to find words; instead the text is cut into orthographic syllables (a base letter with
its vowel signs, diacritics and subscript consonants) and overlapping syllable pairs are the tokens.
Pairs of syllables carry most of the meaning of a Khmer word (most words are one to three syllables),
need no dictionary or model, and do not depend on how the writer used spaces or zero-width spaces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import pairwise

_KHMER_RUN = re.compile(r"[\u1780-\u17ff\u19e0-\u19ff]+")
# A base letter (consonant or independent vowel) followed by its signs; a coeng (U+17D2) joins the next
# letter as a subscript of the same syllable.
_SYLLABLE = re.compile(
    r"[\u1780-\u17b3](?:\u17d2[\u1780-\u17b3]|[\u17b4-\u17d1\u17d3\u17dd])*|[\u17d4-\u17dc\u17e0-\u17e9]"
)
_DIGITS = str.maketrans("០១២៣៤៥៦៧៨៩", "0123456789")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff"))


def has_khmer(text: str) -> bool:
    return _KHMER_RUN.search(text) is not None


# Spellings that look alike and are typed both ways: the independent vowel "ឲ" and "ឱ"; subscript "្ដ"
# and "្ត" ("ប្ដី", "ប្តី"); "្រ្ត" typed for "្ត្រ" ("មន្រ្តី" for "មន្ត្រី").
_SPELLINGS = (
    ("ឲ", "ឱ"),
    ("\u17d2\u178a", "\u17d2\u178f"),
    ("\u17d2\u179a\u17d2\u178f", "\u17d2\u178f\u17d2\u179a"),
)


def compact(text: str) -> str:
    """The Khmer letters of a text run together, in one spelling: no spaces, zero-width spaces, Latin
    letters, "។" or "៖", so that phrases can be looked for whatever spacing the writer used."""
    out = "".join(ch for ch in text if "\u1780" <= ch <= "\u17ff" and not "\u17d4" <= ch <= "\u17da")
    for typed, usual in _SPELLINGS:
        out = out.replace(typed, usual)
    return out


def syllables(text: str) -> list[str]:
    return [s for s in _SYLLABLE.findall(text) if not ("\u17d4" <= s <= "\u17dc")]


def _pairs(parts: list[str]) -> Iterable[str]:
    if len(parts) == 1:
        yield parts[0]
    for first, second in pairwise(parts):
        yield first + second


def khmer_tokens(text: str) -> list[str]:
    """Syllable pairs of the Khmer runs of a text; other runs (numbers, Latin words) become their
    own lowercase tokens; Khmer digits become ASCII digits."""
    text = text.translate(_INVISIBLE).translate(_DIGITS).lower()
    out: list[str] = []
    position = 0
    for run in _KHMER_RUN.finditer(text):
        out.extend(re.findall(r"\w+", text[position : run.start()]))
        out.extend(_pairs(syllables(run.group())))
        position = run.end()
    out.extend(re.findall(r"\w+", text[position:]))
    return out
