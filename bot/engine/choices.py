"""A typed answer to a question with buttons: "2", "có", "ko", "chua co", "khong ro", or the label."""

from __future__ import annotations

from collections.abc import Sequence

from bot.text_normalizer import TextNormalizer
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
    return None
