"""The coordinator's page: the province's overdue referrals with the officers responsible named,
a button to remind them (their linked chats, through the outbox) or to reassign (transfer), and the
province's figures at a glance. Personal data only for the escalated referrals the coordinator may
see anyway (`leads.scope`); the figures are counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session, col, func, select

from api.console import queues
from api.console.i18n import T_
from api.console.web import Console, ConsoleDep, CsrfDep, PageError, now, render, see_other
from api.deps import SessionDep
from api.jobs.escalation import working_days_between
from api.lifecycle import OPEN, TransitionError
from api.models import Lead
from api.roles import Role
from api.services import audit, leads, loop
from api.sessions import SessionRoute
from api.wards import ward_name
from content.catalog import get_content

router = APIRouter(include_in_schema=False, route_class=SessionRoute)

OVERDUE_SHOWN = 200


def _coordinator(console: Console) -> None:
    if console.actor.role is not Role.COORDINATOR:
        raise PageError(404, T_("Không tìm thấy trang này."))


@dataclass(frozen=True)
class CommuneRow:
    code: str
    name: str
    total: int
    open: int
    overdue: int
    disbursed: int


def _received_in_time(session: Session) -> tuple[int, int]:
    """(received within the deadline, received at all): working days from the day sent to the day
    received, each pair of days counted once."""
    content = get_content()
    limit, calendar = content.deployment.escalation_working_days, content.deadlines.calendar
    pairs: Counter[tuple[date, date]] = Counter()
    rows = session.exec(
        select(Lead.created_at, Lead.received_at).where(col(Lead.received_at).is_not(None))
    ).all()
    for created, received in rows:
        if received is not None:
            pairs[(queues.local_date(created), queues.local_date(received))] += 1
    in_time = sum(n for (a, b), n in pairs.items() if working_days_between(calendar, a, b) <= limit)
    return in_time, sum(pairs.values())


def figures(session: Session, moment_overdue: object) -> dict[str, object]:
    by_status = dict(session.exec(select(Lead.status, func.count()).group_by(col(Lead.status))).all())
    per_commune: dict[str, Counter[str]] = {}
    for code, status, n in session.exec(
        select(Lead.commune_code, Lead.status, func.count()).group_by(
            col(Lead.commune_code), col(Lead.status)
        )
    ).all():
        per_commune.setdefault(code, Counter())[status] += n
    overdue = dict(
        session.exec(
            select(Lead.commune_code, func.count())
            .where(moment_overdue)  # type: ignore[arg-type]
            .group_by(col(Lead.commune_code))
        ).all()
    )
    rows = [
        CommuneRow(
            code=code,
            name=ward_name(code) or code,
            total=sum(counts.values()),
            open=sum(counts[s] for s in OPEN),
            overdue=int(overdue.get(code, 0)),
            disbursed=counts["disbursed"],
        )
        for code, counts in per_commune.items()
    ]
    rows.sort(key=lambda r: (-r.overdue, -r.open, r.name))
    in_time, received = _received_in_time(session)
    return {
        "by_status": by_status,
        "total": sum(by_status.values()),
        "communes": rows,
        "in_time": in_time,
        "received": received,
    }


@router.get("/console/coordinator", response_class=HTMLResponse)
def coordinator(
    console: ConsoleDep,
    session: SessionDep,
    reminded: Annotated[str, Query(max_length=16)] = "",
    chats: Annotated[int, Query(ge=0, le=1000)] = 0,
) -> Response:
    _coordinator(console)
    actor, moment = console.actor, now(console.request)
    overdue_condition = queues.queue_condition("overdue", moment)
    overdue = list(
        session.exec(
            select(Lead)
            .where(leads.scope(actor), overdue_condition)
            .order_by(col(Lead.created_at), col(Lead.id))
            .limit(OVERDUE_SHOWN)
        ).all()
    )
    officers = loop.officers_of(session, {lead.commune_code for lead in overdue})
    # Names and phones of the escalated referrals are on the page: audited like the inbox.
    audit.record_reads(session, actor, "console_list", [lead.id for lead in overdue])
    return render(
        console,
        "coordinator.html",
        overdue=overdue,
        officers=officers,
        countdowns={lead.id: queues.countdown(lead, moment) for lead in overdue},
        figures=figures(session, overdue_condition),
        status_labels=get_content().leads.status_labels,
        statuses=[*OPEN, "disbursed", "declined", "withdrawn"],
        ward_name=ward_name,
        reminded=reminded,
        chats=chats,
    )


@router.post("/console/coordinator/remind/{lead_id}")
def remind(lead_id: str, console: CsrfDep, session: SessionDep) -> Response:
    _coordinator(console)
    lead = leads.get_lead(session, console.actor, lead_id[:32])
    if lead is None:
        raise PageError(404, T_("Không tìm thấy hồ sơ này trong phạm vi của bạn."))
    try:
        sent = loop.remind(session, console.actor, lead, now(console.request))
    except TransitionError as err:
        raise PageError(err.status_code, T_("Tài khoản của bạn không được làm bước này.")) from err
    audit.record_reads(session, console.actor, "remind", [lead.id])
    return see_other(f"/console/coordinator?reminded={lead.reference}&chats={sent}")
