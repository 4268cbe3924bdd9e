"""The scenario the implementation report tests share (tests/test_implementation_report.py and
tests/test_targets_browser.py): referrals of 2026 in three communes of Cần Thơ placed at fixed
moments, the officers' and the bank's steps at the server's fixed clock, monthly lists marked sent."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from api.models import Account, ObligationDone
from api.roles import Role
from api.services import accounts
from content.communes.official import province_wards
from tests.console_harness import ConsoleApi
from tests.loop_helpers import decision

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
CODES = [w.code for w in province_wards(92)]
BUSY, QUIET, EARLY = CODES[0], CODES[1], CODES[2]
# The fixed clock: 10 December 2026, 10:00 in Vietnam (the annual report is due on the 14th).
NOW = datetime(2026, 12, 10, 10, 0, tzinfo=VIETNAM).astimezone(UTC)
BUSINESS_ANSWERS = {
    "business_type": "sme",
    "lawfully_operating": "yes",
    "total_workers": 20,
    "released_workers": 2,
    "amount": 300000000,
    "same_purpose_debt": "no",
}
TO_DISBURSED = [
    ("police", "received"),
    ("police", "contacted"),
    ("police", "listed"),
    ("police", "sent_to_bank"),
    ("bank", "approved"),
    ("bank", "disbursed"),
]


def local(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=VIETNAM).astimezone(UTC)


def account(
    api: ConsoleApi, role: Role, *communes: str, agency_kind: str | None = None, name: str = ""
) -> str:
    with Session(api.engine) as session:
        _account_row, token = accounts.create_account(
            session,
            name=name or f"{role.value} {len(api.tokens)}",
            role=role,
            communes=list(communes),
            agency_kind=agency_kind,
        )
    api.tokens[token] = role.value
    return token


def move(
    api: ConsoleApi, tokens: dict[str, str], lead_id: str, steps: list[tuple[str, str]], at: datetime
) -> None:
    """Each step at the fixed clock `at` (the server's clock)."""
    api.clock.fixed = at
    for who, status in steps:
        with api.client(tokens[who]) as client:
            body: dict[str, Any] = decision(client, lead_id, status, amount=25_000_000)
            response = client.post(f"/api/v1/leads/{lead_id}/status", json=body)
        assert response.status_code == 200, response.text
    api.clock.fixed = NOW


def scenario(api: ConsoleApi) -> dict[str, str]:
    """In 2026-H2: three person referrals in BUSY (two disbursed), one in QUIET (just received), one
    business referral in BUSY (approved); in 2026-H1 one referral in EARLY (outside the period).
    Two monthly lists of BUSY marked sent in H2, one in H1."""
    intake = account(api, Role.INTAKE)
    tokens = {
        "police": account(api, Role.COMMUNE_POLICE, BUSY, name="Công an phường Một"),
        "bank": account(api, Role.BANK, BUSY, QUIET, EARLY),
        "quiet": account(api, Role.COMMUNE_POLICE, QUIET),
        "early": account(api, Role.COMMUNE_POLICE, EARLY),
    }
    made: dict[str, str] = {}
    for key, commune, created, overrides in (
        ("a", BUSY, date(2026, 8, 3), {}),
        ("b", BUSY, date(2026, 9, 14), {}),
        ("c", BUSY, date(2026, 11, 2), {}),
        ("d", QUIET, date(2026, 11, 20), {}),
        ("biz", BUSY, date(2026, 10, 5), {"applicant": "business", "answers": BUSINESS_ANSWERS}),
        ("h1", EARLY, date(2026, 3, 10), {}),
    ):
        made[key] = str(api.referral(intake, key, commune, **overrides)["id"])
        api.set_created(made[key], local(created))
    # Steps at fixed moments: a and b reach disbursed in October, the business lead is approved.
    move(api, tokens, made["a"], TO_DISBURSED, local(date(2026, 8, 5)))
    move(api, tokens, made["b"], TO_DISBURSED, local(date(2026, 10, 1)))
    move(api, tokens, made["d"], [("quiet", "received")], local(date(2026, 11, 21)))
    # A business referral goes straight to the bank (issue 18): its own steps, moved by the bank only.
    business_steps = [("bank", "received"), ("bank", "plan_confirmed"), ("bank", "approved")]
    move(api, tokens, made["biz"], business_steps, local(date(2026, 10, 6)))
    move(api, tokens, made["h1"], [("early", "received"), ("early", "contacted")], local(date(2026, 3, 12)))
    with Session(api.engine) as session:
        police = session.exec(select(Account).where(Account.name == "Công an phường Một")).one()
        for period, done in (
            ("2026-08", date(2026, 8, 4)),
            ("2026-10", date(2026, 10, 3)),
            ("2026-03", date(2026, 3, 4)),
        ):
            session.add(
                ObligationDone(
                    deadline_id="monthly_list",
                    period=period,
                    account_id=int(police.id or 0),
                    done_at=local(done),
                    by_account_id=police.id,
                )
            )
        session.commit()
    return {**tokens, "intake": intake}
