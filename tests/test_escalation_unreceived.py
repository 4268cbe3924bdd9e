"""The escalation of a referral nobody received: it says how many working days have really passed
since the referral was sent, names the commune officer account(s) responsible, carries a button to
view the referral in the bot, and goes out only on working days within working hours. Fixed clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from api.actor import Actor
from api.console import queues
from api.jobs.escalation import escalate_unreceived
from api.models import Account, Lead, OutboxMessage, Webhook
from api.roles import Role
from api.services import accounts, loop
from api.wards import ward_province
from content.catalog import get_content
from tests.harness import COMMUNE_A, COMMUNE_B, Api, lead_body

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=VIETNAM).astimezone(UTC)


def _lead_sent_at(api: Api, when: datetime) -> str:
    intake = api.account(Role.INTAKE)
    with api.client(intake) as client:
        lead_id: str = client.post("/api/v1/leads", json=lead_body("k-esc")).json()["id"]
    with Session(api.engine) as session:
        lead = session.get(Lead, lead_id)
        assert lead is not None
        lead.created_at = when
        lead.assigned_at = when
        session.add(lead)
        session.commit()
    return lead_id


def _escalations(api: Api) -> list[OutboxMessage]:
    with Session(api.engine) as session:
        return list(
            session.exec(
                select(OutboxMessage)
                .where(OutboxMessage.purpose == "escalation")
                .order_by(col(OutboxMessage.id))
            ).all()
        )


def test_an_escalation_says_the_real_working_days_names_the_officer_and_has_a_button(api: Api) -> None:
    api.account(Role.COORDINATOR, name="PC10", chat_id="9001")
    with Session(api.engine) as session:
        pc10 = session.exec(select(Account).where(Account.name == "PC10")).one()
        session.add(Webhook(account_id=pc10.id or 0, url="https://pc10.example/hook", secret="s"))
        session.commit()
    api.account(Role.COMMUNE_POLICE, COMMUNE_A, name="CA phường Mỹ Xuyên", chat_id="5001")
    api.account(Role.COMMUNE_POLICE, COMMUNE_B, name="CA xã khác", chat_id="5002")
    # Sent on Tuesday 1 December 2026 at 09:00; the service was down until the next Monday.
    lead_id = _lead_sent_at(api, at(date(2026, 12, 1), 9))
    with Session(api.engine) as session:
        assert escalate_unreceived(session, now=at(date(2026, 12, 5), 9)) == 0  # Saturday
        assert escalate_unreceived(session, now=at(date(2026, 12, 7), 7, 0)) == 0  # before working hours
        assert escalate_unreceived(session, now=at(date(2026, 12, 7), 20, 9)) == 0  # after them
        assert escalate_unreceived(session, now=at(date(2026, 12, 7), 9)) == 1
        assert escalate_unreceived(session, now=at(date(2026, 12, 7), 10)) == 0  # once
    [message] = _escalations(api)
    assert message.target == "9001"
    params = message.payload["params"]
    text = params["text"]
    # Wednesday 2, Thursday 3, Friday 4 and Monday 7 December: 4 working days, not "2".
    assert "4 ngày làm việc" in text
    assert "CA phường Mỹ Xuyên" in text and "CA xã khác" not in text
    buttons = [b for row in params["reply_markup"]["inline_keyboard"] for b in row]
    assert [b["callback_data"] for b in buttons] == [f"ld|{lead_id}|view", f"ld|{lead_id}|remind"]
    with Session(api.engine) as session:
        hooks = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "webhook")).all()
    events = [h.payload for h in hooks if h.payload.get("event") == "lead.escalated"]
    assert [(e["working_days"], len(e["officer_account_ids"])) for e in events] == [(4, 1)]


def test_an_escalation_in_english_when_no_officer_account_exists(api: Api) -> None:
    with Session(api.engine) as session:
        coordinator, _ = accounts.create_account(session, name="PC10", role=Role.COORDINATOR, lang="en")
        coordinator.telegram_chat_id = "9002"
        session.add(coordinator)
        session.commit()
    _lead_sent_at(api, at(date(2027, 2, 3), 10))  # the last working day before Tết 2027
    with Session(api.engine) as session:
        assert escalate_unreceived(session, now=at(date(2027, 2, 10), 9)) == 0  # still Tết
        assert escalate_unreceived(session, now=at(date(2027, 2, 12), 9)) == 1
    [message] = _escalations(api)
    text = message.payload["params"]["text"]
    assert "for 2 working days" in text  # 11 and 12 February
    assert "no commune police account" in text


def test_a_transferred_referral_gives_the_new_commune_its_own_working_days(api: Api) -> None:
    """The old commune's lateness is not passed on: the clock starts again where the referral went."""
    api.account(Role.COORDINATOR, name="PC10", chat_id="9001")
    api.account(Role.COMMUNE_POLICE, COMMUNE_A, name="CA A", chat_id="5001")
    api.account(Role.COMMUNE_POLICE, COMMUNE_B, name="CA B", chat_id="5002")
    limit = get_content().deployment.escalation_working_days
    assert limit == 2  # the dates below are chosen for it
    # Sent on Tuesday 1 December; commune A passes it on on Thursday 3, its last working day.
    lead_id = _lead_sent_at(api, at(date(2026, 12, 1), 9))
    moved = at(date(2026, 12, 3), 10)
    with Session(api.engine) as session:
        officer = session.exec(select(Account).where(Account.name == "CA A")).one()
        lead = session.get(Lead, lead_id)
        assert lead is not None
        actor = Actor(officer, Role.COMMUNE_POLICE, (COMMUNE_A,))
        loop.transfer(session, actor, lead, COMMUNE_B, "chuyển nhà", ward_province(COMMUNE_A) or 0, moved)
    friday, monday = at(date(2026, 12, 4), 9), at(date(2026, 12, 7), 9)
    with Session(api.engine) as session:
        lead = session.get(Lead, lead_id)
        assert lead is not None and lead.assigned_at is not None
        # Friday: one working day with commune B (three since it was sent): not overdue, not escalated.
        countdown = queues.countdown(lead, friday)
        assert countdown is not None and countdown.left == limit - 1 and not countdown.overdue
        assert escalate_unreceived(session, now=friday) == 0
        # Monday: commune B's two working days are over.
        assert escalate_unreceived(session, now=monday) == 1
    [message] = _escalations(api)
    text = message.payload["params"]["text"]
    assert "2 ngày làm việc" in text and "CA B" in text and "CA A" not in text
