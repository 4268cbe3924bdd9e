"""The inbox: queues with counts, search, filters and pages; every listed referral's read audited."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response

from api.console import queues
from api.console.web import ConsoleDep, now, render, see_other
from api.deps import SessionDep
from api.lifecycle import CLOSED, OPEN
from api.roles import Role
from api.services import audit
from api.sessions import SessionRoute
from api.sheets import clean_text
from api.wards import ward_name
from content.catalog import get_content

router = APIRouter(include_in_schema=False, route_class=SessionRoute)

# The queue a role lands on: the bank's referrals arrive already received and listed.
DEFAULT_QUEUE = {Role.COMMUNE_POLICE: "new", Role.COORDINATOR: "overdue"}


@router.get("/console/", response_class=HTMLResponse)
def inbox(
    console: ConsoleDep,
    session: SessionDep,
    queue: Annotated[str | None, Query(max_length=16)] = None,
    q: Annotated[str, Query()] = "",  # cut to 100 characters by the search, never refused
    status: Annotated[str, Query(max_length=16)] = "",
    commune: Annotated[str, Query(max_length=8)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    actor = console.actor
    if actor.role is Role.ADMIN:
        # The admin reads no referral: its work starts on the accounts page.
        return see_other("/console/admin/accounts")
    if actor.role is Role.INTAKE_OFFICER:
        # Its work is the assisted intake form, which also lists the referrals it made.
        return see_other("/console/assisted")
    chosen = queue if queue in queues.QUEUES else DEFAULT_QUEUE.get(actor.role, "in_progress")
    query = queues.InboxQuery(
        queue=chosen,
        search=" ".join(clean_text(q).split())[:100],  # NUL: PostgreSQL refuses it even in a query
        status=status if status in OPEN + CLOSED else None,
        commune_code=commune if commune in actor.communes else None,
        page=page,
    )
    moment = now(console.request)
    counts = queues.counts(session, actor, query, moment)
    rows = queues.page(session, actor, query, moment)
    # Names and phones are on the page: a read of personal data like GET /leads, audited.
    audit.record_reads(session, actor, "console_list", [lead.id for lead in rows])
    total = counts[chosen]
    pages = max(1, -(-total // queues.PAGE_SIZE))
    kept = {"q": query.search, "status": query.status or "", "commune": query.commune_code or ""}

    def link(**changes: str | int) -> str:
        params = {"queue": chosen, **kept, **changes}
        return "/console/?" + urlencode({k: v for k, v in params.items() if v not in ("", None, 1)})

    return render(
        console,
        "inbox.html",
        queues=queues.QUEUES,
        queue=chosen,
        counts=counts,
        leads=rows,
        countdowns={lead.id: queues.countdown(lead, moment) for lead in rows},
        query=query,
        total=total,
        page=query.page,
        pages=pages,
        # A search with nothing in this queue names the queues where it found referrals.
        elsewhere=[q for q in queues.QUEUES if q != chosen and counts[q]]
        if query.search and not total
        else [],
        link=link,
        statuses=OPEN + CLOSED,
        status_labels=get_content().leads.status_labels,
        communes=[(code, ward_name(code) or code) for code in actor.communes],
        ward_name=ward_name,
    )
