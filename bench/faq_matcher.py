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


def measure(rounds: int = 20) -> dict[str, float]:
    """Questions per second and p50/p99 latency (µs) of the matcher alone."""
    started = time.perf_counter()
    matcher = FaqMatcher.from_faq(get_content().faq)
    build = time.perf_counter() - started
    questions = [
        case.question for name in ("faq_eval.tsv", "faq_dev.tsv") for case in read_cases(DATA / name)
    ]
    latencies: list[float] = []
    total_started = time.perf_counter()
    for _ in range(rounds):
        for question in questions:
            t0 = time.perf_counter()
            matcher.match(question)
            latencies.append(time.perf_counter() - t0)
    total = time.perf_counter() - total_started
    latencies.sort()
    p50 = statistics.median(latencies)
    p99 = latencies[int(0.99 * (len(latencies) - 1))]
    return {
        "labels": len(matcher.labels),
        "phrasings": matcher.phrasing_count,
        "build_ms": build * 1000,
        "questions": len(latencies),
        "distinct": len(questions),
        "qps": len(latencies) / total,
        "p50_us": p50 * 1e6,
        "p99_us": p99 * 1e6,
        "max_us": max(latencies) * 1e6,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--rounds", type=int, default=20, help="passes over the questions (default 20)")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    r = measure(args.rounds)
    print(
        f"content: {r['labels']:.0f} labels, {r['phrasings']:.0f} phrasings, built in {r['build_ms']:.0f} ms"
    )
    print(f"questions: {r['questions']:.0f} ({r['distinct']:.0f} distinct x {args.rounds} rounds), one core")
    print(f"throughput: {r['qps']:,.0f} questions/s")
    print(f"latency: p50 {r['p50_us']:.0f} us, p99 {r['p99_us']:.0f} us, max {r['max_us']:.0f} us")


if __name__ == "__main__":
    main()
