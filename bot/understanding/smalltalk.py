"""Small talk: greetings, thanks, "ok", goodbye, "are you a person?", insults. A message is small talk
only when every word of it belongs to such a phrase or is a filler ("bạn", "nha", "nhiều"), so a
question that starts with "chào bạn" still goes to the FAQ."""

from __future__ import annotations

from typing import Literal

from bot.text_normalizer import simple_tokens
from bot.understanding.khmer import compact, has_khmer

Kind = Literal["greeting", "thanks", "ok", "bye", "person", "insult"]
# Stronger kinds win when a message has several ("chào, bot ngu quá" is an insult).
PRIORITY: tuple[Kind, ...] = ("insult", "person", "thanks", "bye", "greeting", "ok")
MAX_WORDS = 10

_PHRASES: dict[Kind, list[str]] = {
    "greeting": [
        "chao",
        "xin chao",
        "alo",
        "a lo",
        "hello",
        "hi",
        "hey",
        "helo",
        "good morning",
        "good afternoon",
        "good evening",
        "morning",
        "chao buoi sang",
        "chao buoi toi",
        "hi there",
        "hello there",
        "hey there",
        "good day",
        "howdy",
        "greetings",
        "how are you",
        "how r u",
        "nice to meet you",
    ],
    "thanks": [
        "cam on",
        "cam ong",
        "camon",
        "tks",
        "thanks",
        "thank you",
        "thank",
        "thx",
        "ty",
        "cm on",
        "thanks a lot",
        "many thanks",
        "appreciate it",
        "much appreciated",
        "cheers",
    ],
    "ok": [
        "ok",
        "oke",
        "okie",
        "okay",
        "oki",
        "okela",
        "uh",
        "u",
        "uhm",
        "um",
        "uk",
        "da",
        "vang",
        "da vang",
        "duoc roi",
        "hieu roi",
        "biet roi",
        "roi",
        "yes",
        "got it",
        "alright",
        "fine",
        "cool",
        "the a",
        "vay a",
        "dzay a",
        "sure",
        "understood",
        "i see",
        "noted",
        "great",
        "sounds good",
        "all right",
        "perfect",
    ],
    "bye": [
        "tam biet",
        "bye",
        "bai",
        "goodbye",
        "good bye",
        "bye bye",
        "hen gap lai",
        "see you",
        "bb",
        "see you later",
        "see ya",
        "take care",
        "good night",
        "bye for now",
    ],
    "person": [
        "nguoi that",
        "nguoi hay may",
        "nguoi hay robot",
        "may hay nguoi",
        "robot",
        "la may",
        "la ai",
        "real person",
        "a real person",
        "human",
        "a human",
        "a person",
        "person",
        "a bot",
        "bot",
        "a robot",
        "la nguoi",
        "la may",
        "a machine",
        "machine",
        "a chatbot",
        "chatbot",
        "an ai",
        "automated",
        "talking to a bot",
        "talking to a machine",
    ],
    "insult": [
        "ngu",
        "do ngu",
        "ngu qua",
        "vo dung",
        "do vo dung",
        "stupid",
        "useless",
        "dumb",
        "idiot",
        "dien",
        "vo duyen",
        "do te",
        "tao lao",
        "xao",
        "ngu ngoc",
        "ngu vay",
        "te qua",
        "you suck",
        "sucks",
        "terrible",
        "bad bot",
        "worthless",
        "pointless",
        "not helpful",
    ],
}
_FILLER_WORDS = """ban bot nha nhe ne a ah ha nhieu nhiu lam qua minh em anh chi co chu ad admin
    you so much very
    are is am i you re u oi hen nghen nghe ha z dzay di nhe nhen luon the nhe ok ak ai that thiet
    thi hay hoac khong ko k hong really just la may mi con chau vay ba ong co"""
_FILLERS = frozenset(_FILLER_WORDS.split())
# "bạn là ai", "are you a bot" are about the bot itself; "ngu"/"dở" alone as insults only with a target.
# Khmer, written by the team: awaiting review by a native speaker. Matched on khmer.compact(text), so
# "សួស្ដី" and "សួស្តី" are one spelling.
_KM_PHRASES: dict[Kind, list[str]] = {
    "greeting": [
        "សួស្តី",  # hello
        "ជម្រាបសួរ",  # polite hello
        "ជំរាបសួរ",  # the same, as often spelt
        "អាឡូ",
        "ហាឡូ",
        "អរុណសួស្តី",  # good morning
        "ទិវាសួស្តី",  # good afternoon
        "សាយណ្ហសួស្តី",  # good evening
        "សុខសប្បាយទេ",  # how are you
    ],
    "thanks": ["អរគុណ", "អរព្រះគុណ"],
    "ok": ["បាទ", "ចាស", "ចា", "បាទ៎", "ចាស៎", "យល់ហើយ", "អូខេ", "អូកេ", "បាន", "ល្អ", "យល់ព្រម", "ត្រូវហើយ"],
    "bye": [
        "លាហើយ",
        "លាសិនហើយ",
        "ជួបគ្នាពេលក្រោយ",
        "ជួបគ្នាថ្ងៃក្រោយ",
        "លាសិន",
        "ជម្រាបលា",  # polite goodbye
        "បាយបាយ",  # bye-bye, as said
        "រាត្រីសួស្តី",  # good night
    ],
    "person": ["មនុស្សពិត", "មនុស្ស", "រ៉ូបូត", "ម៉ាស៊ីន", "ជានរណា", "ជាអ្នកណា", "ស្វ័យប្រវត្តិ"],
    "insult": ["ល្ងង់", "ល្ងីល្ងើ", "គ្មានប្រយោជន៍", "អត់ប្រយោជន៍", "ឥតប្រយោជន៍", "ឆ្កួត", "មិនចេះអីសោះ"],
}
_KM_FILLERS = [
    "តើ",
    "អ្នក",
    "ជា",
    "ឬ",
    "ទេ",
    "ច្រើន",
    "ណាស់",
    "ណា",
    "បាទ",
    "ចាស",
    "ហើយ",
    "បូត",
    "ឬទេ",
    "មែន",
    "សូម",  # please
    "បង",  # older sibling: a polite "you"
    "អូន",
    "ដែរ",  # too
    "ផង",
    "សោះ",  # at all
]


def _cover(words: list[str]) -> list[Kind] | None:
    """The kinds of the phrases covering every word (fillers aside), or None when a word is left."""
    kinds: list[Kind] = []
    position = 0
    while position < len(words):
        best: tuple[int, Kind] | None = None
        for kind, phrases in _PHRASES.items():
            for phrase in phrases:
                parts = phrase.split()
                fits = words[position : position + len(parts)] == parts
                if fits and (best is None or len(parts) > best[0]):
                    best = (len(parts), kind)
        if best is not None:
            kinds.append(best[1])
            position += best[0]
        elif words[position] in _FILLERS:
            position += 1
        else:
            return None
    return kinds


def _cover_khmer(text: str) -> list[Kind] | None:
    rest = compact(text)
    pieces: list[tuple[str, Kind | None]] = [(p, k) for k, ps in _KM_PHRASES.items() for p in ps]
    pieces += [(f, None) for f in _KM_FILLERS]
    pieces.sort(key=lambda piece: -len(piece[0]))
    kinds: list[Kind] = []
    while rest:
        for piece, kind in pieces:
            if rest.startswith(piece):
                rest = rest[len(piece) :]
                if kind is not None:
                    kinds.append(kind)
                break
        else:
            return None
    return kinds


def small_talk(text: str) -> Kind | None:
    """The kind of small talk a whole message is, or None."""
    if has_khmer(text):
        kinds = _cover_khmer(text)
    else:
        words = simple_tokens(text)
        if not words or len(words) > MAX_WORDS:
            return None
        kinds = _cover(words)
    if not kinds:
        return None
    return min(kinds, key=PRIORITY.index)
