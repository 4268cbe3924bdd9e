"""Typed requests to act, anywhere in the conversation: "kiem tra", "gui cho can bo", "ho so cua tui",
"xoa thong tin", "nhac tui", "quay lai", "huy", "doi ngon ngu", "gap can bo", "tiep theo tui phai lam
gi", "bao lau thi co tien" (with or without diacritics, Southern speech, en and km).

`detect(text)` looks for an intent's phrase anywhere in a short message; `detect(text, strict=True)`
(used inside a step that expects free text, a name or an address) takes only a message that is exactly
a command ("huy", "quay lai", "menu"): "Hủy" is not a name, but "Nguyễn Văn Kiểm Tra" might be.

Khmer is written without spaces between words, so its phrases are looked for in the message's Khmer
letters run together, and "short" is counted in letters (MAX_KHMER_CHARS), not words.
"""

from __future__ import annotations

import re
from typing import Final

from bot.understanding.khmer import compact, has_khmer
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
# The same for Khmer, in Khmer code points once spaces are removed: about nine Khmer words (a word is
# three to five code points: "ខ្ញុំ" 5, "ចង់" 3, "លុប" 3). "ខ្ញុំចង់លុបទិន្នន័យរបស់ខ្ញុំចោល" (31) is a
# command; a question around the same phrase with an "if" clause is longer.
MAX_KHMER_CHARS = 40

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
            "xoa tai khoan cua toi",
            "xoa data",
            "delete my data",
            "delete my",
            "delete all my",
            "delete everything",
            "erase my",
            "erase everything",
            "remove my data",
            "remove my information",
            "remove my info",
            "remove my details",
            "wipe my data",
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
            "send the request",
            "send the application",
            "submit my",
            "submit it",
            "submit the request",
            "forward it to",
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
            "ho so duyet chua",
            "ho so co ket qua chua",
            "tinh trang ho so",
            "coi ho so cua toi",
            "coi ho so toi",
            "yeu cau cua toi",
            "trang thai",
            "toi dau roi",
            "my file",
            "my status",
            "my request",
            "my application",
            "status",
            "any news on my",
            "any update on my",
        ),
    ),
    (
        REMIND,
        (
            "nhac toi",
            "nhac minh",
            "nhac em",
            "nhac lai",
            "nhac giup",
            "nho nhac",
            "dat loi nhac",
            "remind me",
            "send me a reminder",
            "set a reminder",
        ),
    ),
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
            "chung nao co tien",
            "chung nao duoc goi",
            "khi nao nhan tien",
            "bao gio nhan tien",
            "chung nao nhan tien",
            "how long until",
            "how long before",
            "how long will it take",
            "how long do i wait",
            "how long do i have to wait",
            "when will i get",
            "when do i get",
            "when will someone",
            "when will the officer",
            "when will they call",
            "when will the money",
            "how many days until",
        ),
    ),
    (
        NEXT_STEPS,
        (
            "tiep theo",
            "lam gi tiep",
            "gio lam sao nua",
            "buoc tiep",
            "phai lam gi",
            "lam sao tiep",
            "roi sao nua",
            "gio sao nua",
            "gio lam gi",
            "next step",
            "what next",
            "what now",
            "now what",
            "what do i do now",
            "what do i do next",
            "what should i do next",
            "what s next",
            "whats next",
            "what happens next",
        ),
    ),
    (
        LANGUAGE,
        (
            "doi ngon ngu",
            "ngon ngu",
            "doi tieng",
            "tieng anh",
            "tieng khmer",
            "tieng mien",
            "tieng viet",
            "english",
            "language",
            "khmer",
            "in vietnamese",
            "speak vietnamese",
        ),
    ),
    # Not "người thật" alone: "bạn là người thật hay máy?" is small talk about the bot; nor "a real
    # person" alone: "are you a real person" is too.
    (
        PERSON,
        (
            "gap can bo",
            "gap nguoi",
            "gap nhan vien",
            "noi chuyen voi nguoi",
            "noi chuyen voi can bo",
            "noi voi can bo",
            "goi can bo",
            "goi cho can bo",
            "goi dien cho can bo",
            "lien he can bo",
            "can bo goi",
            "hoi truc tiep can bo",
            "talk to a person",
            "talk to someone",
            "talk to a human",
            "talk to a real",
            "talk to an officer",
            "talk to the officer",
            "talk with a person",
            "talk with someone",
            "talk with an officer",
            "speak to a person",
            "speak to someone",
            "speak to a human",
            "speak to an officer",
            "speak with someone",
            "contact an officer",
            "contact the officer",
            "call an officer",
            "officer to call me",
            "need a human",
            "need a person",
            "want a human",
            "connect me with",
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
            "coi co duoc vay",
            "coi toi co duoc vay",
            "toi vay duoc khong",
            "check my eligibility",
            "check eligibility",
            "check if i",
            "check whether i",
            "eligibility check",
            "start the check",
            "am i eligible",
            "eligibility",
            "do i qualify",
            "see if i qualify",
            "see if i can borrow",
        ),
    ),
    # Not "trở về" inside a message: "tui trở về quê có vay được không" is a question.
    (BACK, ("quay lai", "tro lai", "lui lai", "cau truoc", "go back", "previous question")),
    (
        CANCEL,
        (
            "huy bo",
            "dung lai",
            "khong lam nua",
            "khong muon lam nua",
            "khong kiem tra nua",
            "thoi khoi",
            "ngung lai",
            "never mind",
            "nevermind",
            "forget it",
            "don t want to continue",
            "stop the check",
            "cancel it",
            "cancel this",
        ),
    ),
    (
        MENU,
        ("ve menu", "trang chu", "menu chinh", "main menu", "back to menu", "back to the menu", "show menu"),
    ),
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
    " khong lam nua ": CANCEL,
    " cancel ": CANCEL,
    " stop ": CANCEL,
    " quit ": CANCEL,
    " never mind ": CANCEL,
    " nevermind ": CANCEL,
    " quay lai ": BACK,
    " tro lai ": BACK,
    " tro ve ": BACK,
    " back ": BACK,
    " go back ": BACK,
    " menu ": MENU,
    " ve menu ": MENU,
    " main menu ": MENU,
}
# Whole messages that are commands outside free-text steps, though too common inside a longer
# question to be looked for there: "check" ("does the bank check my record?"), "can i borrow" ("can i
# borrow for a motorbike?").
_WHOLE: Final[dict[str, str]] = {
    " check ": CHECK,
    " can i borrow ": CHECK,
    " can i get a loan ": CHECK,
    " can i get the loan ": CHECK,
}
# Words that make an English message a question about the topic, not a request: "why do you need my
# file", "who can see my status".
_EN_QUESTION: Final = frozenset({"why", "who", "whose"})

# Khmer, written by the team: awaiting review by a native speaker. Looked for in the message's Khmer
# letters run together (see khmer.compact), in the same order of precedence as _PHRASES. Colloquial
# and polite forms both; "ឱ្យ" and "ឲ្យ", "មន្ត្រី" and "មន្រ្តី" are unified before matching.
# Left out on purpose: "រយៈពេលប៉ុន្មាន" (the loan's term: "ខ្ចីបានរយៈពេលប៉ុន្មាន"), bare "លុប" ("the record
# is not yet erased"), bare "ឈប់" ("if the workers quit"), bare "ស្ថានភាព" (any situation), bare "ពិនិត្យ"
# ("does the bank check ..."); the last two only as whole messages (_KM_WHOLE).
_KM_PHRASES: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
    (
        DELETE,
        (
            "លុបទិន្នន័យ",  # delete data
            "លុបព័ត៌មាន",  # delete information
            "លុបចោលទិន្នន័យ",
            "លុបចោលព័ត៌មាន",
            "លុបឯកសាររបស់ខ្ញុំ",  # delete my file
            "លុបគណនី",  # delete the account
            "លុបទាំងអស់",  # delete everything
            "កុំរក្សាទុកព័ត៌មាន",  # do not keep my information
            "កុំរក្សាទុកទិន្នន័យ",
        ),
    ),
    (
        SEND,
        (
            "ផ្ញើទៅមន្ត្រី",  # send to the officer
            "ផ្ញើឱ្យមន្ត្រី",
            "ផ្ញើជូនមន្ត្រី",
            "បញ្ជូនទៅមន្ត្រី",
            "ផ្ញើពាក្យសុំ",  # send the application
            "ផ្ញើសំណើ",  # send the request
            "ផ្ញើឯកសារ",  # send the file
            "បញ្ជូនពាក្យសុំ",
            "ផ្ញើចេញ",  # send it off
            "ផ្ញើឥឡូវ",  # send now
        ),
    ),
    (
        STATUS,
        (
            "ឯកសាររបស់ខ្ញុំ",  # my file
            "មើលឯកសារខ្ញុំ",  # see my file
            "ស្ថានភាពឯកសារ",  # the file's status
            "ស្ថានភាពពាក្យសុំ",
            "ស្ថានភាពសំណើ",
            "ពាក្យសុំរបស់ខ្ញុំ",  # my application
            "ពាក្យសុំខ្ញុំ",
            "សំណើរបស់ខ្ញុំ",  # my request
            "ដល់ណាហើយ",  # how far has it got
        ),
    ),
    (
        REMIND,
        (
            "រំលឹកខ្ញុំ",  # remind me
            "ជួយរំលឹក",
            "សូមរំលឹក",
            "រំលឹកផង",
            "កុំភ្លេចរំលឹក",
            "ដាស់តឿនខ្ញុំ",  # alert me
        ),
    ),
    (
        TIMELINE,
        (
            "ទើបបានលុយ",  # (how long) until I get the money
            "ទើបបានប្រាក់",
            "ទើបទទួលបានប្រាក់",
            "ពេលណាបានលុយ",  # when do I get the money
            "ពេលណាបានប្រាក់",
            "ពេលណាខ្ញុំបានលុយ",
            "ពេលណាទទួលបានប្រាក់",
            "ប៉ុន្មានថ្ងៃទើប",  # how many days until
            "ពេលណាមន្ត្រីទូរស័ព្ទ",  # when will the officer call
            "ពេលណាគេទូរស័ព្ទ",
            "ពេលណាគេតេមក",
            "ចាំយូរប៉ុន្មាន",  # how long do I wait
        ),
    ),
    (
        NEXT_STEPS,
        (
            "ជំហានបន្ទាប់",  # the next step
            "បន្ទាប់មកធ្វើអ្វី",  # then what do I do
            "បន្ទាប់មកធ្វើអី",
            "ត្រូវធ្វើអ្វីបន្ទាប់",
            "ធ្វើអ្វីបន្តទៀត",
            "ធ្វើអីទៀត",
            "ឥឡូវត្រូវធ្វើអ្វី",  # what must I do now
            "ឥឡូវធ្វើម៉េច",
        ),
    ),
    (LANGUAGE, ("ភាសា",)),  # "ប្តូរភាសា", "ភាសាខ្មែរ", "ភាសាអង់គ្លេស"
    # Not "មនុស្សពិត" alone: "តើអ្នកជាមនុស្សពិតឬ" is small talk about the bot.
    (
        PERSON,
        (
            "និយាយជាមួយមនុស្ស",  # talk to a person
            "និយាយជាមួយមន្ត្រី",  # talk to an officer
            "និយាយជាមួយបុគ្គលិក",  # talk to staff
            "និយាយជាមួយនរណាម្នាក់",  # talk to someone
            "និយាយជាមួយអ្នកណាម្នាក់",
            "ជួបមន្ត្រី",  # meet an officer
            "ជួបមនុស្ស",
            "ទាក់ទងមន្ត្រី",  # contact an officer
            "ទូរស័ព្ទទៅមន្ត្រី",  # call an officer
            "ឱ្យមន្ត្រីទូរស័ព្ទ",  # have an officer call
        ),
    ),
    (
        CHECK,
        (
            "ពិនិត្យលក្ខខណ្ឌ",  # check the conditions
            "ពិនិត្យសិទ្ធិ",  # check my entitlement
            "ពិនិត្យមើលថាខ្ញុំ",  # check whether I ...
            "ខ្ញុំចង់ពិនិត្យ",  # I want to check
            "ខ្ញុំអាចខ្ចីបានទេ",  # can I borrow?
            "ខ្ញុំខ្ចីបានទេ",
            "ខ្ញុំមានសិទ្ធិខ្ចី",  # am I entitled to borrow
            "ខ្ញុំគ្រប់លក្ខខណ្ឌ",  # do I meet the conditions
            "មើលថាខ្ញុំអាចខ្ចី",
        ),
    ),
    (BACK, ("ត្រឡប់ក្រោយ", "ថយក្រោយ", "ទៅក្រោយវិញ", "សំណួរមុន")),  # back; the previous question
    (
        CANCEL,
        (
            "បោះបង់",  # cancel
            "មិនធ្វើទៀតទេ",  # I won't do it any more
            "មិនធ្វើទៀត",
            "មិនចង់បន្ត",  # I don't want to go on
            "មិនបន្តទេ",
            "លែងធ្វើហើយ",
            "ឈប់ពិនិត្យ",  # stop the check
            "ឈប់សិន",  # stop for now
        ),
    ),
    (MENU, ("ទៅម៉ឺនុយ", "ម៉ឺនុយដើម", "ម៉ឺនុយមេ", "ទំព័រដើម")),  # to the menu; the main menu; home
)
# Khmer whole messages (once the fillers below are taken off either end) that are commands even
# where free text is expected.
_KM_STRICT: Final[dict[str, str]] = {
    "បោះបង់": CANCEL,
    "ឈប់": CANCEL,
    "មិនធ្វើទៀតទេ": CANCEL,
    "ត្រឡប់ក្រោយ": BACK,
    "ថយក្រោយ": BACK,
    "ត្រឡប់វិញ": BACK,
    "ម៉ឺនុយ": MENU,
    "ម៉ឺនុយដើម": MENU,
}
# ... and outside free-text steps only (each is too common a word inside a question).
_KM_WHOLE: Final[dict[str, str]] = {
    "ពិនិត្យ": CHECK,
    "ពិនិត្យមើល": CHECK,
    "ស្ថានភាព": STATUS,
    "ខ្មែរ": LANGUAGE,
    "មន្ត្រី": PERSON,
}
# Politeness and particles around a Khmer command ("សូមបោះបង់ផង", "ខ្ញុំចង់ឈប់", "ថយក្រោយទៅ").
_KM_FILLERS: Final = ("សូម", "ខ្ញុំ", "ចង់", "បាទ", "ចាស", "ផង", "សិន", "ហើយ", "ទៅ", "បង", "អូន", "ណា", "តើ")
# Words that make a Khmer message a question about the topic ("if", "why"), not a request.
_KM_QUESTION: Final = ("ប្រសិនបើ", "បើសិនជា", "ហេតុអ្វី", "ហេតុអី")


def _khmer_core(letters: str) -> str:
    """The message without politeness words and particles at either end."""
    changed = True
    while changed:
        changed = False
        for filler in _KM_FILLERS:
            if letters.startswith(filler) and letters != filler:
                letters, changed = letters[len(filler) :], True
            if letters.endswith(filler) and letters != filler:
                letters, changed = letters[: -len(filler)], True
    return letters


def _detect_khmer(text: str, strict: bool) -> str | None:
    letters = compact(text)
    core = _khmer_core(letters)
    command = _KM_STRICT.get(core)
    if strict or command is not None:
        return command
    if core in _KM_WHOLE:
        return _KM_WHOLE[core]
    if not letters or len(letters) > MAX_KHMER_CHARS or any(q in letters for q in _KM_QUESTION):
        return None
    for intent, phrases in _KM_PHRASES:
        for phrase in phrases:
            at = letters.find(phrase)
            if at >= 0:
                # "កុំផ្ញើ" (don't send), "មិនចង់ផ្ញើ" (don't want to send): not a request to act.
                return None if any(n in letters[:at] for n in _KM_NEGATION) else intent
    return None


# A negation before an intent's phrase turns the request around (folded: "dung" is also "đừng").
# Not "no": folded, it is also "nó" (he) and "nợ" (debt).
_NEGATION: Final = frozenset({"khong", "chua", "chang", "dung", "khoi", "dont", "not", "never"})
_KM_NEGATION: Final = ("កុំ", "មិន")  # don't, not (awaiting native review)
_NOT: Final = re.compile(r"n['’]t\b", re.IGNORECASE)  # "don't" -> "do not"


def detect(text: str, strict: bool = False) -> str | None:
    """The intent the message asks for, or None (a question, an answer, a name ...)."""
    if has_khmer(text):
        return _detect_khmer(text, strict)
    padded = folded(_NOT.sub(" not", text))
    core = " " + " ".join(w for w in padded.split() if w not in _FILLERS) + " "
    command = _STRICT.get(padded) or _STRICT.get(core)
    if strict or command is not None:
        return command
    whole = _WHOLE.get(padded) or _WHOLE.get(core)
    if whole is not None:
        return whole
    words = padded.split()
    if not words or len(words) > MAX_WORDS or _EN_QUESTION.intersection(words):
        return None
    for intent, phrases in _PHRASES:
        for phrase in phrases:
            at = padded.find(f" {phrase} ")
            if at >= 0:
                # "khong gui cho can bo", "dung gui ho so", "don't submit it": not a request to act.
                return None if _NEGATION.intersection(padded[:at].split()) else intent
    return None


# Languages named in a request to change language ("tieng khmer", "english please", "ខ្មែរ"): the
# language is set at once instead of showing the choice again. Khmer awaiting native review.
_LANGUAGE_NAMES: Final = (
    ("km", (" khmer ", " tieng mien ", " tieng khome ", " cambodian ")),
    ("en", (" english ", " tieng anh ", " anh van ")),
    ("vi", (" tieng viet ", " vietnamese ")),
)
_KM_LANGUAGE_NAMES: Final = (("km", ("ខ្មែរ",)), ("en", ("អង់គ្លេស",)), ("vi", ("វៀតណាម", "យួន")))


def language_named(text: str) -> str | None:
    """The code of the one language a message names, or None (none, or more than one)."""
    if has_khmer(text):
        letters = compact(text)
        named = {code for code, names in _KM_LANGUAGE_NAMES if any(n in letters for n in names)}
    else:
        padded = folded(text)
        named = {code for code, names in _LANGUAGE_NAMES if any(n in padded for n in names)}
    return named.pop() if len(named) == 1 else None


# A request about the language: short ("english please", "tieng khmer"), or saying to change it.
_LANGUAGE_REQUEST_MAX_WORDS = 4
_CHANGE_WORDS: Final = frozenset({"doi", "chuyen", "change", "switch", "ngon"})


def asks_for_language(text: str) -> bool:
    """True for "đổi ngôn ngữ", "english please", "ខ្មែរ"; False for a question that names a language
    ("tui là người khmer có vay được ko", "can the officer speak khmer")."""
    if has_khmer(text):
        return len(compact(text)) <= MAX_KHMER_CHARS and not any(q in compact(text) for q in _KM_QUESTION)
    said = [w for w in folded(text).split() if w not in _FILLERS]
    return len(said) <= _LANGUAGE_REQUEST_MAX_WORDS or bool(_CHANGE_WORDS.intersection(said))
