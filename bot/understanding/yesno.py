"""A typed yes, no or "not sure" said as people say it: "co giay roi em", "co dc cap roi", "ko co no
ai", "ko, no chua vay ngan hang nao het", "thang 9 hay 10 gi do, ko nho ro".

Only short answers, and only where the question has yes/no buttons. A "yes" needs a yes-word first and
no negation or question word anywhere ("co the vay bao nhieu" is a question, "co ... khong" asks);
a "no" starts with a negation; "not sure" is a don't-know phrase anywhere.
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Final, Literal

from bot.understanding.words import words

Answer = Literal["yes", "no", "unknown"]

MAX_WORDS: Final = 12
# Words before the answer that change nothing ("da co roi", "a co", "em co").
_LEAD: Final = frozenset(
    {"a", "da", "vang", "em", "anh", "chi", "con", "toi", "minh", "thi", "u", "uh", "ben"}
)
_YES_FIRST: Final = frozenset(
    {
        "co",
        "roi",
        "duoc",
        "ok",
        "oke",
        "okay",
        "dung",
        "yes",
        "yeah",
        "chiu",
        "vang",
        "da",
        "u",
        "uh",
        "um",
        "phai",
    }
)
# Not "no": folded, it is also "nợ" (debt) and "nó" (he); only the whole message "no" means no.
_NEGATION: Final = frozenset({"khong", "chua", "chang", "cha", "hem", "not", "never", "nope"})
# Words of a question: an answer that has one is not a plain yes.
_QUESTION: Final = frozenset(
    {"gi", "sao", "nao", "dau", "ai", "may", "the", "lau", "hay", "neu", "nhieu", "khi", "what", "how"}
)
_UNKNOWN: Final = (
    ("khong", "ro"),
    ("khong", "biet"),
    ("khong", "nho"),
    ("chua", "ro"),
    ("chua", "biet"),
    ("khong", "chac"),
    ("quen", "roi"),
    ("quen", "mat"),
    ("not", "sure"),
    ("dont", "know"),
)


def _has_pair(found: list[str], pair: tuple[str, str]) -> bool:
    return any(a == pair[0] and b == pair[1] for a, b in pairwise(found))


# A question, not an answer: a question mark, a marked question particle ("có luôn à", "giấy đó hả"),
# or, unmarked, one at the end ("co phai giay ra trai ha"); "ạ" (polite) stays an answer.
_QUESTION_MARKS = re.compile(r"\?|(?<!\w)(?:hả|à|nhỉ|chứ|hở|hén)(?!\w)", re.IGNORECASE)
_QUESTION_END: Final = frozenset({"ha", "nhi", "chu", "ho", "hen"})


def yes_no(text: str) -> Answer | None:
    said = words(text)
    if not said or len(said) > MAX_WORDS:
        return None
    if _QUESTION_MARKS.search(text) or said[-1] in _QUESTION_END or said[:2] == ["co", "phai"]:
        return None
    if any(_has_pair(said, pair) for pair in _UNKNOWN):
        return "unknown"
    # The first word that is not a lead-in ("dạ chưa có" answers "chưa"); "dạ" alone is a yes.
    first = next((w for w in said if w not in _LEAD), said[-1])
    if first in _NEGATION or said in (["no"], ["nope"]):
        return "no"
    if first in _YES_FIRST and not (set(said) & (_NEGATION | _QUESTION)):
        return "yes"
    return None
