"""Vietnamese typed with the Telex keys but without the keyboard that turns them into marks
("giaasy towf gif" for "giấy tờ gì"): the plain words they stand for, once marks are folded away.

Written here (≈30 lines): the matcher compares folded words, so only the plain letters matter, and
the one Telex library on PyPI, `bogo`, is unmaintained (tested up to Python 3.3) and turns any word
into a marked one ("system" → "sýtem" unless told to skip), where we want readings of one unknown word.
"""

from __future__ import annotations

import re

# Double letters and "w" only shape a vowel (â ê ô ă ơ ư đ); folded, they are the plain letter.
_SHAPES = (("dd", "d"), ("aa", "a"), ("ee", "e"), ("oo", "o"), ("aw", "a"), ("ow", "o"), ("uw", "u"))
_VOWEL = re.compile(r"[aeiouy]")
TONE_KEYS = "sfrxj"


def readings(token: str) -> list[str]:
    """Plain words `token` may stand for if typed in Telex, most likely first; empty when it cannot
    be Telex. A folded Vietnamese syllable never ends in s, f, r, x or j, nor holds "w" or a
    doubled vowel, so a token without those is left alone."""
    shaped = token
    for pair, plain in _SHAPES:
        shaped = shaped.replace(pair, plain)
    shaped = shaped.replace("w", "u")
    found: list[str] = [shaped] if shaped != token else []
    first_vowel = _VOWEL.search(shaped)
    if first_vowel is None:
        return found
    # One tone key after the first vowel (it may come at the end or right after the vowel).
    for position in range(len(shaped) - 1, first_vowel.start(), -1):
        if shaped[position] in TONE_KEYS:
            found.append(shaped[:position] + shaped[position + 1 :])
    return found
