"""Turn what people type into comparable tokens.

NFC -> lowercase -> remove Vietnamese tone and vowel marks (and map đ -> d) -> punctuation to spaces ->
split digits from letters ("100tr" -> "100 tr") -> expand chat shorthand and dialect words, whole tokens
only ("ko" -> "khong", "nhiêu" -> "bao nhieu", "tui" -> "toi"). Khmer letters are kept as they are.
Two rules that depend on a number before or after a word: slang money units after a number ("100 củ",
"100 chai" -> "100 trieu", "2 tỏi" -> "2 ty"), and a form's number kept as a word ("mẫu số 01" ->
"mau so 01 mau1"), since the FAQ matcher otherwise treats all numbers alike ("mẫu 01" is not "mẫu 02").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

# Combining marks used by Vietnamese (and other Latin diacritics): U+0300-U+036F.
_LATIN_MARKS = range(0x0300, 0x0370)


def _fold_table() -> dict[int, int | None]:
    table: dict[int, int | None] = {mark: None for mark in _LATIN_MARKS}
    for code in range(0x00C0, 0x2000):
        char = chr(code)
        decomposed = unicodedata.normalize("NFD", char)
        if len(decomposed) > 1 and all(ord(c) in _LATIN_MARKS for c in decomposed[1:]):
            table[code] = ord(decomposed[0].lower())
    for char in "đĐ":
        table[ord(char)] = ord("d")
    return table


_FOLD = _fold_table()
# Anything that is not a letter, digit, Latin mark or Khmer character separates words.
_SEPARATORS = re.compile(r"[^\w\u0300-\u036f\u1780-\u17ff]+|_")
_DIGIT_LETTER = re.compile(r"(?<=\d)(?=[^\W\d])|(?<=[^\W\d])(?=\d)")


def fold(text: str) -> str:
    """Lowercase and remove diacritics: "Được vay bao nhiêu?" -> "duoc vay bao nhieu?"."""
    return unicodedata.normalize("NFC", text).lower().translate(_FOLD)


def simple_tokens(text: str) -> list[str]:
    """Folded tokens without shorthand expansion."""
    spaced = _SEPARATORS.sub(" ", fold(text))
    return _DIGIT_LETTER.sub(" ", spaced).split()


# Slang money units after a number ("100 củ", "100 chai", "2 tỏi"): only after a digit, since alone
# they are other words ("củ" a tuber, "cũ" old, "chai" a bottle, "tôi" I all fold alike).
_MONEY_UNITS = {"cu": "trieu", "chai": "trieu", "toi": "ty", "ti": "ty"}
# A form's number names the form ("mẫu 01" is the commune list, "mẫu 02" the business plan), but a
# matcher treats numbers alike; so a number after "mẫu" / "mẫu số" also gives one word, "mau1".


class TextNormalizer:
    """Normalises text with one shorthand table (from content: `shorthand.yaml`) and the phrases in
    which that table must not be applied (`faq_words.yaml`: "sổ hồng" is a land title, not "sổ không")."""

    def __init__(self, shorthand: Mapping[str, str], keep_phrases: Iterable[str] = ()) -> None:
        self._expansions: dict[str, tuple[str, ...]] = {}
        for key, expansion in shorthand.items():
            folded_key = " ".join(simple_tokens(key))
            words = tuple(simple_tokens(expansion))
            if folded_key and " " not in folded_key and words and words != (folded_key,):
                self._expansions[folded_key] = words
        self._keep: dict[str, list[tuple[str, ...]]] = {}
        for phrase in keep_phrases:
            words = tuple(simple_tokens(phrase))
            if len(words) > 1:
                self._keep.setdefault(words[0], []).append(words)

    def _kept(self, tokens: list[str]) -> set[int]:
        """Positions of tokens that belong to a phrase kept as it is."""
        kept: set[int] = set()
        for start, token in enumerate(tokens):
            for phrase in self._keep.get(token, ()):
                if tuple(tokens[start : start + len(phrase)]) == phrase:
                    kept.update(range(start, start + len(phrase)))
        return kept

    def expansion(self, token: str) -> tuple[str, ...]:
        """What one folded shorthand word stands for ("bn": bao nhieu); empty if it is none."""
        return self._expansions.get(token, ())

    def tokens(self, text: str) -> list[str]:
        """Folded tokens with shorthand expanded. Leading words of an expansion that are already
        there are not repeated: "bao nhiêu" stays "bao nhieu" although "nhiêu" alone means "bao nhieu"."""
        out: list[str] = []
        source = simple_tokens(text)
        kept = self._kept(source) if self._keep else set()
        for position, token in enumerate(source):
            if position and token in _MONEY_UNITS and source[position - 1].isdigit():
                out.append(_MONEY_UNITS[token])
                continue
            if token.isdigit() and (out[-1:] == ["mau"] or out[-2:] == ["mau", "so"]):
                out.extend((token, f"mau{int(token)}"))
                continue
            words = None if position in kept else self._expansions.get(token)
            if words is None:
                out.append(token)
                continue
            prefix = len(words) - 1
            if prefix and tuple(out[-prefix:]) == words[:-1]:
                out.append(words[-1])
            else:
                out.extend(words)
        return out

    def normalize(self, text: str) -> str:
        return " ".join(self.tokens(text))
