"""Lập hồ sơ hộ (assisted intake, issue 19): an intake officer screens a person with the bot's own
questions and, when the result allows it, makes the referral for them with the paper consent.
Only the `intake_officer` role sees the page; it lists only the referrals this officer made (each
read audited, as the inbox's)."""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from api.console import assisted, queues
from api.console.i18n import T_
from api.console.web import Console, ConsoleDep, CsrfDep, PageError, now, render, see_other
from api.core.config import ApiSettings
from api.deps import SessionDep
from api.roles import Role
from api.services import audit, leads
from api.sessions import SessionRoute
from api.wards import ward_name
from content.catalog import get_content
from content.communes.official import province_wards

router = APIRouter(include_in_schema=False, route_class=SessionRoute)

MINE_SHOWN = 50
MAX_FIELD = 400


def _officer(console: Console) -> None:
    if console.actor.role is not Role.INTAKE_OFFICER:
        raise PageError(403, T_("Trang này chỉ dành cho cán bộ hỗ trợ lập hồ sơ."))


async def form_fields(request: Request) -> dict[str, str]:
    """The posted form as text fields (already read by the CSRF check; a file part is ignored)."""
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}


FormDep = Annotated[dict[str, str], Depends(form_fields)]


def _communes(console: Console) -> list[tuple[str, str]]:
    if console.actor.communes:
        return [(code, ward_name(code) or code) for code in console.actor.communes]
    settings: ApiSettings = console.request.app.state.settings
    return sorted(((w.code, w.name) for w in province_wards(settings.province)), key=lambda item: item[1])


def _page(
    console: Console,
    session: Session,
    form: dict[str, str],
    status: int = 200,
    checked: assisted.Checked | None = None,
    made: Any = None,
) -> HTMLResponse:
    mine = list(leads.page_of_leads(session, console.actor, leads.LeadFilters(), offset=0, limit=MINE_SHOWN))
    outcomes = get_content().screening.outcomes
    response = render(
        console,
        "assisted.html",
        status=status,
        form=form,
        checked=checked,
        errors=checked.errors if checked else {},
        screening_errors=checked.screening_errors if checked else {},
        questions=assisted.questions(),
        release=assisted.release_question(),
        communes=_communes(console),
        mine=mine,
        made=made,
        ward_name=ward_name,
        outcome_label=lambda outcome: outcomes[outcome].label.get("vi") if outcome in outcomes else outcome,
    )
    # Names and phones of the officer's own referrals are on the page: audited like the inbox.
    audit.record_reads(session, console.actor, "console_list", [lead.id for lead in mine])
    return response


@router.get("/console/assisted", response_class=HTMLResponse)
def assisted_page(
    console: ConsoleDep,
    session: SessionDep,
    made: Annotated[str, Query(max_length=32)] = "",
) -> Response:
    _officer(console)
    lead = leads.get_lead(session, console.actor, made) if made else None
    form = {"form_id": secrets.token_hex(12)}
    return _page(console, session, form, made=lead)


@router.post("/console/assisted", response_class=HTMLResponse)
def assisted_submit(console: CsrfDep, session: SessionDep, fields: FormDep) -> Response:
    _officer(console)
    form = {k: v[:MAX_FIELD] for k, v in fields.items()}
    form.setdefault("form_id", secrets.token_hex(12))
    settings: ApiSettings = console.request.app.state.settings
    today = queues.local_date(now(console.request))
    # In Vietnamese whatever the console's language: the stored screening is the lead's (lang "vi").
    checked = assisted.check(form, console.actor, settings.province, today, "vi")
    if not checked.ok:
        return _page(console, session, form, 422, checked)
    if form.get("action") != "refer" or not checked.referable:
        return _page(console, session, form, 200, checked)
    lead, _created = assisted.create(console.request.app.state.engine, console.actor, checked)
    audit.record_reads(session, console.actor, "console_edit", [lead.id])
    return see_other(f"/console/assisted?made={lead.id}")
