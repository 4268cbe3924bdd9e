"""The inbox's queues, search and countdown, on top of the API's own scope (`leads.LeadFilters`).

A referral must be received within N working days (content/data/deployment.yaml
`escalation_working_days`, the same limit as api/jobs/escalation.py, on the same working-day
calendar): "due soon" has one working day left, "overdue" has none (or was escalated already).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import case
from sqlmodel import Session, col, func, or_, select

from api.actor import Actor
from api.console.i18n import T_
from api.jobs.escalation import working_days_between
from api.lifecycle import CLOSED, OPEN
from api.models import Lead
from api.services.leads import LeadFilters, assigned_or_sent, clock_start
from content.catalog import get_content
from content.deadlines.workdays import WorkingCalendar
from content.vn_phone import normalise_business_phone

QUEUES: dict[str, str] = {
    "new": T_("Mới"),
    "due_soon": T_("Sắp hết hạn"),
    "overdue": T_("Quá hạn"),
    "in_progress": T_("Đang xử lý"),
    "closed": T_("Đã đóng"),
}
PAGE_SIZE = 20
_REFERENCE = re.compile(r"^(BM-?)?[A-Z0-9]{6}$")


def _zone() -> ZoneInfo:
    # The deadlines calendar's time zone: the same local day as the escalation job's.
    return ZoneInfo(get_content().deadlines.schedule.calendar.timezone)


def local_date(moment: datetime) -> date:
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(_zone()).date()


def _local_midnight_utc(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=_zone()).astimezone(UTC)


def _limit_and_calendar() -> tuple[int, WorkingCalendar]:
    content = get_content()
    return content.deployment.escalation_working_days, content.deadlines.calendar


def _latest_day_with(calendar: WorkingCalendar, today: date, elapsed: int) -> date:
    """The latest day D such that at least `elapsed` working days passed from D to today."""
    day = today
    while working_days_between(calendar, day, today) < elapsed:
        day -= timedelta(days=1)
    return day


@dataclass(frozen=True)
class Countdown:
    """Working days left to receive a new referral (negative: overdue by that many)."""

    left: int
    escalated: bool

    @property
    def overdue(self) -> bool:
        return self.escalated or self.left <= 0


def countdown(lead: Lead, now: datetime) -> Countdown | None:
    if lead.status != "new":
        return None
    limit, calendar = _limit_and_calendar()
    elapsed = working_days_between(calendar, local_date(clock_start(lead)), local_date(now))
    return Countdown(limit - elapsed, lead.escalated_at is not None)


def queue_condition(queue: str, now: datetime) -> Any:
    if queue == "in_progress":
        return col(Lead.status).in_([s for s in OPEN if s != "new"])
    if queue == "closed":
        return col(Lead.status).in_(CLOSED)
    is_new = col(Lead.status) == "new"
    if queue == "new":
        return is_new
    limit, calendar = _limit_and_calendar()
    today = local_date(now)
    # Created on or before this day: overdue.
    overdue_from = _local_midnight_utc(_latest_day_with(calendar, today, limit) + timedelta(days=1))
    if queue == "overdue":
        return is_new & ((assigned_or_sent < overdue_from) | col(Lead.escalated_at).is_not(None))
    # due_soon: one working day left.
    soon_from = _local_midnight_utc(_latest_day_with(calendar, today, max(limit - 1, 0)) + timedelta(days=1))
    return (
        is_new
        & col(Lead.escalated_at).is_(None)
        & (assigned_or_sent >= overdue_from)
        & (assigned_or_sent < soon_from)
    )


def search_condition(text: str) -> Any:
    """Name (part of it), phone (its digits), reference or id."""
    text = " ".join(text.split())[:100]
    phone = normalise_business_phone(text)  # a business may have given its fixed line
    if phone is not None:
        # A whole number: stored numbers are normalised alike, so one index look-up finds it
        # (no name holds a phone number, and a scan of every name would cost a read of each row).
        return col(Lead.contact_phone) == phone
    conditions = [
        col(Lead.contact_name).ilike(f"%{_escape(text)}%", escape="\\"),
        col(Lead.id) == text.lower(),
    ]
    upper = text.upper().replace(" ", "")
    if _REFERENCE.match(upper):
        reference = upper if upper.startswith("BM-") else "BM-" + upper.removeprefix("BM")
        conditions.append(col(Lead.reference) == reference)
    digits = re.sub(r"\D", "", text)
    if len(digits) >= 3:
        if digits.startswith("84") and len(digits) >= 11:
            digits = "0" + digits[2:]
        conditions.append(col(Lead.contact_phone).like(f"%{digits}%"))
    return or_(*conditions)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True)
class InboxQuery:
    queue: str
    search: str = ""
    status: str | None = None
    commune_code: str | None = None
    page: int = 1

    def conditions(self, actor: Actor, now: datetime, queue: str | None = None) -> list[Any]:
        return [*self.base_conditions(actor), queue_condition(queue or self.queue, now)]

    def base_conditions(self, actor: Actor) -> list[Any]:
        """Every condition but the queue's."""
        # The API's scope first: an officer sees exactly what GET /leads would give them.
        base = LeadFilters(status=self.status, commune_code=self.commune_code).conditions(actor)
        if self.search:
            base.append(search_condition(self.search))
        return base


def counts(session: Session, actor: Actor, query: InboxQuery, now: datetime) -> dict[str, int]:
    # One pass over the reader's referrals counts every queue (five queries would read them five
    # times; with a search, each read goes to the table).
    sums = [func.coalesce(func.sum(case((queue_condition(q, now), 1), else_=0)), 0) for q in QUEUES]
    row = session.exec(select(*sums).select_from(Lead).where(*query.base_conditions(actor))).one()
    return {queue: int(value) for queue, value in zip(QUEUES, row, strict=True)}


def page(session: Session, actor: Actor, query: InboxQuery, now: datetime) -> list[Lead]:
    # Oldest first in the queues that have a deadline (the most urgent on top: the longest with this
    # commune), newest first otherwise.
    deadline = query.queue in ("new", "due_soon", "overdue")
    order = assigned_or_sent.asc() if deadline else col(Lead.updated_at).desc()
    # The page's ids first, then their rows: sorting only (key, id) instead of whole referrals
    # (answers and screening included) keeps a deep page of a long queue quick.
    ids = list(
        session.exec(
            select(Lead.id)
            .where(*query.conditions(actor, now))
            .order_by(order, col(Lead.id))
            .offset((query.page - 1) * PAGE_SIZE)
            .limit(PAGE_SIZE)
        ).all()
    )
    if not ids:
        return []
    found = {lead.id: lead for lead in session.exec(select(Lead).where(col(Lead.id).in_(ids))).all()}
    return [found[lead_id] for lead_id in ids if lead_id in found]
