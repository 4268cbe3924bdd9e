"""The matcher must keep its accuracy on the held-out evaluation set (tests/data/faq_eval.tsv).

Figures: `buocmoi ask --evaluate tests/data/faq_eval.tsv`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rapidfuzz import fuzz, process

from bot.faq_answers import get_faq_service
from bot.faq_eval import OUT_OF_SCOPE_LABEL, Report, evaluate, read_cases
from bot.text_normalizer import TextNormalizer
from content.catalog import get_content
from content.faq import REQUIRED_TOPIC_IDS

EVAL = Path(__file__).parent / "data" / "faq_eval.tsv"
DEV = Path(__file__).parent / "data" / "faq_dev.tsv"
HOLDOUT = Path(__file__).parent / "data" / "faq_holdout.tsv"
# The bars of the issue (spec): on the evaluation set, >= 95% of in-scope questions get the right
# topic first and >= 90% of out-of-scope questions get the fallback.
IN_SCOPE_BAR = 0.95
OUT_OF_SCOPE_BAR = 0.90
# The second held-out set (written before the matcher was tuned for the bars, never tuned on): a
# looser floor, to notice overfitting to the evaluation set (today 67/70 and 16/17).
HOLDOUT_IN_SCOPE_FLOOR = 0.92
HOLDOUT_OUT_OF_SCOPE_FLOOR = 0.85


@pytest.fixture(scope="module")
def report() -> Report:
    return evaluate(get_faq_service().understanding, read_cases(EVAL))


def test_eval_set_is_big_enough_and_labelled_with_real_ids() -> None:
    cases = read_cases(EVAL)
    topics = set(get_content().faq.topics)
    assert len(cases) >= 300
    assert sum(case.expected == OUT_OF_SCOPE_LABEL for case in cases) >= 50
    assert {case.expected for case in cases} - {OUT_OF_SCOPE_LABEL, "smalltalk"} <= topics
    # every spec topic is asked about at least 5 times
    for topic_id in REQUIRED_TOPIC_IDS:
        assert sum(case.expected == topic_id for case in cases) >= 5, topic_id


def test_eval_questions_are_not_copies_of_content_examples() -> None:
    """No held-out question is (nearly) one of the content's phrasings, after normalisation."""
    faq = get_content().faq
    normalizer = TextNormalizer(faq.shorthand)
    examples = [normalizer.normalize(e) for t in faq.topics.values() for e in t.examples]
    examples += [normalizer.normalize(e) for e in faq.out_of_scope]
    copied = []
    for case in read_cases(EVAL):
        best = process.extractOne(normalizer.normalize(case.question), examples, scorer=fuzz.ratio)
        if best is not None and best[1] >= 90:
            copied.append((case.question, best[0]))
    assert copied == []


def _details(report: Report) -> str:
    return report.summary() + "\n" + "\n".join(map(str, report.misses))


def test_spec_bars(report: Report) -> None:
    assert report.in_scope_accuracy >= IN_SCOPE_BAR, _details(report)
    assert report.out_of_scope_accuracy >= OUT_OF_SCOPE_BAR, _details(report)


def test_holdout_set_does_not_fall_behind() -> None:
    cases = read_cases(HOLDOUT)
    assert len(cases) >= 80
    assert sum(case.expected == OUT_OF_SCOPE_LABEL for case in cases) >= 15
    assert {case.expected for case in cases} - {OUT_OF_SCOPE_LABEL} <= set(get_content().faq.topics)
    report = evaluate(get_faq_service().understanding, cases)
    assert report.in_scope_accuracy >= HOLDOUT_IN_SCOPE_FLOOR, _details(report)
    assert report.out_of_scope_accuracy >= HOLDOUT_OUT_OF_SCOPE_FLOOR, _details(report)
