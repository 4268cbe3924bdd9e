"""The figures of an implementation report (issue 16): for a period (`YYYY-H1`, `YYYY-H2`, `YYYY`) and a
scope (the province, or the communes of one account), counted from the database only.

The reports are those of content/data/deadlines.yaml: `half_year_report` (due before 15/6, period
`YYYY-H1`) and `annual_report` (due before 15/12, period `YYYY`). A report is drafted before its
period ends, so every figure is counted up to `as_of` (the earlier of the period's end and now).

What is counted (all in the deadlines calendar's time zone):
- referrals: leads created in the period, by commune and by their status today; business leads
  (applicant "business") apart from persons;
- time to first contact: from a referral's creation to the first step that shows the officer reached
  the person (`contacted`, or `listed` when the officer went straight there), for referrals created in
  the period and reached by `as_of`; median and 90th percentile (nearest rank), in days;
- lists sent: `lists_sent` (see there);
- loans: the bank's `approved` and `disbursed` steps recorded in the period, with their amounts as
  the step recorded them (api/services/loop.py), persons and businesses apart;
- targets: the year's progress of api/services/targets.py (the year of the period, up to now), and
  its suggested transfers touching the scope.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from statistics import median

from sqlmodel import Session, col, func, select

from api.actor import Actor
from api.lifecycle import CLOSED, OPEN
from api.models import AccountCommune, Lead, LeadEvent, MonthlyList, ObligationDone
from api.reminders.clock import local_day_bounds, local_today
from api.roles import Role
from api.services.targets import TargetsReport, Transfer, targets_report
from content.catalog import get_content
from content.communes.official import province_name, province_wards
from content.deadlines import DeadlineBook

PERIOD = re.compile(r"^(?P<year>\d{4})(?:-(?P<half>H[12]))?$")
FIRST_YEAR = 2023  # Decision 22/2023/QĐ-TTg
STATUSES = (*OPEN, *CLOSED)
# The steps that show the officer reached the person (a referral may go received → listed).
CONTACT_STEPS = ("contacted", "listed")
MONTHLY_LIST = "monthly_list"  # the deadline id of the monthly list (deadlines.yaml)


class PeriodError(ValueError):
    """A period that is not `YYYY-H1`, `YYYY-H2` or `YYYY` in the years the policy has existed."""


@dataclass(frozen=True)
class Period:
    label: str  # 2026-H1, 2026-H2, 2026
    year: int
    half: int | None  # 1, 2 or None for the whole year
    first: date
    last: date

    @property
    def deadline_id(self) -> str:
        """The report of deadlines.yaml this period is for (H2 has none of its own: the annual one
        covers it, but a half-year draft of H2 is still useful)."""
        return "annual_report" if self.half is None else "half_year_report"


def parse_period(text: str, today: date | None = None) -> Period:
    match = PERIOD.match(text.strip())
    if match is None:
        raise PeriodError(
            f"period: {text[:20]!r} is not a report period; write YYYY-H1 (first half-year), "
            "YYYY-H2 (second half-year) or YYYY (the year), e.g. 2026-H2"
        )
    year = int(match["year"])
    latest = (today.year if today else 2100) + 1
    if not FIRST_YEAR <= year <= latest:
        raise PeriodError(f"period: the year must be between {FIRST_YEAR} and {latest}")
    half = int(match["half"][1]) if match["half"] else None
    first = date(year, 7, 1) if half == 2 else date(year, 1, 1)
    last = date(year, 6, 30) if half == 1 else date(year, 12, 31)
    return Period(match.group(0), year, half, first, last)


@dataclass(frozen=True)
class Scope:
    """Whose figures: the whole province, or the communes an account serves."""

    province: int
    province_name: str
    communes: dict[str, str]  # code → name, in the official order
    whole_province: bool


def scope_of(actor: Actor, province: int) -> Scope | None:
    """The coordinator: the province. A commune police, bank or agency account tied to communes:
    those communes (of this province). An agency tied to no commune is a provincial body (a
    department, the provincial police): the province, counts only. Anyone else: None (403)."""
    wards = province_wards(province)
    every = {w.code: w.name for w in wards}
    name = province_name(province)
    if actor.role is Role.COORDINATOR or (actor.role is Role.AGENCY and not actor.communes):
        return Scope(province, name, every, True)
    if actor.role in (Role.COMMUNE_POLICE, Role.BANK, Role.AGENCY):
        mine = set(actor.communes)
        return Scope(province, name, {c: n for c, n in every.items() if c in mine}, False)
    return None


@dataclass
class CommuneFigures:
    code: str
    name: str
    by_status: Counter[str] = field(default_factory=Counter)  # person referrals of the period
    business: int = 0  # business referrals of the period
    approved: int = 0
    approved_amount: int = 0
    disbursed: int = 0
    disbursed_amount: int = 0
    lists_sent: int = 0
    # The year's target (targets.yaml, person loans per commune) and the loans disbursed this year.
    target: int | None = None
    year_disbursed: int = 0

    @property
    def referrals(self) -> int:
        return sum(self.by_status.values())

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.year_disbursed >= self.target


@dataclass(frozen=True)
class ContactTimes:
    count: int  # referrals of the period reached by as_of
    waiting: int  # referrals of the period not reached (still new/received, or closed before)
    median_days: float | None
    p90_days: float | None


@dataclass(frozen=True)
class Loans:
    approved: int
    approved_amount: int
    disbursed: int
    disbursed_amount: int


@dataclass(frozen=True)
class MonthCount:
    month: str  # YYYY-MM
    persons: int
    businesses: int


@dataclass(frozen=True)
class ReportFigures:
    period: Period
    scope: Scope
    as_of: date  # figures counted up to the end of this day (local time)
    communes: list[CommuneFigures]
    contact: ContactTimes
    persons: Loans
    businesses: Loans
    business_referrals: int
    months: list[MonthCount]
    targets: TargetsReport
    transfers: list[Transfer]  # the targets' suggestions touching the scope
    without_case: list[str]  # codes of the scope's communes with no loan disbursed this year

    @property
    def referrals(self) -> int:
        """Person referrals of the period (business leads are `business_referrals`)."""
        return sum(c.referrals for c in self.communes)

    @property
    def lists_sent(self) -> int:
        return sum(c.lists_sent for c in self.communes)

    @property
    def by_status(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for commune in self.communes:
            total.update(commune.by_status)
        return total

    @property
    def targets_met(self) -> int:
        return sum(1 for c in self.communes if c.met)


def lists_sent(session: Session, communes: set[str], start: datetime, end: datetime) -> dict[str, int]:
    """Monthly lists sent per commune in [start, end): the periods whose first version was sent through
    Bước Mới (`MonthlyList`), together with the periods a commune's police account marked the
    `monthly_list` obligation done (a list sent on paper only); each period counted once."""
    periods: dict[str, set[str]] = {}
    sent = session.exec(
        select(MonthlyList.commune_code, MonthlyList.period).where(
            MonthlyList.version == 1,
            col(MonthlyList.commune_code).in_(sorted(communes)),
            col(MonthlyList.sent_at) >= _utc(start),
            col(MonthlyList.sent_at) < _utc(end),
        )
    ).all()
    marked = session.exec(
        select(AccountCommune.commune_code, ObligationDone.period)
        .join(ObligationDone, col(ObligationDone.account_id) == col(AccountCommune.account_id))
        .where(
            ObligationDone.deadline_id == MONTHLY_LIST,
            col(AccountCommune.commune_code).in_(sorted(communes)),
            col(ObligationDone.done_at) >= _utc(start),
            col(ObligationDone.done_at) < _utc(end),
        )
    ).all()
    for code, period in [*sent, *marked]:
        periods.setdefault(code, set()).add(str(period))
    return {code: len(found) for code, found in periods.items()}


def report_figures(session: Session, period: Period, scope: Scope, now: datetime) -> ReportFigures:
    book = get_content().deadlines
    today = local_today(book, now)
    as_of = min(period.last, max(today, period.first))
    start, end = local_day_bounds(book, period.first, as_of)
    codes = set(scope.communes)
    communes = {code: CommuneFigures(code, name) for code, name in scope.communes.items()}

    months: dict[str, Counter[str]] = {}
    month = period.first
    while month <= as_of:
        months[month.strftime("%Y-%m")] = Counter()
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    business_referrals = 0
    created: dict[str, datetime] = {}
    in_period = (col(Lead.created_at) >= _utc(start), col(Lead.created_at) < _utc(end))
    person_rows = session.exec(
        select(Lead.id, Lead.commune_code, Lead.status, Lead.created_at).where(
            Lead.applicant != "business", *in_period
        )
    ).all()
    for lead_id, code, status, at in person_rows:
        if code in codes:
            moment = _aware(at)
            months.setdefault(_month(book, moment), Counter())["person"] += 1
            communes[code].by_status[status] += 1
            created[lead_id] = moment
    business_rows = session.exec(
        select(Lead.commune_code, Lead.created_at).where(Lead.applicant == "business", *in_period)
    ).all()
    for code, at in business_rows:
        if code in codes:
            months.setdefault(_month(book, _aware(at)), Counter())["business"] += 1
            communes[code].business += 1
            business_referrals += 1

    contact = _contact_times(session, created, end)
    persons, businesses = _loans(session, communes, start, end)
    for code, count in lists_sent(session, codes, start, end).items():
        communes[code].lists_sent = count

    targets = targets_report(session, scope.province, period.year, "vi")
    for row in targets.communes:
        if row.code in communes:
            communes[row.code].target = row.minimum
            communes[row.code].year_disbursed = row.disbursed
    transfers = [t for t in targets.transfers if t.from_code in codes or t.to_code in codes]
    return ReportFigures(
        period=period,
        scope=scope,
        as_of=as_of,
        communes=list(communes.values()),
        contact=contact,
        persons=persons,
        businesses=businesses,
        business_referrals=business_referrals,
        months=[MonthCount(m, c["person"], c["business"]) for m, c in sorted(months.items())],
        targets=targets,
        transfers=transfers,
        without_case=[code for code in targets.without_case if code in codes],
    )


def _contact_times(session: Session, created: dict[str, datetime], end: datetime) -> ContactTimes:
    first: dict[str, datetime] = {}
    ids = sorted(created)
    for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
        rows = session.exec(
            select(LeadEvent.lead_id, func.min(LeadEvent.at))
            .where(
                col(LeadEvent.lead_id).in_(chunk),
                col(LeadEvent.to_status).in_(CONTACT_STEPS),
                col(LeadEvent.at) < _utc(end),
            )
            .group_by(col(LeadEvent.lead_id))
        ).all()
        first.update({lead_id: _aware(at) for lead_id, at in rows})
    days = sorted((first[i] - created[i]) / timedelta(days=1) for i in first)
    if not days:
        return ContactTimes(0, len(created), None, None)
    p90 = days[max(0, math.ceil(0.9 * len(days)) - 1)]  # nearest rank
    return ContactTimes(len(days), len(created) - len(days), round(median(days), 1), round(p90, 1))


def _loans(
    session: Session, communes: dict[str, CommuneFigures], start: datetime, end: datetime
) -> tuple[Loans, Loans]:
    """The bank's steps in the period: each lead counted once per step (its latest such step), with
    the amount the step recorded (0 when it recorded none)."""
    rows = session.exec(
        select(LeadEvent, Lead.commune_code, Lead.applicant)
        .join(Lead, col(LeadEvent.lead_id) == col(Lead.id))
        .where(
            col(LeadEvent.to_status).in_(("approved", "disbursed")),
            col(LeadEvent.at) >= _utc(start),
            col(LeadEvent.at) < _utc(end),
        )
        .order_by(col(LeadEvent.at))
    ).all()
    latest: dict[tuple[str, str], tuple[str, str, int]] = {}
    for event, code, applicant in rows:
        if code not in communes:
            continue
        amount = event.details.get("amount") if isinstance(event.details, dict) else None
        latest[(event.lead_id, event.to_status)] = (code, applicant, amount if isinstance(amount, int) else 0)
    totals = {"person": Counter[str](), "business": Counter[str]()}
    for (_lead_id, step), (code, applicant, amount) in latest.items():
        kind = "business" if applicant == "business" else "person"
        totals[kind][step] += 1
        totals[kind][f"{step}_amount"] += amount
        if kind == "person":
            figures = communes[code]
            if step == "approved":
                figures.approved += 1
                figures.approved_amount += amount
            else:
                figures.disbursed += 1
                figures.disbursed_amount += amount
    persons, businesses = (
        Loans(t["approved"], t["approved_amount"], t["disbursed"], t["disbursed_amount"])
        for t in (totals["person"], totals["business"])
    )
    return persons, businesses


def _month(book: DeadlineBook, moment: datetime) -> str:
    return local_today(book, moment).strftime("%Y-%m")


def _utc(moment: datetime) -> datetime:
    # Stored times are UTC (naive on SQLite): compare in UTC.
    return moment.astimezone(UTC)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
