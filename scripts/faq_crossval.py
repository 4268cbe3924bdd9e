"""Ten-fold cross-validation of the Vietnamese FAQ matcher over its own phrasings.

Usage (from the repository root): PYTHONPATH=. python scripts/faq_crossval.py [NAME:key=value,...]...
Every phrasing (topic or out of scope) is held out once and matched by a matcher built without it
and a tenth of the others: unseen-like questions at scale, so thresholds can be tuned here instead of
on the held-out sets. Each argument is a `Thresholds` variant to compare with the defaults, e.g.
`nb0:nb_share=0` or `m:out_of_scope_margin=0.02,choice=0.25`. Figures are optimistic in absolute
terms (phrasings have near siblings) but comparable between variants.
"""

from __future__ import annotations

import dataclasses
import random
import sys
from typing import Any

import content.faq as faq_content
from bot.faq_matcher import OUT_OF_SCOPE, Thresholds
from bot.understanding.understander import vietnamese_matcher
from content.source import content_dir

FOLDS = 10


def parse(argument: str) -> tuple[str, dict[str, Any]]:
    name, _, rest = argument.partition(":")
    defaults = Thresholds()
    values: dict[str, Any] = {}
    for pair in filter(None, rest.split(",")):
        key, _, raw = pair.partition("=")
        current = getattr(defaults, key)
        values[key] = raw in ("1", "true") if isinstance(current, bool) else type(current)(raw)
    return name, values


def main(arguments: list[str]) -> int:
    faq = faq_content.load(content_dir(), [])
    if faq is None:
        print("content did not load")
        return 2
    # Each item: (label, text, compared one by one?); the questions people asked about a topic only
    # shape their topic (see FaqMatcher's label_only), in each fold as in the bot.
    phrasings = [(label, text, True) for label, text in faq.vietnamese_phrasings(OUT_OF_SCOPE)]
    phrasings += [(label, text, False) for label, text in faq.asked_shaping_only()]
    random.Random(7).shuffle(phrasings)  # fixed folds: variants are compared on the same split
    variants = [("default", {}), *map(parse, arguments)]
    for name, values in variants:
        thresholds = dataclasses.replace(Thresholds(), **values)
        in_scope = in_right = out = out_right = 0
        for fold in range(FOLDS):
            train = [p for i, p in enumerate(phrasings) if i % FOLDS != fold]
            matched = [(label, text) for label, text, one_by_one in train if one_by_one]
            shaping = [(label, text) for label, text, one_by_one in train if not one_by_one]
            matcher = vietnamese_matcher(faq, matched, thresholds, label_only=shaping)
            for label, question, _ in phrasings[fold::FOLDS]:
                match = matcher.match(question)
                if label == OUT_OF_SCOPE:
                    out += 1
                    out_right += match.kind == "fallback"
                else:
                    in_scope += 1
                    in_right += match.kind != "fallback" and match.topic == label
        print(
            f"{name:12s} in scope {in_right}/{in_scope} ({100 * in_right / in_scope:.1f}%), "
            f"out of scope {out_right}/{out} ({100 * out_right / out:.1f}%)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
