"""Realistic referrals in bulk for the console benchmark: a province's communes (a few busy, many
quiet), two years of referrals whose status follows their age, each with its history of status
steps, some notes, some people referred twice with the same phone; the staff accounts that serve
them. Plain multi-row inserts: 100,000 referrals in well under a minute."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert
from sqlalchemy.engine import Engine
from sqlmodel import Session

from api.lifecycle import CLOSED
from api.models import Lead, LeadEvent, LeadNote, utcnow
from api.roles import Role
from api.services import accounts
from api.services.leads import REFERENCE_ALPHABET
from api.services.screening import screen
from content.catalog import get_content
from content.communes.official import DEFAULT_PROVINCE, province_wards

FAMILY = (
    ["Nguyễn"] * 8
    + ["Trần"] * 3
    + ["Lê"] * 3
    + ["Phạm", "Huỳnh", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
    + ["Thạch", "Sơn", "Kim", "Danh", "Lâm", "Trương", "Tăng", "Châu"]
)
MIDDLE = ["Văn", "Văn", "Thị", "Hữu", "Minh", "Thanh", "Ngọc", "Quốc", "Hoàng", "Đức", "Công", "Kim"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hùng",
    "Hải",
    "Lan",
    "Mai",
    "Hoa",
    "Tâm",
    "Phúc",
    "Sang",
    "Tuấn",
    "Vinh",
    "Khánh",
    "Long",
    "Nam",
    "Phong",
    "Quang",
    "Sơn",
    "Thảo",
    "Trung",
    "Hiếu",
    "Nghĩa",
    "Lộc",
    "Tài",
    "Thành",
    "Toàn",
    "Hậu",
    "Nhân",
    "Thắng",
    "Trí",
    "Hưng",
    "Hòa",
    "Lợi",
    "Duy",
    "Khoa",
    "Bảo",
    "Nhựt",
    "Tú",
    "Sophal",
    "Sokha",
    "Chanh",
    "Thol",
    "Ry",
    "Sa",
    "Kha",
    "Út",
    "Em",
    "Bé",
    "Hạnh",
    "Liên",
    "Nga",
    "Oanh",
    "Xuân",
    "Yến",
    "Trinh",
    "Kiều",
    "Ngân",
    "Diệu",
]
ANSWER_SETS: list[tuple[str, dict[str, Any]]] = [
    (
        "person",
        {
            "release_status": "completed",
            "has_certificate": "yes",
            "release_date": "2025-01",
            "purpose": "production",
            "amount": 50000000,
            "same_purpose_debt": "no",
        },
    ),
    (
        "person",
        {
            "release_status": "completed",
            "has_certificate": "unknown",
            "release_date": "2024-06",
            "purpose": "production",
            "amount": 80000000,
            "same_purpose_debt": "no",
        },
    ),
    (
        "person",
        {
            "release_status": "completed",
            "has_certificate": "yes",
            "release_date": "2025-09",
            "purpose": "production",
            "amount": 120000000,
            "same_purpose_debt": "unknown",
        },
    ),
]
CHAIN = ("new", "received", "contacted", "listed", "sent_to_bank", "approved", "disbursed")
# Status by the referral's age in days: (up to this age, {status: weight}).
BY_AGE: list[tuple[float, dict[str, float]]] = [
    (2, {"new": 7, "received": 3}),
    (10, {"new": 1.5, "received": 3.5, "contacted": 2, "listed": 1.5, "declined": 1, "withdrawn": 0.5}),
    (
        90,
        {
            "received": 1,
            "contacted": 1,
            "listed": 1.5,
            "sent_to_bank": 1.5,
            "approved": 1,
            "disbursed": 2,
            "declined": 1.5,
            "withdrawn": 0.5,
        },
    ),
    (
        10_000,
        {
            "listed": 0.2,
            "sent_to_bank": 0.2,
            "approved": 0.1,
            "disbursed": 5,
            "declined": 3.5,
            "withdrawn": 1,
        },
    ),
]
DAYS = 730
BANK_COMMUNES = (0, 3, 7, 12, 20, 30, 45, 60)  # ranks (by referrals) of the communes one bank office serves


@dataclass
class Generated:
    officer_id: int
    officer_commune: str
    bank_id: int
    bank_communes: list[str]
    coordinator_id: int
    per_commune: dict[str, int] = field(default_factory=dict)
    # Samples for the requests: (lead id, name, phone) per account id, visible to that account.
    samples: dict[int, list[tuple[str, str, str]]] = field(default_factory=dict)


def _path(status: str, rnd: random.Random) -> list[str]:
    """The statuses a referral went through to reach `status`."""
    if status in CHAIN:
        return list(CHAIN[: CHAIN.index(status) + 1])
    stop = rnd.choice((1, 2, 2, 3, 4, 4, 5))  # declined/withdrawn after new..sent_to_bank
    return [*CHAIN[:stop], status]


def _status(age_days: float, rnd: random.Random) -> str:
    for limit, weights in BY_AGE:
        if age_days <= limit:
            return rnd.choices(list(weights), list(weights.values()))[0]
    raise AssertionError


def generate(engine: Engine, total: int, now: datetime | None = None, seed: int = 15) -> Generated:
    rnd = random.Random(seed)
    moment = now or utcnow()
    wards = [w.code for w in province_wards(DEFAULT_PROVINCE)]
    rnd.shuffle(wards)
    weights = [1 / (rank + 15) for rank in range(len(wards))]
    with Session(engine) as session:
        intake, _ = accounts.create_account(session, name="Bước Mới bot", role=Role.INTAKE)
        officers: dict[str, int] = {}
        for code in wards:
            officer, _ = accounts.create_account(
                session, name=f"Công an {code}", role=Role.COMMUNE_POLICE, communes=[code]
            )
            assert officer.id is not None
            officers[code] = officer.id
        bank_communes = [wards[rank] for rank in BANK_COMMUNES]
        bank, _ = accounts.create_account(
            session, name="NHCSXH phòng giao dịch", role=Role.BANK, communes=bank_communes
        )
        for n in range(1, len(wards) // 8):
            accounts.create_account(
                session, name=f"NHCSXH {n}", role=Role.BANK, communes=wards[n * 8 : n * 8 + 8]
            )
        coordinator, _ = accounts.create_account(session, name="Điều phối tỉnh", role=Role.COORDINATOR)
        assert intake.id and bank.id and coordinator.id
        intake_id, bank_id, coordinator_id = intake.id, bank.id, coordinator.id
    screenings = [
        (applicant, answers, screen(applicant, answers, "vi")) for applicant, answers in ANSWER_SETS
    ]
    reasons = get_content().leads.decline_reason_ids()
    found = Generated(officers[wards[0]], wards[0], bank_id, bank_communes, coordinator_id)
    samples: dict[int, list[tuple[str, str, str]]] = {officers[wards[0]]: [], bank_id: [], coordinator_id: []}
    references: set[str] = set()
    phones: list[str] = []
    batch = 10_000
    with engine.begin() as conn:
        for start in range(0, total, batch):
            leads: list[dict[str, Any]] = []
            events: list[dict[str, Any]] = []
            notes: list[dict[str, Any]] = []
            for _ in range(start, min(total, start + batch)):
                commune = rnd.choices(wards, weights)[0]
                found.per_commune[commune] = found.per_commune.get(commune, 0) + 1
                age = rnd.random() ** 1.3 * DAYS  # more recent referrals than old ones
                created = moment - timedelta(days=age, seconds=rnd.randint(0, 600))
                status = _status(age, rnd)
                path = _path(status, rnd)
                # The steps spread over the time since: quickly at first, the bank's much later.
                span = min(age, rnd.uniform(3, 60)) * 86400
                times = sorted(created + timedelta(seconds=rnd.uniform(0, span)) for _ in path[1:])
                lead_id = secrets.token_hex(16)
                reference = ""
                while not reference or reference in references:
                    reference = "BM-" + "".join(rnd.choice(REFERENCE_ALPHABET) for _ in range(6))
                references.add(reference)
                if phones and rnd.random() < 0.03:
                    phone = rnd.choice(phones)  # the same person referred again
                else:
                    phone = rnd.choice(("09", "08", "03", "07")) + f"{rnd.randrange(10**8):08d}"
                    phones.append(phone)
                name = f"{rnd.choice(FAMILY)} {rnd.choice(MIDDLE)} {rnd.choice(GIVEN)}"
                applicant, answers, screening = rnd.choice(screenings)
                # Nobody received it within the limit: the escalation job marked it.
                late = ("received" not in path and age > 4) or rnd.random() < 0.04
                escalated = created + timedelta(days=3, hours=2) if late and age > 4 else None
                updated = times[-1] if times else created

                def at_step(
                    step: str, path: list[str] = path, times: list[datetime] = times
                ) -> datetime | None:
                    return times[path.index(step) - 1] if step in path else None

                extra: dict[str, Any] = {}
                if "listed" in path:
                    extra = {"birth_year": rnd.randint(1965, 2002), "gender": rnd.choice(("nam", "nu"))}
                leads.append(
                    {
                        "id": lead_id,
                        "reference": reference,
                        "status": status,
                        "applicant": applicant,
                        "answers": answers,
                        "screening": screening,
                        "outcome": str(screening.get("outcome", "")),
                        "commune_code": commune,
                        "contact_name": name,
                        "contact_phone": phone,
                        "contact_extra": extra,
                        "consent_police": True,
                        "consent_bank": rnd.random() < 0.9,
                        "consent_text_version": "2026-11-v1",
                        "consent_at": created,
                        "channel": "telegram",
                        "channel_user": str(rnd.randrange(10**9)),
                        "lang": "vi" if rnd.random() < 0.93 else rnd.choice(("en", "km")),
                        "idempotency_key": secrets.token_hex(16),
                        "created_by": intake_id,
                        "created_at": created,
                        "updated_at": updated,
                        "received_at": at_step("received"),
                        "listed_at": at_step("listed"),
                        "closed_at": updated if status in CLOSED else None,
                        "escalated_at": escalated,
                        "anonymised_at": None,
                        "decline_reason": rnd.choice(reasons) if status == "declined" else None,
                    }
                )
                officer = officers[commune]
                events.append(
                    {"lead_id": lead_id, "at": created, "actor_account_id": intake_id, "to_status": "new"}
                )
                for before, step, when in zip(path, path[1:], times, strict=False):
                    by = bank_id if step in ("approved", "disbursed") else officer
                    events.append(
                        {
                            "lead_id": lead_id,
                            "at": when,
                            "actor_account_id": by,
                            "from_status": before,
                            "to_status": step,
                            "reason": leads[-1]["decline_reason"] if step == "declined" else None,
                            "note": None,
                        }
                    )
                if rnd.random() < 0.15 and times:
                    notes.append(
                        {
                            "lead_id": lead_id,
                            "at": times[0],
                            "account_id": officer,
                            "kind": "note",
                            "text": "Đã gọi điện, hẹn gặp tại trụ sở công an xã vào thứ Hai.",
                        }
                    )
                sample = (lead_id, name, phone)
                if commune == wards[0]:
                    samples[found.officer_id].append(sample)
                if commune in bank_communes and leads[-1]["consent_bank"] and "listed" in path:
                    samples[bank_id].append(sample)
                if escalated is not None:
                    samples[coordinator_id].append(sample)
            conn.execute(insert(Lead.__table__), leads)  # type: ignore[attr-defined]
            conn.execute(insert(LeadEvent.__table__), events)  # type: ignore[attr-defined]
            if notes:
                conn.execute(insert(LeadNote.__table__), notes)  # type: ignore[attr-defined]
    found.samples = samples
    return found
