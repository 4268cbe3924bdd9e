"""Which of our languages a message is written in: Khmer by its script; English or Vietnamese (often
typed without diacritics) by which language's words it uses more."""

from __future__ import annotations

import re
from collections.abc import Collection

from bot.text_normalizer import fold, simple_tokens
from bot.understanding import telex
from bot.understanding.khmer import has_khmer
from content.localized import Lang, parse_lang

# Common English words that also help recognise short English messages the FAQ has not seen.
_ENGLISH = """a an the i me my you your we is are am was were be been do does did can could will would should
    what how who where when why which much many long to of for in on at with from about and or not no
    yes it this that there get got have has had want need please thanks thank okay hello hi bye goodbye
    loan loans money bank borrow pay prison jail released officer help person real"""
ENGLISH_WORDS = frozenset(_ENGLISH.split())

# A Vietnamese syllable without its marks: initial consonant, one to three vowels, a final from a short
# list. English words the Vietnamese phrasings happen to hold ("interest rate cua loan nay", "ok") are
# not syllables, so they do not make an English message look Vietnamese.
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?"
)


# Latin words people type inside Vietnamese ("vay max bn", "how"): never read as Telex ("max" is not "mã").
LATIN_CHAT_WORDS = ENGLISH_WORDS | frozenset(
    ["max", "min", "ok", "oke", "fb", "zalo", "sms", "atm", "wifi", "fix", "mix", "box", "fax", "tax"]
)


def has_marks(text: str) -> bool:
    """Whether Vietnamese letters with marks are used (not an emoji or a curly quote)."""
    return fold(text) != text.lower()


def is_syllable(word: str) -> bool:
    return _SYLLABLE.fullmatch(word) is not None


def _vietnamese(word: str, vietnamese: Collection[str]) -> bool:
    """A known Vietnamese syllable, or Telex for one typed without the keyboard ("giaasy")."""
    if word in vietnamese and is_syllable(word):
        return True
    return any(r in vietnamese and is_syllable(r) for r in telex.readings(word))


def detect(text: str, english: Collection[str], vietnamese: Collection[str], hint: str | None) -> Lang:
    """km for Khmer script; vi when Vietnamese letters with marks are used; otherwise the language whose
    vocabulary covers more of the words, the hint (the person's chosen language) on a tie."""
    if has_khmer(text):
        return "km"
    if has_marks(text):
        return "vi"
    words = simple_tokens(text)
    en = sum(w in english or w in ENGLISH_WORDS for w in words)
    vi = sum(_vietnamese(w, vietnamese) for w in words)
    if en > vi:
        return "en"
    if vi > en:
        return "vi"
    chosen = parse_lang(hint)
    return "en" if chosen == "en" else "vi"
