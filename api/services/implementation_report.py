"""One implementation report draft (issue 16), for the API route and the console alike: who may have
which part, the figures, the file, and the audit entry of the read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlmodel import Session

from api.actor import Actor
from api.models import AuditEntry
from api.reminders.clock import local_today
from api.services import report_docx, report_xlsx
from api.services.report_figures import Period, Scope, parse_period, report_figures, scope_of
from content.catalog import get_content

Format = Literal["docx", "xlsx"]
MEDIA_TYPES: dict[str, str] = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
AUDIT_ACTION = "report_implementation"
PATH = "/api/v1/reports/implementation"
CONSOLE_PATH = "/console/reports/implementation"


class NotAllowed(Exception):
    """The account has no part in the implementation reports (403)."""


@dataclass(frozen=True)
class Draft:
    content: bytes
    media_type: str
    filename: str


def draft(
    session: Session, actor: Actor, province: int, period_text: str, fmt: Format, now: datetime
) -> Draft:
    """Raises `PeriodError` (422) for a bad period, `NotAllowed` (403) for an account without a part."""
    scope = scope_of(actor, province)
    if scope is None:
        raise NotAllowed
    period = parse_period(period_text, local_today(get_content().deadlines, now))
    figures = report_figures(session, period, scope, now)
    issuer = actor.account.name
    content = report_docx.to_docx(figures, issuer) if fmt == "docx" else report_xlsx.to_xlsx(figures, issuer)
    # Counts only, no person named; still recorded, like every read of the referrals' data.
    session.add(
        AuditEntry(
            account_id=actor.id,
            action=AUDIT_ACTION,
            via_account_id=actor.via.id if actor.via is not None else None,
        )
    )
    session.commit()
    return Draft(content, MEDIA_TYPES[fmt], filename(period, scope, fmt))


def filename(period: Period, scope: Scope, fmt: str) -> str:
    part = "tinh" if scope.whole_province else "-".join(sorted(scope.communes))[:60] or "khong-co-xa"
    return f"bao-cao-ket-qua-{period.label}-{part}.{fmt}"


def draft_link(base_url: str, period: str, fmt: Format = "docx") -> str:
    """Where a report's reminder points: the console's download (a signed-in browser gets the file;
    the API route needs a bearer token, which a chat link cannot carry)."""
    return f"{base_url.rstrip('/')}{CONSOLE_PATH}?period={period}&format={fmt}"
