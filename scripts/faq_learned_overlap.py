"""Questions in the learned sets (content/data/faq_questions/) that are, once folded, the same as a
question of an evaluation set (tests/data/faq*.tsv); `--remove` takes them out of the learned sets, so
the evaluation sets stay unseen.

Usage (from the repository root): PYTHONPATH=. python scripts/faq_learned_overlap.py [--remove]
"""

from __future__ import annotations

import sys
from pathlib import Path

import content.faq as faq_content
from bot.text_normalizer import TextNormalizer
from bot.understanding.understander import VietnameseNormalizer
from content.faq_questions import FOLDER
from content.source import content_dir

TESTS = Path(__file__).resolve().parents[1] / "tests" / "data"


_faq = faq_content.load(content_dir(), [])
assert _faq is not None, "the content does not load"
# The matcher's own reading (shorthand expanded, particles dropped): what it would see as the same.
_READ = VietnameseNormalizer(TextNormalizer(_faq.shorthand, _faq.keep_phrases))


def key(question: str) -> str:
    return " ".join(_READ.tokens(question))


def evaluation_keys() -> set[str]:
    keys: set[str] = set()
    for path in sorted(TESTS.glob("faq*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                keys.add(key(line.split("\t")[0]))
    return keys


def main(remove: bool) -> int:
    seen = evaluation_keys()
    total = 0
    for path in sorted((content_dir() / FOLDER).glob("*.tsv")):
        kept: list[str] = []
        dropped = 0
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#") and key(line.split("\t")[0]) in seen:
                dropped += 1
                continue
            kept.append(line)
        if dropped:
            print(f"{path.name}: {dropped} question(s) also in an evaluation set")
            if remove:
                path.write_text("\n".join(kept) + "\n", encoding="utf-8")
        total += dropped
    print(f"total: {total}")
    return 0 if remove or total == 0 else 1


if __name__ == "__main__":
    sys.exit(main("--remove" in sys.argv[1:]))
