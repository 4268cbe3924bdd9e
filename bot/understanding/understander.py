"""What a message is: a crisis, small talk, or a question for one language's FAQ matcher.

Order matters: a crisis is recognised before anything else; small talk only when the whole message is
small talk; everything else goes to the matcher of the language it is written in (Vietnamese: the
topics' own phrasings; English and Khmer: `content/data/faq_i18n/`), each with its own out-of-scope
phrasings, so a language's words never weigh against another's.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

from bot.faq_matcher import FaqMatcher, Match, Thresholds
from bot.text_normalizer import TextNormalizer
from bot.understanding import lang as language
from bot.understanding.crisis import is_crisis
from bot.understanding.khmer import khmer_tokens
from bot.understanding.smalltalk import small_talk
from content.faq import Faq
from content.faq_i18n import FaqI18n
from content.localized import Lang

OUT_OF_SCOPE = "-"
CRISIS = "crisis"
SMALLTALK = "smalltalk"

# English words that frame a question rather than say what it is about.
_EN_FRAME = """what how who where when why which is are am do does did can could will would should the a an
i me my you your it this that to of for in on at with be get have has please there much many"""
EN_FRAME = _EN_FRAME.split()
EN_SHORTHAND = {
    "u": "you",
    "ur": "your",
    "pls": "please",
    "plz": "please",
    "cant": "can not",
    "dont": "do not",
    "wanna": "want to",
    "gonna": "going to",
    "im": "i am",
    "jail": "prison",
    "prisoner": "prison",
    "prisoners": "prison",
    "released": "release",
    "incarcerated": "prison",
}


class EnglishNormalizer:
    """Lowercase words with shorthand expanded and a light stemming (plural and -ed/-ing endings), so
    "loans", "borrowed" and "borrowing" meet "loan" and "borrow"."""

    def __init__(self) -> None:
        self._base = TextNormalizer(EN_SHORTHAND)

    @staticmethod
    def _stem(word: str) -> str:
        for suffix in ("ing", "ed", "es", "s"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
                return word[: -len(suffix)]
        return word

    def tokens(self, text: str) -> list[str]:
        return [self._stem(word) for word in self._base.tokens(re.sub(r"'", "", text))]


# Sentence particles of chat and Southern speech that say nothing about the question ("vậy" as "dzậy",
# "nha", "hen", "à"): dropped before matching, because a word no phrasing has lowers every score.
_VI_PARTICLE_WORDS = "dzay zay dzi z nha nhe nhen nghen hen ne oi a ak ah ha ui uh"
VI_PARTICLES = frozenset(_VI_PARTICLE_WORDS.split())


# "vậy"/"vầy"/"dậy" (Southern "dị") written with marks is the particle, never "vay" (to borrow); once
# marks are folded the two are one word, so the marked forms are removed before folding ("vay vốn làm
# như thế nào vậy"). Unmarked "vay" stays: "lam sao vay" is as often "how to borrow".
_VI_MARKED_PARTICLES = re.compile(r"(?<!\w)(?:vậy|vầy|dậy|zậy|dị)(?!\w)", re.IGNORECASE)
# Voice-to-text hears "vay" as "vai" ("lãi vai này", "xin vai vốn"): in a message written with marks an
# unmarked "vai" is the loan ("vài", a few, and "vải", cloth, carry their marks). The shoulder and the
# role stay: "đau vai", "mỏi vai", "trên vai", "bả vai", "đóng vai", "vai trò", "vai diễn".
_VI_VOICE_VAY = re.compile(
    r"(?<!\w)(?<!đau )(?<!mỏi )(?<!trên )(?<!bả )(?<!vác )(?<!đóng )vai(?!\w)"
    r"(?!\s+(?:trò|tro|diễn|dien|áo)(?!\w))",
    re.IGNORECASE,
)
# "nhà" (house) written with its mark is not the particle "nha": "vay tiền này cất nhà được hong".
_VI_HOUSE = re.compile(r"(?<!\w)nhà(?!\w)", re.IGNORECASE)
_VI_PARTICLES_BUT_HOUSE = VI_PARTICLES - {"nha"}


class VietnameseNormalizer:
    """The content's normaliser (shorthand, kept phrases) without chat particles."""

    def __init__(self, base: TextNormalizer) -> None:
        self._base = base

    def tokens(self, text: str) -> list[str]:
        text = _VI_MARKED_PARTICLES.sub(" ", unicodedata.normalize("NFC", text))
        if language.has_marks(text):
            text = _VI_VOICE_VAY.sub("vay", text)
        particles = _VI_PARTICLES_BUT_HOUSE if _VI_HOUSE.search(text) else VI_PARTICLES
        return [t for t in self._base.tokens(text) if t not in particles]


class KhmerNormalizer:
    def tokens(self, text: str) -> list[str]:
        return khmer_tokens(text)


def vietnamese_matcher(
    faq: Faq,
    phrasings: list[tuple[str, str]],
    thresholds: Thresholds | None = None,
    label_only: list[tuple[str, str]] | None = None,
) -> FaqMatcher:
    """The Vietnamese matcher over `phrasings` (and `label_only`, by default the questions people
    asked about a topic) with the content's words (shorthand, question frames, business words): the
    bot's, and each fold of `scripts/faq_crossval.py`."""
    normalizer = VietnameseNormalizer(TextNormalizer(faq.shorthand, faq.keep_phrases))
    return FaqMatcher.from_faq(
        faq, thresholds, phrasings=phrasings, normalizer=normalizer, label_only=label_only
    )


@dataclass(frozen=True)
class Understander:
    matchers: dict[Lang, FaqMatcher]

    @classmethod
    def build(cls, faq: Faq, i18n: FaqI18n, vi_thresholds: Thresholds | None = None) -> Understander:
        vi_phrasings = faq.vietnamese_phrasings(OUT_OF_SCOPE)
        matchers: dict[Lang, FaqMatcher] = {"vi": vietnamese_matcher(faq, vi_phrasings, vi_thresholds)}
        for lang, normalizer, thresholds, frame in (
            ("en", EnglishNormalizer(), Thresholds(), EN_FRAME),
            ("km", KhmerNormalizer(), Thresholds(typo_min_length=99), []),
        ):
            examples = i18n.examples[lang]
            phrasings = [(t, p) for t, ps in examples.topics.items() for p in ps]
            phrasings += [(OUT_OF_SCOPE, p) for p in examples.out_of_scope]
            # A topic's Vietnamese title and its own title in this language are phrasings too.
            phrasings += [(t.id, t.title.get(lang)) for t in faq.topics.values()]
            matchers[lang] = FaqMatcher(  # type: ignore[index]
                phrasings, {}, thresholds, frame_words=frame, normalizer=normalizer
            )
        return cls(matchers)

    def language(self, text: str, hint: str | None = None) -> Lang:
        return language.detect(text, self.matchers["en"].vocabulary, self.matchers["vi"].vocabulary, hint)

    def match(self, text: str, hint: str | None = None) -> Match:
        """The crisis or small-talk "topic", or the FAQ matcher's answer in the message's language."""
        lang = self.language(text, hint)
        if is_crisis(text):
            return Match("answer", CRISIS, 100, lang=lang)
        if small_talk(text) is not None:
            return Match("answer", SMALLTALK, 100, lang=lang)
        return replace(self.matchers[lang].match(text), lang=lang)
