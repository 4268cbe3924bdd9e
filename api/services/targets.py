"""The yearly targets report: for every commune of the province, the loans disbursed that year
against the target of `content/data/targets.yaml`, and where targets could move.

Counting: a loan counts in the year its lead reached `disbursed` (local time, deadlines.yaml time
zone), by the lead's commune and applicant (person or business); anonymised leads still count.
`requests` are the person leads created that year that the person did not withdraw.

Transfers (targets.yaml `transfer_rule`: a commune with no demand hands its target to another):
- from: every commune with no person request and no disbursed loan in the year (no demand so far);
- to: communes whose open or disbursed person requests exceed their own target, the largest surplus
  first (ties by code); each takes as many targets as its surplus. A giving commune left over when
  the surpluses run out is listed without a receiver.
Only the person target counted per commune has transfers; a suggestion, never applied by itself.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date

from sqlmodel import Session, col, func, select

from api.models import Lead, LeadEvent
from api.reminders.clock import local_day_bounds
from content.catalog import get_content
from content.communes.official import province_name, province_wards
from content.deadlines import DeadlineBook
from content.deadlines.schema import LoanTarget


@dataclass(frozen=True)
class CommuneRow:
    code: str
    name: str
    requests: int
    disbursed: int  # person loans
    business_disbursed: int
    minimum: int | None  # the person target per commune, when it is counted per commune
    met: bool | None


@dataclass(frozen=True)
class UnitRow:
    id: str
    name: str
    disbursed: int
    minimum: int
    met: bool


@dataclass(frozen=True)
class TargetRow:
    id: str
    borrower: str
    unit: str
    minimum: int
    confirmed: bool
    what: str
    units: list[UnitRow]

    @property
    def met_count(self) -> int:
        return sum(1 for unit in self.units if unit.met)


@dataclass(frozen=True)
class Transfer:
    from_code: str
    from_name: str
    to_code: str | None
    to_name: str | None


@dataclass(frozen=True)
class TargetsReport:
    year: int
    province_code: int
    province_name: str
    communes: list[CommuneRow]
    targets: list[TargetRow]
    transfers: list[Transfer]
    transfer_rule: str
    without_case: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Counts:
    disbursed: Counter[tuple[str, str]]  # (commune, applicant) → loans
    requests: Counter[str]  # commune → person requests not withdrawn
    active: Counter[str]  # commune → person requests neither withdrawn nor declined


def targets_report(session: Session, province: int, year: int, lang: str) -> TargetsReport:
    content = get_content()
    wards = province_wards(province)
    names = {w.code: w.name for w in wards}
    counts = _count(session, content.deadlines, year, set(names))
    person = _person_target(content.deadlines.targets.targets)
    per_commune = person is not None and person.unit == "commune"
    communes = []
    for ward in wards:
        disbursed = counts.disbursed[(ward.code, "person")]
        minimum = person.minimum if per_commune and person else None
        communes.append(
            CommuneRow(
                code=ward.code,
                name=ward.name,
                requests=counts.requests[ward.code],
                disbursed=disbursed,
                business_disbursed=counts.disbursed[(ward.code, "business")],
                minimum=minimum,
                met=None if minimum is None else disbursed >= minimum,
            )
        )
    targets = [
        _progress(key, target, counts, names, province_name(province), lang)
        for key, target in content.deadlines.targets.targets.items()
    ]
    transfers = _transfers(communes, counts, person.minimum) if per_commune and person else []
    return TargetsReport(
        year=year,
        province_code=province,
        province_name=province_name(province),
        communes=communes,
        targets=targets,
        transfers=transfers,
        transfer_rule=content.deadlines.targets.transfer_rule.get(lang),
        without_case=[row.code for row in communes if row.disbursed == 0],
    )


def _person_target(targets: dict[str, LoanTarget]) -> LoanTarget | None:
    return next((target for target in targets.values() if target.borrower == "person"), None)


def _count(session: Session, book: DeadlineBook, year: int, codes: set[str]) -> _Counts:
    # In UTC: SQLite stores naive UTC and would read a local bound as if it were UTC.
    start, end = (
        moment.astimezone(UTC) for moment in local_day_bounds(book, date(year, 1, 1), date(year, 12, 31))
    )
    disbursed_rows = session.exec(
        select(Lead.commune_code, Lead.applicant, func.count(func.distinct(Lead.id)))
        .join(LeadEvent, col(LeadEvent.lead_id) == col(Lead.id))
        .where(LeadEvent.to_status == "disbursed", col(LeadEvent.at) >= start, col(LeadEvent.at) < end)
        .group_by(col(Lead.commune_code), col(Lead.applicant))
    ).all()
    request_rows = session.exec(
        select(Lead.commune_code, Lead.status, func.count())
        .where(Lead.applicant == "person", col(Lead.created_at) >= start, col(Lead.created_at) < end)
        .group_by(col(Lead.commune_code), col(Lead.status))
    ).all()
    disbursed: Counter[tuple[str, str]] = Counter()
    for code, applicant, number in disbursed_rows:
        if code in codes:
            disbursed[(code, applicant)] += int(number)
    requests: Counter[str] = Counter()
    active: Counter[str] = Counter()
    for code, status, number in request_rows:
        if code not in codes or status == "withdrawn":
            continue
        requests[code] += int(number)
        if status != "declined":
            active[code] += int(number)
    return _Counts(disbursed, requests, active)


def _progress(
    key: str, target: LoanTarget, counts: _Counts, names: dict[str, str], province: str, lang: str
) -> TargetRow:
    def loans(codes: list[str]) -> int:
        return sum(counts.disbursed[(code, target.borrower)] for code in codes)

    if target.unit == "commune":
        groups = [(code, name, [code]) for code, name in names.items()]
    elif target.unit == "area":
        groups = [(area, area, codes) for area, codes in target.areas.items()]
    else:
        groups = [("province", province, list(names))]
    units = [
        UnitRow(
            id=ident,
            name=name,
            disbursed=loans(codes),
            minimum=target.minimum,
            met=loans(codes) >= target.minimum,
        )
        for ident, name, codes in groups
    ]
    return TargetRow(
        id=key,
        borrower=target.borrower,
        unit=target.unit,
        minimum=target.minimum,
        confirmed=target.confirmed,
        what=target.what.get(lang),
        units=units,
    )


def _transfers(communes: list[CommuneRow], counts: _Counts, minimum: int) -> list[Transfer]:
    donors = [row for row in communes if row.requests == 0 and row.disbursed == 0]
    surplus = sorted(
        ((counts.active[row.code] - minimum, row) for row in communes if counts.active[row.code] > minimum),
        key=lambda item: (-item[0], item[1].code),
    )
    slots = [row for spare, row in surplus for _ in range(spare)]
    transfers = []
    for index, donor in enumerate(donors):
        receiver = slots[index] if index < len(slots) else None
        transfers.append(
            Transfer(
                from_code=donor.code,
                from_name=donor.name,
                to_code=receiver.code if receiver else None,
                to_name=receiver.name if receiver else None,
            )
        )
    return transfers
