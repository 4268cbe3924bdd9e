"""The matcher must keep its accuracy on the held-out evaluation set (tests/data/faq_eval.tsv).

Figures: `buocmoi ask --evaluate tests/data/faq_eval.tsv`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.faq_answers import get_faq_service
from bot.faq_eval import OUT_OF_SCOPE_LABEL, Report, evaluate, read_cases
from bot.text_normalizer import TextNormalizer
from content.catalog import get_content
from content.faq import REQUIRED_TOPIC_IDS

EVAL = Path(__file__).parent / "data" / "faq_eval.tsv"
DEV = Path(__file__).parent / "data" / "faq_dev.tsv"
IN_SCOPE_BAR = 0.95
OUT_OF_SCOPE_BAR = 0.90


@pytest.fixture(scope="module")
def report() -> Report:
    return evaluate(get_faq_service().matcher, read_cases(EVAL))


def test_eval_set_is_big_enough_and_labelled_with_real_ids() -> None:
    cases = read_cases(EVAL)
    topics = set(get_content().faq.topics)
    assert len(cases) >= 300
    assert sum(case.expected == OUT_OF_SCOPE_LABEL for case in cases) >= 50
    assert {case.expected for case in cases} - {OUT_OF_SCOPE_LABEL} <= topics
    # every spec topic is asked about at least 5 times
    for topic_id in REQUIRED_TOPIC_IDS:
        assert sum(case.expected == topic_id for case in cases) >= 5, topic_id


def test_eval_questions_are_not_copies_of_content_examples() -> None:
    faq = get_content().faq
    normalizer = TextNormalizer(faq.shorthand)
    examples = {normalizer.normalize(e) for t in faq.topics.values() for e in t.examples}
    examples |= {normalizer.normalize(e) for e in faq.out_of_scope}
    copied = [c.question for c in read_cases(EVAL) + read_cases(DEV) if normalizer.normalize(c.question) in examples]
    assert copied == []


def test_in_scope_questions_get_the_right_topic_first(report: Report) -> None:
    assert report.in_scope_accuracy >= IN_SCOPE_BAR, report.summary() + "\n" + "\n".join(map(str, report.misses))


def test_out_of_scope_questions_get_the_fallback(report: Report) -> None:
    assert report.out_of_scope_accuracy >= OUT_OF_SCOPE_BAR, report.summary()
