"""Compare Khmer tokenisations for the Khmer FAQ matcher on tests/data/faq_km_heldout.tsv (issue 17).

Not part of the product: needs khmer-nltk in a separate venv,
`python3 -m venv /tmp/kmvenv && /tmp/kmvenv/bin/pip install khmer-nltk`, then
`.venv/bin/python scripts/faq_khmer_tokens_compare.py /tmp/kmvenv/lib/python3.11/site-packages`.
"""

from __future__ import annotations

import logging
import re
import sys
import time
from pathlib import Path
from typing import Any

from bot.faq_answers import get_faq_service
from bot.faq_eval import evaluate, read_cases
from bot.faq_matcher import FaqMatcher, Normalizer, Thresholds
from bot.understanding.khmer import khmer_tokens
from bot.understanding.understander import OUT_OF_SCOPE


def main() -> None:
    sys.path.append(sys.argv[1])
    logging.disable(logging.INFO)
    from khmernltk import word_tokenize  # type: ignore[import-not-found]

    def words(text: str) -> list[str]:
        found: Any = word_tokenize(text.replace("\u200b", ""))
        return [w.strip().lower() for w in found if w.strip() and re.search(r"\w", w)]

    class Words:
        def tokens(self, text: str) -> list[str]:
            return words(text)

    class Both:
        def tokens(self, text: str) -> list[str]:
            return words(text) + khmer_tokens(text)

    service = get_faq_service()
    examples = service.i18n.examples["km"]
    phrasings = [(t, p) for t, ps in examples.topics.items() for p in ps]
    phrasings += [(OUT_OF_SCOPE, p) for p in examples.out_of_scope]
    phrasings += [(t.id, t.title.km) for t in service.content.faq.topics.values()]
    cases = read_cases(Path("tests/data/faq_km_heldout.tsv"))
    tokenizers: list[tuple[str, Normalizer]] = [
        ("syllable pairs", service.understanding.matchers["km"].tokenizer),
        ("khmer-nltk words", Words()),
        ("words + syllable pairs", Both()),
    ]
    for name, tokenizer in tokenizers:
        start = time.monotonic()
        matcher = FaqMatcher(phrasings, {}, Thresholds(typo_min_length=99), normalizer=tokenizer)
        report = evaluate(matcher, cases)
        print(f"{name}: {report.summary()} ({time.monotonic() - start:.1f}s)".replace("\n", " | "))


if __name__ == "__main__":
    main()
