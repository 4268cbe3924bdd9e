"""The bank's decisions in tests: approval with an amount, payout on the day the server recorded
the approval (its own clock, not the test's idea of today)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
AMOUNT = 30_000_000


def approval_day(client: httpx.Client, lead_id: str) -> str:
    """The local (Vietnam) day of the referral's approval, from its timeline."""
    events = client.get(f"/api/v1/leads/{lead_id}/events").json()["data"]
    at = next(e["at"] for e in reversed(events) if e["to_status"] == "approved")
    moment = datetime.fromisoformat(at.replace("Z", "+00:00"))
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.astimezone(VIETNAM).date().isoformat()


def decision(client: httpx.Client, lead_id: str, status: str, amount: int = AMOUNT) -> dict[str, Any]:
    """The body the bank sends for `approved` / `disbursed` (other statuses: just the status)."""
    if status == "approved":
        return {"status": status, "amount": amount}
    if status == "disbursed":
        return {"status": status, "amount": amount, "on_date": approval_day(client, lead_id)}
    return {"status": status}
