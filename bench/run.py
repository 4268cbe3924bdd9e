"""Every benchmark in one run: prints a table (and JSON), with progress on stderr.

    .venv/bin/python -m bench.run [--quick] [--json FILE]
        [--only faq,intake,burst,broadcast,memory,bot,web,console]

Needs no network: a fake Bot API runs on loopback. PostgreSQL figures use DATABASE_URL when it points
to PostgreSQL, else postgresql://postgres@127.0.0.1:5432/test (skipped if unreachable).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Callable
from typing import Any

from bench import broadcast, burst, console, faq_matcher, intake, memory
from bench.common import progress

TARGETS = {
    "faq_qps": 5000,
    "faq_p99_ms": 2.0,
    "bot_p99_ms": 30.0,
    "web_p99_ms": 30.0,
    "intake_ratio": 0.80,
    "burst_max_s": 2.0,
    "broadcast_share": 0.95,
    "serve_peak_mb": 150.0,
    "console_p95_ms": 150.0,
    "console_peak_mb": 200.0,
}


def _postgres_server() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgresql"):
        return url.replace("postgresql://", "postgresql+psycopg://", 1)
    return "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller runs (a smoke test of the bench)")
    parser.add_argument("--json", default=None, help="also write the figures to this file")
    parser.add_argument("--only", default="faq,bot,web,intake,burst,broadcast,memory,console")
    args = parser.parse_args()
    wanted = set(args.only.split(","))
    quick = args.quick
    steps: list[tuple[str, Callable[[], Any]]] = [
        ("faq", lambda: faq_matcher.measure(rounds=3 if quick else 20)),
        ("intake", lambda: intake.measure(200 if quick else 4000, _postgres_server())),
        ("burst", lambda: burst.measure(2 if quick else 5, _postgres_server())),
        ("broadcast", lambda: broadcast.measure(300 if quick else 6600)),
        ("memory", lambda: memory.measure(200 if quick else 1000)),
        (
            "console",
            lambda: console.measure(5000 if quick else 100_000, 5 if quick else 30, _postgres_server()),
        ),
    ]
    try:
        from bench import bot_latency

        steps.insert(1, ("bot", lambda: bot_latency.measure(chats=40 if quick else 200)))
        from bench import zalo_latency

        # Beside the Telegram figure: `--only bot` runs both.
        steps.insert(2, ("zalo", lambda: zalo_latency.measure(chats=40 if quick else 200)))
        from bench import web_latency

        steps.insert(3, ("web", lambda: web_latency.measure(chats=40 if quick else 200)))
    except ImportError:
        progress("bot: the bot benchmark is not available in this build")
    results: dict[str, Any] = {}
    started = time.monotonic()
    for name, step in steps:
        if name not in wanted and not (name == "zalo" and "bot" in wanted):
            continue
        progress(f"{name}: starting")
        t0 = time.monotonic()
        results[name] = step()
        progress(f"{name}: done in {time.monotonic() - t0:.0f} s")
    results["total_seconds"] = time.monotonic() - started
    print_table(results)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(results, handle, indent=2)
    print(json.dumps(results))


def _row(name: str, value: str, target: str, ok: bool | None) -> str:
    verdict = "" if ok is None else ("ok" if ok else "MISSED")
    return f"| {name:<44} | {value:>22} | {target:>12} | {verdict:<6} |"


def print_table(r: dict[str, Any]) -> None:
    rows = [f"| {'figure':<44} | {'measured':>22} | {'target':>12} | {'ok?':<6} |"]
    rows.append("|" + "-" * 46 + "|" + "-" * 24 + "|" + "-" * 14 + "|" + "-" * 8 + "|")
    if "faq" in r:
        f = r["faq"]
        rows.append(
            _row(
                "FAQ matcher, questions/s (one core)",
                f"{f['qps']:,.0f}",
                "≥ 5,000",
                f["qps"] >= TARGETS["faq_qps"],
            )
        )
        rows.append(
            _row(
                "FAQ matcher latency p50 / p99",
                f"{f['p50_us']:.0f} / {f['p99_us']:.0f} µs",
                "p99 < 2 ms",
                f["p99_us"] / 1000 < TARGETS["faq_p99_ms"],
            )
        )
    if "bot" in r:
        b = r["bot"]
        rows.append(
            _row(
                f"bot update→reply p50 / p99 ({b['chats']:.0f} chats)",
                f"{b['p50_ms']:.1f} / {b['p99_ms']:.1f} ms",
                "p99 < 30 ms",
                b["p99_ms"] < TARGETS["bot_p99_ms"],
            )
        )
        rows.append(_row("bot updates/s", f"{b['updates_per_s']:,.0f}", "", None))
        rows.append(
            _row(
                "serve peak RSS after the chats",
                f"{b['serve_peak_mb']:.0f} MB",
                "< 150 MB",
                b["serve_peak_mb"] < TARGETS["serve_peak_mb"],
            )
        )
    if "zalo" in r:
        z = r["zalo"]
        rows.append(
            _row(
                f"zalo update→reply p50 / p99 ({z['chats']:.0f} chats)",
                f"{z['p50_ms']:.1f} / {z['p99_ms']:.1f} ms",
                "p99 < 30 ms",
                z["p99_ms"] < TARGETS["bot_p99_ms"],
            )
        )
        rows.append(_row("zalo updates/s", f"{z['updates_per_s']:,.0f}", "", None))
    if "web" in r:
        w = r["web"]
        rows.append(
            _row(
                f"web chat post→reply p50 / p99 ({w['chats']:.0f} chats)",
                f"{w['p50_ms']:.1f} / {w['p99_ms']:.1f} ms",
                "p99 < 30 ms",
                w["p99_ms"] < TARGETS["web_p99_ms"],
            )
        )
        rows.append(_row("web chat posts/s", f"{w['posts_per_s']:,.0f}", "", None))
    for db, i in r.get("intake", {}).items():
        rows.append(
            _row(
                f"lead intake {db} ({i.get('api_workers', 1):.0f} API proc.): API / raw per s",
                f"{i['api_per_s']:,.0f} / {i['raw_per_s']:,.0f}",
                "",
                None,
            )
        )
        rows.append(
            _row(
                f"lead intake {db}: ratio",
                f"{i['ratio']:.0%}",
                "≥ 80%",
                i["ratio"] >= TARGETS["intake_ratio"],
            )
        )
    for db, k in r.get("burst", {}).items():
        for kind in ("unknown", "valid"):
            rows.append(
                _row(
                    f"burst 200 {kind}, {db}: p50 / max",
                    f"{k[kind]['p50_s']:.2f} / {k[kind]['max_s']:.2f} s",
                    "all < 2 s",
                    k[kind]["max_s"] < TARGETS["burst_max_s"],
                )
            )
    if "broadcast" in r:
        b = r["broadcast"]
        rows.append(
            _row(
                f"broadcast of {b['messages']:.0f}: messages/s",
                f"{b['rate']:.2f} ({b['share_of_30']:.1%} of 30)",
                "≥ 95%",
                b["share_of_30"] >= TARGETS["broadcast_share"],
            )
        )
        rows.append(
            _row(
                "broadcast: 429s / lost / doubled",
                f"{b['http_429']:.0f} / {b['lost']:.0f} / {b['doubled']:.0f}",
                "0 / 0 / 0",
                b["http_429"] == 0 and b["lost"] == 0 and b["doubled"] == 0,
            )
        )
    if "memory" in r:
        m = r["memory"]
        rows.append(
            _row(
                "serve peak RSS (start → after load)",
                f"{m['start_mb']:.0f} → {m['peak_mb']:.0f} MB",
                "< 150 MB",
                m["peak_mb"] < TARGETS["serve_peak_mb"],
            )
        )
    for db, c in r.get("console", {}).items():
        for who in console.WHO:
            for part, kinds in (("inbox", console.KINDS[:-1]), ("referral", console.KINDS[-1:])):
                worst = max(kinds, key=lambda kind: c[who][kind]["p95_ms"])
                p50 = max(c[who][kind]["p50_ms"] for kind in kinds)
                p95 = c[who][worst]["p95_ms"]
                rows.append(
                    _row(
                        f"console {db} {who}: {part} p50 / p95",
                        f"{p50:.0f} / {p95:.0f} ms",
                        "p95 < 150 ms",
                        p95 < TARGETS["console_p95_ms"],
                    )
                )
        rows.append(
            _row(
                f"console {db}: serve peak RSS, {c['referrals']:,.0f} ref.",
                f"{c['serve_peak_mb']:.0f} MB",
                "< 200 MB",
                c["serve_peak_mb"] < TARGETS["console_peak_mb"],
            )
        )
    rows.append(_row("bench run time", f"{r['total_seconds']:.0f} s", "< 600 s", r["total_seconds"] < 600))
    print("\n".join(rows))
    if r.get("console"):
        print()
        print(console_table(r["console"]))


def console_table(results: dict[str, Any]) -> str:
    """Each kind of console request: p50 / p95 in ms for each signed-in role, per database."""
    head = (
        f"| {'console request':<28} | " + " | ".join(f"{who + ' p50/p95':>22}" for who in console.WHO) + " |"
    )
    rows = [head, "|" + "|".join("-" * (len(cell) + 0) for cell in head.split("|")[1:-1]) + "|"]
    for db, c in results.items():
        for kind in console.KINDS:
            cells = []
            for who in console.WHO:
                f = c[who][kind]
                mark = "" if f["p95_ms"] < TARGETS["console_p95_ms"] else " !"
                cells.append(f"{f['p50_ms']:.0f} / {f['p95_ms']:.0f} ms{mark}")
            rows.append(f"| {db + ': ' + kind:<28} | " + " | ".join(f"{cell:>22}" for cell in cells) + " |")
    return "\n".join(rows)


if __name__ == "__main__":
    main()
