"""The staff console with 100,000 referrals: a real `buocmoi serve`, signed in over HTTP as a commune
officer (a busy commune), a bank office serving several communes and the provincial coordinator;
p50/p95 of the inbox (each queue, a search by name, by phone, later pages) and of a referral's page,
on SQLite and PostgreSQL, and the peak memory of `serve` meanwhile.

Requests go one at a time (the latency of one page, not throughput) over a keep-alive
`http.client` connection carrying the session cookie, after a sign-in the way a browser makes it
(open the one-time link, press the button)."""

from __future__ import annotations

import random
import re
import time
from http.client import HTTPConnection
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from sqlalchemy import text
from sqlmodel import Session

from api import migrate
from api.console import auth
from api.core.db import make_engine
from api.models import Account
from bench.common import peak_rss_mb, percentile, progress
from bench.console_data import Generated, generate
from bench.intake import each_database
from tests.servers import free_port, start_serve, wait_healthy

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
WHO = ("officer", "bank", "coordinator")
KINDS = (
    "queue new",
    "queue due_soon",
    "queue overdue",
    "queue in_progress",
    "queue closed",
    "search name",
    "search phone",
    "page 2+",
    "referral page",
)


def _sign_in(base: str, link: str) -> str:
    """The session cookie a browser gets from the one-time link."""
    with httpx.Client(base_url=base, timeout=30) as client:
        path = httpx.URL(link).path
        page = client.get(path)
        match = CSRF.search(page.text)
        assert match is not None, page.status_code
        answer = client.post(path, data={"csrf_token": match.group(1)})
        assert answer.status_code == 303, answer.status_code
        cookie = client.cookies.get("bm_console")
        assert cookie
        return cookie


def _requests(
    samples: list[tuple[str, str, str]], total_in_closed: int, rounds: int, rnd: random.Random
) -> dict[str, list[str]]:
    """The paths to time, per kind: varied names, phones, pages and referrals."""
    picks = [rnd.choice(samples) for _ in range(rounds)]
    pages = max(2, min(total_in_closed // 20, 200))
    return {
        **{
            f"queue {q}": [f"/console/?queue={q}"] * rounds
            for q in ("new", "due_soon", "overdue", "in_progress", "closed")
        },
        # The given name and the one before it, as an officer types part of a name.
        "search name": ["/console/?" + urlencode({"q": " ".join(name.split()[-2:])}) for _, name, _ in picks],
        "search phone": ["/console/?" + urlencode({"q": phone}) for _, _, phone in picks],
        "page 2+": [
            f"/console/?queue={rnd.choice(('closed', 'in_progress', 'closed'))}&page={rnd.randint(2, pages)}"
            for _ in range(rounds)
        ],
        "referral page": [f"/console/referrals/{lead_id}" for lead_id, _, _ in picks],
    }


def _time_all(port: int, cookie: str, paths: dict[str, list[str]]) -> dict[str, dict[str, float]]:
    http = HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Cookie": f"bm_console={cookie}"}
    timings: dict[str, list[float]] = {kind: [] for kind in paths}

    def get(path: str) -> float:
        started = time.perf_counter()
        http.request("GET", path, headers=headers)
        response = http.getresponse()
        response.read()
        took = time.perf_counter() - started
        if response.status != 200:
            raise RuntimeError(f"{path} answered {response.status}")
        return took

    try:
        for kind_paths in paths.values():  # warm up: the first request of each kind loads templates
            get(kind_paths[0])
        # Interleaved, so a shared machine's drift falls on every kind alike.
        for n in range(max(len(p) for p in paths.values())):
            for kind, kind_paths in paths.items():
                if n < len(kind_paths):
                    timings[kind].append(get(kind_paths[n]))
    finally:
        http.close()
    result = {}
    for kind, values in timings.items():
        ordered = sorted(values)
        result[kind] = {"p50_ms": percentile(ordered, 0.5) * 1000, "p95_ms": percentile(ordered, 0.95) * 1000}
    return result


def _one_database(name: str, url: str, referrals: int, rounds: int, workdir: Path) -> dict[str, Any]:
    migrate.upgrade(url)
    engine = make_engine(url)
    started = time.monotonic()
    data: Generated = generate(engine, referrals)
    if name == "postgresql":
        # What autovacuum does shortly after a bulk load (insert threshold: 20% of the table): the
        # planner's statistics, and the visibility map that lets an index be read alone.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE lead"))
    generated_s = time.monotonic() - started
    busiest = data.per_commune[data.officer_commune]
    progress(
        f"console/{name}: {referrals:,} referrals generated in {generated_s:.0f} s "
        f"(the officer's commune has {busiest:,}, the bank's {len(data.bank_communes)} communes "
        f"{sum(data.per_commune.get(c, 0) for c in data.bank_communes):,})"
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_serve(
        {"DATABASE_URL": url, "BUOCMOI_PORT": str(port), "BUOCMOI_PUBLIC_URL": base}, workdir
    )
    results: dict[str, Any] = {
        "referrals": referrals,
        "generate_s": generated_s,
        "officer_commune_referrals": busiest,
    }
    rnd = random.Random(7)
    try:
        wait_healthy(base)
        for who, account_id in zip(WHO, (data.officer_id, data.bank_id, data.coordinator_id), strict=True):
            with Session(engine) as session:
                account = session.get(Account, account_id)
                assert account is not None
                link = auth.issue_login_link(session, account, base)
            cookie = _sign_in(base, link)
            samples = data.samples[account_id]
            paths = _requests(samples, len(samples), rounds, rnd)
            results[who] = _time_all(port, cookie, paths)
            worst = max(results[who].values(), key=lambda f: f["p95_ms"])
            progress(f"console/{name}: {who} ({len(samples):,} in scope): worst p95 {worst['p95_ms']:.0f} ms")
        results["serve_peak_mb"] = peak_rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
        engine.dispose()
    return results


def measure(referrals: int, rounds: int, postgres_server: str | None) -> dict[str, dict[str, Any]]:
    return each_database(
        "console", postgres_server, lambda kind, url, work: _one_database(kind, url, referrals, rounds, work)
    )
