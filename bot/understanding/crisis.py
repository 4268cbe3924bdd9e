"""Recognise despair, self-harm, violence and threats in what a person types (vi with or without
diacritics and in Southern speech, en, km), so that the bot answers with care before anything else.

Phrases, not single words: "chết" alone is too often neutral ("người vay chết thì ai trả nợ", "lãi suất
cao chết luôn", "heo chết hết"), and "giết người" is usually the name of a past offence ("tội giết
người"). The lists favour recall on first-person phrasings; tests/data/faq_crisis.tsv holds both the
crisis messages and the neutral uses that must not trigger.
"""

from __future__ import annotations

import re

from bot.text_normalizer import simple_tokens

_I = r"(?:toi|tui|tao|minh|em|anh|chi|con|tau)"
_NOT = r"(?:khong|ko|k|hong|hok|hem|hk|kg|cha|chang|chẳng|deo|hong)"
# Vietnamese, on folded text (no marks, lowercase, words separated by one space).
_VI = [
    r"muon (?:chet|tu tu|tu sat|ket lieu)",
    r"chet (?:di )?cho (?:roi|xong|xong chuyen|khoe|nhe nguoi)",
    # "tự tử", not "ra tù từ 2015": a verb of intent before it or a particle after it
    r"(?:muon|se|di|dinh|tinh|chac|phai|nghi den|nghi toi|nghi chuyen|can) tu tu",
    r"tu tu (?:cho|thoi|luon|chet|day|mat|roi)",
    r"(?:tu sat|ket lieu (?:doi|ban than|minh))",
    rf"{_NOT} (?:muon|thiet|con muon) song",
    r"song (?:lam gi|de lam gi|chi nua|lam chi)",
    r"ket thuc (?:cuoc doi|cuoc song|doi)",
    r"tuyet vong",
    r"het (?:muon|thiet) song",
    r"(?:nhay|gieo minh xuong) (?:cau|song|lau)",
    r"(?:uong|an) thuoc (?:chuot|sau|ngu|tru sau) (?:cho|de|chet|tu)",
    r"thuoc chuot",
    r"(?:cat|rach) (?:tay|co tay|mach)",
    r"(?:muon|se|di|dinh|tinh) treo co|treo co (?:tu tu|chet|cho|roi)",  # not "án treo có ..."
    r"(?:se|muon|doa|dinh|toi|phai|di) giet (?:no|may|tui|toi|tao|minh|chet|ong|ba|nguoi ta|ca nha|het)",
    r"giet (?:tui|toi|tao|minh) (?:roi|mat|do|day)",
    r"doa (?:giet|chem|dam|danh|dot)",
    r"(?:danh|bam|chem|dam) (?:dap|tui|toi|minh|em|con)\b",
    r"bi (?:danh dap|bao hanh|hanh hung|danh)",
    r"bao hanh",
    r"(?:cam|cam theo|mang) (?:dao|sung|ma tau|rua)",
    rf"{_I} (?:het chiu noi|chiu het noi|het muon song)",
]
_EN = [
    r"(?:want|wanna|going|gonna|plan) to (?:die|kill myself|end it|end my life|hurt myself)",
    r"kill(?:ing)? myself",
    r"suicid",
    r"end (?:my|it all|my own) life",
    r"can ?no?t go on",
    r"can t go on",
    r"no reason to live",
    r"better off dead",
    r"(?:hurt|harm|cut)(?:ing)? myself",
    r"self harm",
    r"(?:beat|beats|hit|hits|hurt|hurts|abuse|abuses|abused|beating) me\b",
    r"(?:threaten|threatened|threatening|threatens) (?:to )?(?:kill|hurt|beat)",
    r"(?:going|gonna|want) to kill (?:him|her|them|someone)",
    r"domestic violence",
]
_KM = [
    "ចង់ស្លាប់",
    "សម្លាប់ខ្លួន",
    "មិនចង់រស់",
    "អស់សង្ឃឹម",
    "វាយខ្ញុំ",
    "វាយដំ",
    "គំរាមសម្លាប់",
    "គំរាម",
    "ធ្វើបាបខ្ញុំ",
    "ធ្វើឱ្យខ្លួនឯងឈឺ",
]
_LATIN = re.compile("|".join(f"(?:\\b{p})" for p in _VI + _EN))


def is_crisis(text: str) -> bool:
    compact = "".join(text.split())
    if any(phrase in compact for phrase in _KM):
        return True
    folded = " ".join(simple_tokens(text))
    return _LATIN.search(folded) is not None
