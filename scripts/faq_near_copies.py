"""List phrasings added since a commit that nearly copy a question of a test set (tests/data/faq*.tsv).

Usage (from the repository root): PYTHONPATH=. python scripts/faq_near_copies.py [BASE_COMMIT] [CUTOFF]
Both sides are normalised as the matcher does (shorthand expanded), then compared with rapidfuzz's
ratio; the test sets must stay unseen, so any pair at or above CUTOFF (default 85) is printed.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from rapidfuzz import fuzz

import content.faq as faq_content
from bot.text_normalizer import TextNormalizer
from content.source import content_dir


def main(base: str, cutoff: float) -> int:
    faq = faq_content.load(content_dir(), [])
    if faq is None:
        print("content did not load")
        return 2
    normalizer = TextNormalizer(faq.shorthand)
    questions: list[tuple[str, str, str]] = []
    for path in sorted(Path("tests/data").glob("faq*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            question = line.split("\t")[0].strip()
            if question and not question.startswith("#"):
                questions.append((normalizer.normalize(question), question, path.name))
    diff = subprocess.run(
        ["git", "diff", "-U0", base, "--", "content/data"], capture_output=True, text=True, check=True
    ).stdout
    added = [m.group(1).strip().strip('"') for m in re.finditer(r"^\+\s+- (.+)$", diff, re.MULTILINE)]
    near = 0
    for phrasing in added:
        normalised = normalizer.normalize(phrasing)
        for other, question, name in questions:
            ratio = fuzz.ratio(normalised, other)
            if ratio >= cutoff:
                near += 1
                print(f"{ratio:.0f}: {phrasing!r} ~ {question!r} ({name})")
    print(f"{len(added)} added phrasings checked, {near} near copies")
    return 1 if near else 0


if __name__ == "__main__":
    sys.exit(
        main(sys.argv[1] if len(sys.argv) > 1 else "HEAD", float(sys.argv[2]) if len(sys.argv) > 2 else 85.0)
    )
