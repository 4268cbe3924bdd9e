"""Small helpers shared by the access tests (tests/test_security_*.py): ids, escalation, audit rows."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session, col, select

from api.jobs.escalation import escalate_unreceived
from api.models import Account, AuditEntry, Lead
from api.roles import Role
from api.security import hash_secret
from tests.harness import Api, lead_body

# A Tuesday morning in Vietnam, and a week later: five working days, so the lead is overdue.
CREATED = datetime(2026, 11, 3, 2, 0, tzinfo=UTC)
A_WEEK_LATER = datetime(2026, 11, 10, 3, 0, tzinfo=UTC)


def account_id(api: Api, token: str) -> int:
    with Session(api.engine) as session:
        found = session.exec(select(Account.id).where(Account.token_hash == hash_secret(token))).one()
    assert found is not None
    return found


def post_lead(api: Api, intake: str, key: str, **overrides: object) -> str:
    with api.client(intake) as client:
        response = client.post("/api/v1/leads", json=lead_body(key, **overrides))
        assert response.status_code == 201, response.text
        lead_id: str = response.json()["id"]
    return lead_id


def escalate(api: Api, lead_id: str) -> None:
    """The lead was posted a week ago and nobody received it: the escalation job runs."""
    with Session(api.engine) as session:
        lead = session.get(Lead, lead_id)
        assert lead is not None
        lead.created_at = CREATED
        lead.assigned_at = CREATED
        session.add(lead)
        session.commit()
        escalate_unreceived(session, now=A_WEEK_LATER)
        session.refresh(lead)
        assert lead.escalated_at is not None


def audit_rows(api: Api, lead_id: str) -> list[AuditEntry]:
    with Session(api.engine) as session:
        return list(
            session.exec(select(AuditEntry).where(AuditEntry.lead_id == lead_id).order_by(col(AuditEntry.id)))
        )


def role_of(api: Api, account: int) -> Role:
    with Session(api.engine) as session:
        found = session.get(Account, account)
        assert found is not None
        return Role(found.role)
