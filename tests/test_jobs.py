"""Escalation of unattended leads (working days, Vietnamese holidays) and data retention."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session, select

from api.jobs.escalation import escalate_unreceived, working_days_between
from api.jobs.retention import anonymise_expired, forget_idle_conversations
from api.models import Conversation, Lead, OutboxMessage
from api.roles import Role
from content.catalog import get_content
from tests.harness import Api, lead_body


def _post_lead(api: Api, key: str = "k") -> str:
    intake = api.account(Role.INTAKE)
    with api.client(intake) as client:
        lead_id: str = client.post("/api/v1/leads", json=lead_body(key)).json()["id"]
    return lead_id


def _set_created(api: Api, lead_id: str, when: datetime) -> None:
    with Session(api.engine) as session:
        lead = session.get(Lead, lead_id)
        assert lead is not None
        lead.created_at = when
        lead.assigned_at = when
        session.add(lead)
        session.commit()


def test_working_days_skip_weekends_and_tet() -> None:
    calendar = get_content().deadlines.calendar
    assert working_days_between(calendar, date(2026, 11, 27), date(2026, 11, 30)) == 1  # Fri → Mon
    # Tết 2027 (4–10 February in the holidays package) is not working time.
    assert working_days_between(calendar, date(2027, 2, 3), date(2027, 2, 11)) == 1


def test_unreceived_lead_is_escalated_once_after_two_working_days(api: Api) -> None:
    api.account(Role.COORDINATOR, chat_id="9001")
    lead_id = _post_lead(api)
    friday_morning = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)  # 09:00 in Vietnam
    _set_created(api, lead_id, friday_morning)
    with Session(api.engine) as session:
        assert escalate_unreceived(session, now=friday_morning + timedelta(days=3)) == 0  # Monday: 1 day
        assert escalate_unreceived(session, now=friday_morning + timedelta(days=4)) == 1  # Tuesday: 2 days
        assert escalate_unreceived(session, now=friday_morning + timedelta(days=5)) == 0  # only once
        escalations = session.exec(select(OutboxMessage).where(OutboxMessage.purpose == "escalation")).all()
    assert [m.target for m in escalations] == ["9001"]


def test_received_lead_is_not_escalated(api: Api) -> None:
    officer = api.account(Role.COMMUNE_POLICE, "31684")
    lead_id = _post_lead(api)
    with api.client(officer) as client:
        client.post(f"/api/v1/leads/{lead_id}/status", json={"status": "received"})
    _set_created(api, lead_id, datetime(2026, 1, 5, tzinfo=UTC))
    with Session(api.engine) as session:
        assert escalate_unreceived(session, now=datetime(2026, 11, 24, tzinfo=UTC)) == 0


def test_closed_leads_are_anonymised_after_the_retention_period(api: Api) -> None:
    officer = api.account(Role.COMMUNE_POLICE, "31684")
    lead_id = _post_lead(api)
    with api.client(officer) as client:
        client.post(
            f"/api/v1/leads/{lead_id}/status",
            json={"status": "declined", "reason": "no_longer_needed", "note": "gọi lại sau"},
        )
    with Session(api.engine) as session:
        lead = session.get(Lead, lead_id)
        assert lead is not None and lead.closed_at is not None
        closed = lead.closed_at
        assert anonymise_expired(session, now=closed + timedelta(days=700)) == 0  # 23 months
        assert anonymise_expired(session, now=closed + timedelta(days=740)) == 1  # past 24 months
        session.expire_all()
        lead = session.get(Lead, lead_id)
        assert lead is not None
        assert (lead.contact_name, lead.contact_phone, lead.answers, lead.channel_user) == (
            None,
            None,
            {},
            None,
        )
        assert lead.outcome == "likely_eligible"  # statistics keep the outcome


def test_idle_conversations_are_forgotten(api: Api) -> None:
    with Session(api.engine) as session:
        old = Conversation(
            channel="telegram",
            channel_user="1",
            state={"step": "x"},
            updated_at=datetime(2026, 1, 1, tzinfo=UTC),
        )
        fresh = Conversation(channel="telegram", channel_user="2", state={}, updated_at=datetime.now(UTC))
        session.add(old)
        session.add(fresh)
        session.commit()
        assert forget_idle_conversations(session, now=datetime(2026, 11, 24, tzinfo=UTC)) == 1
        assert [c.channel_user for c in session.exec(select(Conversation)).all()] == ["2"]
