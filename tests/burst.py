"""Bursts of concurrent requests against a real `buocmoi serve`: shared by the fault test
(`tests/faults/test_load_burst.py`, which fails on a stall) and the benchmark (`bench/burst.py`, which
prints the figures against the 2 s target)."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import httpx
from sqlmodel import Session

from api import migrate
from api.core.db import make_engine
from api.roles import Role
from api.services import accounts
from tests.harness import COMMUNE_A, lead_body

# A stalled service answers nothing: a request is given up well after any target, so a caller
# reports what happened instead of waiting out the pool's own 30 s timeout.
CLIENT_TIMEOUT_SECONDS = 8.0


@dataclass
class Answer:
    kind: str
    status: int | str
    seconds: float


@dataclass(frozen=True)
class BurstAccounts:
    intake: str
    police: list[str]


def make_accounts(database_url: str, police: int = 4) -> BurstAccounts:
    """Migrate `database_url` and make the bot's account and `police` officers of COMMUNE_A."""
    migrate.upgrade(database_url)
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            _, intake = accounts.create_account(session, name="bot", role=Role.INTAKE)
            officers = [
                accounts.create_account(
                    session, name=f"police {n}", role=Role.COMMUNE_POLICE, communes=[COMMUNE_A]
                )[1]
                for n in range(police)
            ]
    finally:
        engine.dispose()
    return BurstAccounts(intake, officers)


def add_leads(url: str, intake: str, count: int = 3) -> None:
    """Something for the officers to read."""
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {intake}"}, timeout=10) as http:
        for n in range(count):
            body = lead_body(f"load-{n}", channel_user=f"u{n}")
            assert http.post("/api/v1/leads", json=body).status_code == 201


async def _burst(url: str, requests: list[tuple[str, str]]) -> list[Answer]:
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=0)
    start = asyncio.Event()

    async def one(http: httpx.AsyncClient, kind: str, token: str) -> Answer:
        await start.wait()
        started = time.monotonic()
        try:
            response = await http.get("/api/v1/leads", headers={"Authorization": f"Bearer {token}"})
            status: int | str = response.status_code
        except httpx.HTTPError as err:
            status = type(err).__name__
        return Answer(kind, status, time.monotonic() - started)

    async with httpx.AsyncClient(base_url=url, timeout=CLIENT_TIMEOUT_SECONDS, limits=limits) as http:
        tasks = [asyncio.create_task(one(http, kind, token)) for kind, token in requests]
        await asyncio.sleep(0)  # every task waits at the start line
        start.set()
        return await asyncio.gather(*tasks)


def burst(url: str, requests: list[tuple[str, str]]) -> list[Answer]:
    """`GET /api/v1/leads` once per (kind, token), all at once, each on its own connection."""
    return asyncio.run(_burst(url, requests))
