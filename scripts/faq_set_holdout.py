"""Leave-one-set-out evaluation of the Vietnamese FAQ matcher over the questions people asked.

Usage (from the repository root):
    PYTHONPATH=. python scripts/faq_set_holdout.py [--misses] [NAME:key=value,...]...
Each set in `content/data/faq_questions/` was written blind by one tester in one persona; here each is
held out in turn and answered by the full bot understanding (crisis, small talk, the matcher) built
from everything else, less the questions it shares with the held-out set. The closest thing to an
unseen set that can be used for tuning (the held-out sets in `tests/data/` must never be). Arguments
are `Thresholds` variants, as in `faq_crossval.py`.
"""

from __future__ import annotations

import dataclasses
import sys

import content.faq as faq_content
import content.faq_i18n as faq_i18n
import content.faq_questions as faq_questions
from bot.faq_eval import Case, Report, evaluate
from bot.faq_matcher import Thresholds
from bot.understanding import understander
from content.source import content_dir
from scripts.faq_crossval import parse
from scripts.faq_learned_overlap import key


def main(arguments: list[str]) -> int:
    show_misses = "--misses" in arguments
    arguments = [a for a in arguments if a != "--misses"]
    root = content_dir()
    faq = faq_content.load(root, [])
    i18n = faq_i18n.load(root, set(faq.topics), []) if faq else None
    if faq is None or i18n is None:
        print("content did not load")
        return 2
    # Each question with the matcher's reading of it (`key`), worked out once.
    sets = {
        path.stem: [(label, q, key(q)) for label, q in faq_questions.load_set(path, set(faq.topics), [])]
        for path in sorted((root / faq_questions.FOLDER).glob("*.tsv"))
    }
    for name, values in [("default", {}), *map(parse, arguments)]:
        thresholds = dataclasses.replace(Thresholds(), **values)
        total = Report()
        cells = []
        for held, cases in sets.items():
            # A question another set also asks (as the matcher reads it: "lai bn" in several) is left
            # out of the training too, as the learned sets leave out the test sets' questions.
            asked = {read for _, _, read in cases}
            train = tuple(
                (label, question)
                for other, pairs in sets.items()
                if other != held
                for label, question, read in pairs
                if read not in asked
            )
            built = dataclasses.replace(faq, asked=train)
            understanding = understander.Understander.build(built, i18n, thresholds)
            report = evaluate(understanding, [Case(q, label, "vi") for label, q, _ in cases])
            if show_misses:
                for question, expected, got in report.misses:
                    print(f"  {held}\t{question}\t{expected}\t{got}")
            in_scope = f"{report.in_scope_right}/{report.in_scope}"
            cells.append(f"{held} {in_scope} {report.out_of_scope_fallback}/{report.out_of_scope}")
            total.in_scope += report.in_scope
            total.in_scope_right += report.in_scope_right
            total.out_of_scope += report.out_of_scope
            total.out_of_scope_fallback += report.out_of_scope_fallback
        print(
            f"{name:12s} in scope {total.in_scope_right}/{total.in_scope} "
            f"({100 * total.in_scope_accuracy:.1f}%), out of scope "
            f"{total.out_of_scope_fallback}/{total.out_of_scope} "
            f"({100 * total.out_of_scope_accuracy:.1f}%)  |  " + ", ".join(cells)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
