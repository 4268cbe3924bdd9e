"""Bursts of 200 requests at once against a real `serve` (the case of the load fault test): first
well-formed unknown tokens, then valid ones (officers' audited reads of their referral list), a few
rounds each, on SQLite and on PostgreSQL. Prints the slowest answer of each burst against the target:
every answer within 2 s."""

from __future__ import annotations

import secrets
import signal
from pathlib import Path
from typing import Any

from bench.common import percentile, progress
from bench.intake import each_database
from tests.burst import add_leads, burst, make_accounts
from tests.servers import free_port, start_serve, wait_healthy

AT_ONCE = 200


def _one_database(name: str, url: str, rounds: int, workdir: Path) -> dict[str, Any]:
    made = make_accounts(url)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_serve({"DATABASE_URL": url, "BUOCMOI_PORT": str(port)}, workdir)
    figures: dict[str, Any] = {}
    try:
        wait_healthy(base)
        add_leads(base, made.intake)
        burst(base, [("valid", made.police[n % len(made.police)]) for n in range(50)])  # warm up
        for kind in ("unknown", "valid"):
            slowest: list[float] = []
            every: list[float] = []
            for _ in range(rounds):
                if kind == "unknown":
                    tokens = [secrets.token_urlsafe(32) for _ in range(AT_ONCE)]
                else:
                    tokens = [made.police[n % len(made.police)] for n in range(AT_ONCE)]
                answers = burst(base, [(kind, token) for token in tokens])
                expected = 401 if kind == "unknown" else 200
                assert all(a.status == expected for a in answers), {a.status for a in answers}
                seconds = sorted(a.seconds for a in answers)
                slowest.append(seconds[-1])
                every += seconds
            every.sort()
            figures[kind] = {
                "p50_s": percentile(every, 0.5),
                "max_s": max(slowest),
                "median_round_max_s": sorted(slowest)[len(slowest) // 2],
            }
            progress(f"burst {name} {kind}: slowest per round {', '.join(f'{s:.2f}' for s in slowest)} s")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    return figures


def measure(rounds: int, postgres_server: str | None) -> dict[str, dict[str, Any]]:
    return each_database(
        "burst", postgres_server, lambda kind, url, work: _one_database(kind, url, rounds, work)
    )
