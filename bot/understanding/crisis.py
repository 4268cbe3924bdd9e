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
from bot.understanding.khmer import compact, has_khmer

_I = r"(?:toi|tui|tao|minh|em|anh|chi|con|tau)"
_NOT = r"(?:khong|ko|k|hong|hok|hem|hk|kg|cha|chang|chẳng|deo|hong)"
# "tự tử" (suicide), folded; not "từ từ" + a verb ("từ từ trả nợ", to repay slowly).
_TU_TU = r"tu tu\b(?! (?:tra|lam|hoc|tinh|suy|tim|kiem|gom|dong)\b)"
# Vietnamese, on folded text (no marks, lowercase, words separated by one space).
_VI = [
    rf"muon (?:chet|{_TU_TU}|tu sat|ket lieu)\b",
    r"chet (?:di )?cho (?:roi|xong|xong chuyen|khoe|nhe nguoi)",
    # "tự tử", not "ra tù từ 2015", not "đi tù tui" (prison and I), not "từ từ trả nợ" (slowly): a verb
    # of intent before it or a particle after it, a whole word. Written with marks, "tù từ" and "từ từ"
    # are told apart before folding (`is_crisis`); without, "đi tù từ" + a date is a sentence's start.
    rf"(?:muon|se|dinh|tinh|chac|chac phai|nghi den|nghi toi|nghi chuyen) (?:di )?{_TU_TU}",
    rf"di {_TU_TU}(?! (?:\d|(?:nam|thang|hoi|tu) (?:\d|ngoai|truoc|nay)))",
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
    r"end(?:ing)? it all",
    r"take my (?:own )?life\b(?! saving)",  # not "take my life savings"
    r"(?:don t|do not|dont) want to (?:live|be alive|wake up)",
    r"nothing to live for",
    r"not worth living",
    r"wish i (?:was|were) dead",
    r"(?:rather|better) be dead",
    r"give up on life",
    r"(?:feel|feeling) hopeless",
    r"hang myself",
    r"slit my wrists?",
    r"(?:jump|jumping) off (?:a|the) (?:bridge|building|roof)",
    r"overdose",
    r"(?:he|she|they|someone|husband|wife|boyfriend) (?:will|ll|is going to|is gonna|wants to) kill me",
    r"(?:i am|i m|im) (?:being|getting) (?:beaten|abused|hit|hurt)",
    r"(?:attacked|stabbed|assaulted) me\b",
    r"not safe at home",
    r"(?:holding|grabbed|picked up) a (?:knife|gun)",  # not "i got a gun charge"
]
# Khmer, written by the team: awaiting review by a native speaker. Patterns on khmer.compact(text) (the
# Khmer letters run together, one spelling). Not "X ចង់ស្លាប់" after "tired", "laughing", "hungry": the
# idiom "to death" ("ហត់ចង់ស្លាប់", like "mệt chết"); not "វាយដំ" as the name of an offence ("ជាប់ទោសពីបទ
# វាយដំ", convicted of assault); not "គំរាម" alone ("ធនាគារគំរាមប្តឹង", the bank threatens to sue).
_KM = [
    "(?<!ហត់)(?<!សើច)(?<!ឃ្លាន)(?<!នឿយ)ចង់(?:តែ)?ស្លាប់",  # (I) want to die
    "សុខចិត្តស្លាប់",  # would rather die
    "ស្លាប់ទៅល្អជាង",  # better off dead
    "សម្លាប់ខ្លួន",  # kill oneself
    "អត្តឃាត",  # suicide
    "(?:មិន|លែង|អត់)ចង់រស់",  # not want to live
    "គ្មានហេតុផលរស់",  # no reason to live
    "រស់ធ្វើ(?:អ្វី|អី)",  # what is living for
    "អស់សង្ឃឹម",  # hopeless
    "ទ្រាំលែងបាន",  # cannot bear it any more
    "(?:ផឹក|លេប)ថ្នាំពុល",  # drink poison
    "លេបថ្នាំច្រើន",  # swallow many pills
    "ចងក(?:ស្លាប់|ខ្លួន)",  # hang oneself
    "កាត់ដៃខ្លួនឯង",  # cut one's wrist
    "ធ្វើបាបខ្លួនឯង",  # hurt oneself
    "ធ្វើឱ្យខ្លួនឯងឈឺ",
    "លោតពីលើស្ពាន",  # jump off a bridge
    "វាយខ្ញុំ",  # (he) beats me
    "(?<!បទ)(?<!ទោស)វាយដំ",  # beating, not the offence
    "ធ្វើបាបខ្ញុំ",  # (he) abuses me
    "គំរាម(?:សម្លាប់|វាយ|កាប់|ខ្ញុំ)",  # threatens to kill / beat / hack, threatens me
    "(?:នឹង|ចង់)សម្លាប់ខ្ញុំ",  # will / wants to kill me
    "ចង់សម្លាប់(?:គេ|វា|ប្តី|ប្រពន្ធ)",  # want to kill him / her / husband / wife
    "កាន់(?:កាំបិត|កាំភ្លើង)",  # holding a knife, a gun
    "ហិង្សាក្នុងគ្រួសារ",  # domestic violence
]
_KHMER = re.compile("|".join(f"(?:{p})" for p in _KM))
_LATIN = re.compile("|".join(f"(?:\\b{p})" for p in _VI + _EN))


# Written with marks, "tù từ" (in prison since) and "từ từ" (slowly) are not "tự tử": once folded all
# three are "tu tu", so the first two are reworded before folding.
_PRISON_SINCE = re.compile(r"(?<!\w)(tù\s+)(từ)(?!\w)", re.IGNORECASE)
_SLOWLY = re.compile(r"(?<!\w)từ\s+từ(?!\w)", re.IGNORECASE)


def is_crisis(text: str) -> bool:
    if has_khmer(text) and _KHMER.search(compact(text)) is not None:
        return True
    text = _SLOWLY.sub("chầm chậm", _PRISON_SINCE.sub(r"\1kể \2", text))
    folded = " ".join(simple_tokens(text))
    return _LATIN.search(folded) is not None
