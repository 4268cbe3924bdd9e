"""Speed of the FAQ matcher alone, on one core, with the full content loaded.

    .venv/bin/python -m bench.faq_matcher [--rounds N]

Questions: every line of tests/data/faq_eval.tsv and faq_dev.tsv (unseen by the typo cache at first),
repeated; prints questions per second and p50/p99 latency of `FaqMatcher.match`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from bot.faq_eval import read_cases
from bot.faq_matcher import FaqMatcher
from content.catalog import get_content

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--rounds", type=int, default=20, help="passes over the questions (default 20)")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    started = time.perf_counter()
    matcher = FaqMatcher.from_faq(get_content().faq)
    build = time.perf_counter() - started
    questions = [
        case.question for name in ("faq_eval.tsv", "faq_dev.tsv") for case in read_cases(DATA / name)
    ]
    latencies: list[float] = []
    total_started = time.perf_counter()
    for _ in range(args.rounds):
        for question in questions:
            t0 = time.perf_counter()
            matcher.match(question)
            latencies.append(time.perf_counter() - t0)
    total = time.perf_counter() - total_started
    latencies.sort()
    p50 = statistics.median(latencies)
    p99 = latencies[int(0.99 * (len(latencies) - 1))]
    first = max(latencies)
    print(
        f"content: {len(matcher.labels)} labels, {matcher.phrasing_count} phrasings, "
        f"built in {build * 1000:.0f} ms"
    )
    print(f"questions: {len(latencies)} ({len(questions)} distinct x {args.rounds} rounds), one core")
    print(f"throughput: {len(latencies) / total:,.0f} questions/s")
    print(f"latency: p50 {p50 * 1e6:.0f} us, p99 {p99 * 1e6:.0f} us, max {first * 1e6:.0f} us")


if __name__ == "__main__":
    main()
