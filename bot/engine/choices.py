"""A typed answer to a question with buttons: "2", "có", "ko", "chua co", "khong ro", or the label."""

from __future__ import annotations

from collections.abc import Sequence

from bot.text_normalizer import TextNormalizer
from bot.understanding.yesno import yes_no
from content.localized import LANGS
from content.screening.schema import Choice

# Folded, shorthand-expanded answers that mean yes / no / not sure, whatever the question.
_YES = {
    "co",
    "co roi",
    "roi",
    "da co",
    "co a",
    "da",
    "vang",
    "u",
    "uh",
    "um",
    "ok",
    "yes",
    "y",
    "dung",
    "phai",
    "chac chan",
    "ban",
    "bat",
    "ja",
}
_NO = {"khong", "chua", "chua co", "khong co", "no", "n", "khong a", "chua a", "khong phai", "te", "ot"}
_UNKNOWN = {
    "khong ro",
    "khong biet",
    "chua ro",
    "khong nho",
    "khong chac",
    "not sure",
    "dont know",
    "unknown",
    "khong biet nua",
    "chua biet",
}
_WORDS = {"yes": _YES, "no": _NO, "unknown": _UNKNOWN}
# "khong biet", "chua ro": an answer in itself, never a question for the FAQ.
DONT_KNOW = frozenset(_UNKNOWN)


# Words people put inside a phrase: "sua lai cai nha" says "sua nha".
MAX_GAP = 2


def _in_order(phrase: list[str], words: list[str]) -> bool:
    """The phrase's words appear in `words` in order, at most MAX_GAP other words between two."""
    for start, word in enumerate(words):
        if word != phrase[0]:
            continue
        at, found = start, True
        for wanted in phrase[1:]:
            window = words[at + 1 : at + 2 + MAX_GAP]
            if wanted not in window:
                found = False
                break
            at += 1 + window.index(wanted)
        if found:
            return True
    return False


def match_choice(text: str, choices: Sequence[Choice], normalizer: TextNormalizer) -> str | None:
    """The id of the choice the text means, or None when it is not clear."""
    typed = " ".join(normalizer.tokens(text))
    if not typed:
        return None
    if typed.isdigit():
        index = int(typed) - 1
        return choices[index].id if 0 <= index < len(choices) else None
    ids = [choice.id for choice in choices]
    if typed in ids:
        return typed
    for choice_id, words in _WORDS.items():
        if choice_id in ids and typed in words:
            return choice_id
    labels: dict[str, str] = {}
    for choice in choices:
        for lang in LANGS:
            labels.setdefault(" ".join(normalizer.tokens(choice.label.get(lang))), choice.id)
    if typed in labels:
        return labels[typed]
    # A label typed in part ("hoc nghe" for "Học nghề"), when only one label contains it.
    if len(typed) >= 4:
        found = {choice_id for label, choice_id in labels.items() if f" {typed} " in f" {label} "}
        if len(found) == 1:
            return found.pop()
    # Their own words ("nuoi heo", "mo tiem tap hoa"): a choice's phrase inside the answer; when two
    # choices' phrases are, the longer phrase says more ("hoc sua xe" is training, not "sua xe").
    longest: dict[str, int] = {}
    typed_words = typed.split()
    for choice in choices:
        for phrase in choice.says:
            own = normalizer.tokens(phrase)
            if own and _in_order(own, typed_words):
                longest[choice.id] = max(longest.get(choice.id, 0), len(own))
    ranked = sorted(longest.items(), key=lambda item: item[1], reverse=True)
    if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        return ranked[0][0]
    # A yes or no said in a sentence: "co giay roi em", "ko co no ai".
    said = yes_no(text)
    return said if said in ids else None
