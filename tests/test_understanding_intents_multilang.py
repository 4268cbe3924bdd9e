"""Typed intents to act in vi, en and km (issue 17): every line of tests/data/intents_multilang.tsv,
commands and the questions around the same words that must stay questions."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from bot.understanding import intents

DATA = Path(__file__).parent / "data" / "intents_multilang.tsv"
NONE = "-"
KNOWN = {
    intents.CHECK,
    intents.SEND,
    intents.STATUS,
    intents.DELETE,
    intents.REMIND,
    intents.BACK,
    intents.CANCEL,
    intents.LANGUAGE,
    intents.PERSON,
    intents.NEXT_STEPS,
    intents.TIMELINE,
    intents.MENU,
}


def _lines() -> list[tuple[str, str, str]]:
    out = []
    for raw in DATA.read_text(encoding="utf-8").splitlines():
        if raw.strip() and not raw.startswith("#"):
            text, expected, lang = raw.split("\t")
            out.append((text, expected, lang))
    return out


def test_the_data_covers_every_intent_in_each_language_and_has_negatives() -> None:
    lines = _lines()
    assert len(lines) >= 60
    assert {expected for _, expected, _ in lines} <= KNOWN | {NONE}
    assert {lang for _, _, lang in lines} == {"vi", "en", "km"}
    negatives = Counter(lang for _, expected, lang in lines if expected == NONE)
    assert min(negatives[lang] for lang in ("vi", "en", "km")) >= 5
    for lang in ("en", "km"):
        assert {expected for _, expected, line_lang in lines if line_lang == lang} == KNOWN | {NONE}, lang


@pytest.mark.parametrize(("text", "expected", "lang"), _lines())
def test_each_line(text: str, expected: str, lang: str) -> None:
    assert (intents.detect(text) or NONE) == expected, (lang, text)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("ឈប់", intents.CANCEL),
        ("សូមបោះបង់", intents.CANCEL),
        ("ថយក្រោយទៅ", intents.BACK),
        ("ម៉ឺនុយ", intents.MENU),
        ("never mind", intents.CANCEL),
        ("go back", intents.BACK),
        ("ពិនិត្យ", None),  # a check is not started from inside a free-text step
        ("ស្រី ពិនិត្យ", None),  # nor is a name
        ("check", None),
        ("ចង់និយាយជាមួយមន្ត្រី", None),
    ],
)
def test_free_text_steps_take_only_whole_commands_in_khmer_and_english(text: str, intent: str | None) -> None:
    assert intents.detect(text, strict=True) == intent


def test_khmer_spellings_and_spacing_do_not_matter() -> None:
    # "មន្រ្តី" typed for "មន្ត្រី", "ឲ្យ" for "ឱ្យ", words spaced or joined by zero-width spaces
    assert intents.detect("និយាយជាមួយមន្រ្តី") == intents.PERSON
    assert intents.detect("សូមឲ្យមន្ត្រីទូរស័ព្ទមកខ្ញុំ") == intents.PERSON
    assert intents.detect("លុប ទិន្នន័យ\u200bរបស់ខ្ញុំ ។") == intents.DELETE


def test_a_long_khmer_question_around_a_command_is_a_question() -> None:
    command = "លុបទិន្នន័យរបស់ខ្ញុំ"
    assert intents.detect(command) == intents.DELETE
    question = "ខ្ញុំបានខ្ចីប្រាក់ពីធនាគាររួចហើយ តើធនាគារនឹងលុបទិន្នន័យរបស់ខ្ញុំនៅពេលណា"
    assert intents.detect(question) is None
