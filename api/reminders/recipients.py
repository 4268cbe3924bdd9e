"""Which accounts an assignee (role, and agency kind for agencies) means, and who marked what done."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, col, select

from api.models import Account, ObligationDone

# Roles that deadlines may name (content.deadlines.schema.AccountRole).
ASSIGNABLE_ROLES = ("commune_police", "bank", "agency", "coordinator")


def active_accounts(session: Session) -> list[Account]:
    return list(
        session.exec(
            select(Account)
            .where(Account.active, col(Account.role).in_(ASSIGNABLE_ROLES))
            .order_by(col(Account.id))
        ).all()
    )


def matches(account: Account, role: str, agency_kind: str | None) -> bool:
    return account.role == role and (agency_kind is None or account.agency_kind == agency_kind)


def accounts_for(accounts: Iterable[Account], role: str, agency_kind: str | None) -> list[Account]:
    return [a for a in accounts if matches(a, role, agency_kind)]


def done_marks(session: Session, pairs: set[tuple[str, str]]) -> dict[tuple[str, str, int], ObligationDone]:
    """(deadline_id, period, account_id) → its mark, for the given (deadline_id, period) pairs."""
    if not pairs:
        return {}
    periods = sorted({period for _, period in pairs})
    rows = session.exec(select(ObligationDone).where(col(ObligationDone.period).in_(periods))).all()
    return {(r.deadline_id, r.period, r.account_id): r for r in rows if (r.deadline_id, r.period) in pairs}


def is_done(session: Session, deadline_id: str, period: str, account_id: int) -> bool:
    row = session.exec(
        select(ObligationDone.id).where(
            ObligationDone.deadline_id == deadline_id,
            ObligationDone.period == period,
            ObligationDone.account_id == account_id,
        )
    ).first()
    return row is not None
