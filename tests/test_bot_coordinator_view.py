"""The coordinator opens, from their linked chat, a referral escalated to them (the escalation
message's view button), and no other; the read is audited in the coordinator's name, via the bot."""

from __future__ import annotations

from sqlmodel import Session, select

from api.jobs.escalation import escalate_unreceived
from api.models import AuditEntry, Lead, OutboxMessage
from api.roles import Role
from tests.bot_harness import World, bot_world
from tests.harness import COMMUNE_A
from tests.security_helpers import A_WEEK_LATER, CREATED
from tests.test_bot_officer import referred

COORDINATOR_CHAT = "9001"


def _escalate(world: World, lead_id: str) -> None:
    with Session(world.engine) as session:
        lead = session.get(Lead, lead_id)
        assert lead is not None
        lead.created_at = CREATED
        lead.assigned_at = CREATED
        session.add(lead)
        session.commit()
        assert escalate_unreceived(session, now=A_WEEK_LATER) == 1


async def test_the_coordinator_views_an_escalated_referral_from_their_chat(database_url: str) -> None:
    async with bot_world(database_url) as world:
        coordinator_id = world.account(Role.COORDINATOR, name="PC10", chat_id=COORDINATOR_CHAT)
        lead = await referred(world)
        lead_id = str(lead.id)
        coordinator = world.person(COORDINATOR_CHAT)
        await coordinator.press_data(f"ld|{lead_id}|view")
        assert "0912345678" not in coordinator.text  # not escalated yet: not theirs to read
        _escalate(world, lead_id)
        await coordinator.press_data(f"ld|{lead_id}|view")
        assert str(lead.reference) in coordinator.text
        assert "Nguyễn Văn An" in coordinator.text and "0912345678" in coordinator.text
        # The coordinator reads; moving the referral on stays with the commune.
        assert [b.data for b in coordinator.buttons()] == [f"ld|{lead_id}|view"]
        with Session(world.engine) as session:
            reads = session.exec(
                select(AuditEntry).where(AuditEntry.lead_id == lead_id, AuditEntry.action == "read")
            ).all()
        assert [(r.account_id, r.via_account_id is not None) for r in reads] == [(coordinator_id, True)]


async def test_the_coordinator_reminds_the_officer_from_the_escalation(database_url: str) -> None:
    async with bot_world(database_url) as world:
        world.account(Role.COORDINATOR, name="PC10", chat_id=COORDINATOR_CHAT)
        world.account(Role.COMMUNE_POLICE, COMMUNE_A, name="CA phường Mỹ Xuyên", chat_id="5001")
        lead = await referred(world)
        lead_id = str(lead.id)
        coordinator = world.person(COORDINATOR_CHAT)
        await coordinator.press_data(f"ld|{lead_id}|remind")
        assert "Không tìm thấy hồ sơ" in coordinator.text  # not escalated yet: not theirs
        _escalate(world, lead_id)
        with Session(world.engine) as session:
            [escalation] = session.exec(
                select(OutboxMessage).where(OutboxMessage.purpose == "escalation")
            ).all()
        buttons = [b for row in escalation.payload["params"]["reply_markup"]["inline_keyboard"] for b in row]
        assert [b["callback_data"] for b in buttons] == [f"ld|{lead_id}|view", f"ld|{lead_id}|remind"]
        await coordinator.press_data(f"ld|{lead_id}|remind")
        assert "Đã gửi lời nhắc đến 1 cán bộ" in coordinator.text
        with Session(world.engine) as session:
            reminders = session.exec(
                select(OutboxMessage).where(OutboxMessage.purpose == "reminder_officer")
            ).all()
            audited = session.exec(
                select(AuditEntry).where(AuditEntry.lead_id == lead_id, AuditEntry.action == "remind")
            ).all()
        assert len(reminders) == 1 and str(lead.reference) in reminders[0].payload["params"]["text"]
        assert len(audited) == 1 and audited[0].via_account_id is not None


async def test_the_bank_in_chat_is_sent_to_the_console_for_amounts(database_url: str) -> None:
    async with bot_world(database_url) as world:
        world.account(Role.COMMUNE_POLICE, COMMUNE_A, name="CA phường Mỹ Xuyên", chat_id="5001")
        world.account(Role.BANK, COMMUNE_A, name="NHCSXH", chat_id="6001")
        lead = await referred(world)
        lead_id = str(lead.id)
        police = world.person("5001")
        for status in ("received", "listed", "sent_to_bank"):
            await police.press_data(f"ld|{lead_id}|{status}")
        banker = world.person("6001")
        await banker.press_data(f"ld|{lead_id}|view")
        # Approval needs an amount: no button that would fail, a pointer to the console instead.
        assert "/dangnhap" in banker.text
        assert f"ld|{lead_id}|approved" not in [b.data for b in banker.buttons()]
        await banker.press_data(f"ld|{lead_id}|approved")  # an older message's button
        assert "/dangnhap" in banker.text
