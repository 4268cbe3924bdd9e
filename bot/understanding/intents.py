"""Typed requests to act, anywhere in the conversation: "kiem tra", "gui cho can bo", "ho so cua tui",
"xoa thong tin", "nhac tui", "quay lai", "huy", "doi ngon ngu", "gap can bo", "tiep theo tui phai lam
gi", "bao lau thi co tien" (with or without diacritics, Southern speech, en and km).

`detect(text)` looks for an intent's phrase anywhere in a short message; `detect(text, strict=True)`
(used inside a step that expects free text, a name or an address) takes only a message that is exactly
a command ("huy", "quay lai", "menu"): "Hủy" is not a name, but "Nguyễn Văn Kiểm Tra" might be.
"""

from __future__ import annotations

from typing import Final

from bot.understanding.words import folded

CHECK: Final = "check"
SEND: Final = "send"
STATUS: Final = "status"
DELETE: Final = "delete"
REMIND: Final = "remind"
BACK: Final = "back"
CANCEL: Final = "cancel"
LANGUAGE: Final = "language"
PERSON: Final = "person"
NEXT_STEPS: Final = "next_steps"
TIMELINE: Final = "timeline"
MENU: Final = "menu"

# Longer messages are questions for the FAQ, not commands ("nếu vay rồi thì có xóa thông tin tiền án
# không" is not a request to delete one's data).
MAX_WORDS = 9

# Phrases in folded form (see words.folded). Order matters: the first intent that matches wins, so the
# more specific ones come first ("gui ho so cho can bo" is sending, not "my file").
_PHRASES: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
    (
        DELETE,
        (
            "xoa thong tin",
            "xoa du lieu",
            "xoa het",
            "xoa ho so",
            "xoa data",
            "delete my data",
            "delete my",
            "erase my",
            "លុបទិន្នន័យ",
        ),
    ),
    (
        SEND,
        (
            "gui cho can bo",
            "gui can bo",
            "gui yeu cau",
            "gui ho so",
            "gui di",
            "gui cho cong an",
            "send to the officer",
            "send to an officer",
            "send it",
            "send my",
            "ផ្ញើទៅមន្ត្រី",
        ),
    ),
    (
        STATUS,
        (
            "ho so cua toi",
            "ho so toi",
            "ho so cua minh",
            "ho so minh",
            "ho so cua em",
            "ho so sao roi",
            "ho so toi dau",
            "ho so den dau",
            "yeu cau cua toi",
            "trang thai",
            "toi dau roi",
            "my file",
            "my status",
            "my request",
            "my application",
            "status",
            "ឯកសាររបស់ខ្ញុំ",
        ),
    ),
    (REMIND, ("nhac toi", "nhac minh", "nhac em", "nhac lai", "nhac giup", "remind me", "រំលឹកខ្ញុំ")),
    (
        TIMELINE,
        (
            "bao lau thi co",
            "bao lau co tien",
            "bao lau moi co",
            "bao lau nua",
            "bao lau thi duoc goi",
            "bao gio co tien",
            "khi nao co tien",
            "bao gio duoc goi",
            "khi nao duoc goi",
            "may ngay thi",
            "how long until",
            "how long before",
            "when will i get",
            "when do i get",
            "when will someone",
            "រយៈពេលប៉ុន្មាន",
        ),
    ),
    (
        NEXT_STEPS,
        (
            "tiep theo",
            "lam gi tiep",
            "buoc tiep",
            "phai lam gi",
            "lam sao tiep",
            "roi sao nua",
            "next step",
            "what next",
            "what now",
            "what do i do now",
            "ជំហានបន្ទាប់",
        ),
    ),
    (
        LANGUAGE,
        (
            "doi ngon ngu",
            "ngon ngu",
            "tieng anh",
            "tieng khmer",
            "tieng mien",
            "tieng viet",
            "english",
            "language",
            "khmer",
            "ភាសា",
        ),
    ),
    # Not "người thật" alone: "bạn là người thật hay máy?" is small talk about the bot.
    (
        PERSON,
        (
            "gap can bo",
            "gap nguoi",
            "noi chuyen voi nguoi",
            "goi can bo",
            "lien he can bo",
            "can bo goi",
            "talk to a person",
            "talk to someone",
            "talk to a human",
            "talk to a real",
            "និយាយជាមួយមនុស្ស",
        ),
    ),
    (
        CHECK,
        (
            "kiem tra",
            "xem toi co duoc vay",
            "toi co duoc vay khong",
            "co du dieu kien",
            "xem dieu kien",
            "xem co duoc vay",
            "check",
            "am i eligible",
            "eligibility",
            "ពិនិត្យ",
        ),
    ),
    (BACK, ("quay lai", "tro lai", "lui lai", "go back", "ត្រឡប់ក្រោយ")),
    (CANCEL, ("huy bo", "dung lai", "khong lam nua", "khong kiem tra nua", "thoi khoi", "បោះបង់")),
    (MENU, ("ve menu", "trang chu", "main menu", "ម៉ឺនុយ")),
)
# Words around a command that change nothing ("huy nha", "quay lai di", "ban oi menu").
_FILLERS: Final = frozenset(
    {
        "nha",
        "nhe",
        "di",
        "a",
        "oi",
        "ban",
        "em",
        "giup",
        "dum",
        "voi",
        "lam",
        "on",
        "please",
        "cho",
        "toi",
        "minh",
        "ne",
        "nghe",
        "thi",
    }
)

# Whole messages that are commands even where free text is expected.
_STRICT: Final[dict[str, str]] = {
    " huy ": CANCEL,
    " huy bo ": CANCEL,
    " thoi ": CANCEL,
    " thoi khoi ": CANCEL,
    " dung lai ": CANCEL,
    " cancel ": CANCEL,
    " stop ": CANCEL,
    " quay lai ": BACK,
    " tro lai ": BACK,
    " back ": BACK,
    " menu ": MENU,
    " ve menu ": MENU,
}


def detect(text: str, strict: bool = False) -> str | None:
    """The intent the message asks for, or None (a question, an answer, a name ...)."""
    padded = folded(text)
    core = " " + " ".join(w for w in padded.split() if w not in _FILLERS) + " "
    command = _STRICT.get(padded) or _STRICT.get(core)
    if strict or command is not None:
        return command
    if padded.strip() == "" or len(padded.split()) > MAX_WORDS:
        return None
    for intent, phrases in _PHRASES:
        for phrase in phrases:
            if f" {phrase} " in padded or (not phrase.isascii() and phrase in padded):
                return intent
    return None
