"""The loop closed (issue 15) over real HTTP: the bank's decisions with amounts checked against
Decision 22's caps, told to the commune's officer (linked chat) and, discreetly, to the person;
a referral handed to another commune; the coordinator's page, reminder and figures."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlmodel import Session, col, select

from api.jobs.escalation import escalate_unreceived
from api.models import AuditEntry, Lead, OutboxMessage
from api.roles import Role
from content.discreet import forbidden_words_in
from tests.console_harness import ConsoleApi, csrf_of, running_console, sign_in
from tests.harness import COMMUNE_A, COMMUNE_B

# A Tuesday in Vietnam (10:00 local), an ordinary working day.
FIXED = datetime(2026, 3, 3, 3, 0, tzinfo=UTC)
OFFICER_CHAT, OTHER_CHAT, BANK_CHAT, COORDINATOR_CHAT, PERSON_CHAT = "5001", "5002", "6001", "9001", "1001"


@pytest.fixture
def api(database_url: str) -> Iterator[ConsoleApi]:
    with running_console(database_url) as running:
        running.clock.fixed = FIXED
        yield running


def _messages(api: ConsoleApi, chat: str) -> list[str]:
    with Session(api.engine) as session:
        rows = session.exec(
            select(OutboxMessage)
            .where(OutboxMessage.kind == "telegram", OutboxMessage.target == chat)
            .order_by(col(OutboxMessage.id))
        ).all()
    return [str(row.payload["params"]["text"]) for row in rows]


def _staff(api: ConsoleApi) -> dict[str, str]:
    return {
        "intake": api.account(Role.INTAKE),
        "police": api.account(Role.COMMUNE_POLICE, COMMUNE_A, name="CA phường A", chat_id=OFFICER_CHAT),
        "other": api.account(Role.COMMUNE_POLICE, COMMUNE_B, name="CA xã B", chat_id=OTHER_CHAT),
        "bank": api.account(Role.BANK, COMMUNE_A, name="NHCSXH A", chat_id=BANK_CHAT),
        "coordinator": api.account(Role.COORDINATOR, name="PC10", chat_id=COORDINATOR_CHAT),
    }


def _move(client: httpx.Client, lead_id: str, **body: object) -> httpx.Response:
    return client.post(f"/api/v1/leads/{lead_id}/status", json=body)


def _to_bank(api: ConsoleApi, staff: dict[str, str], lead_id: str) -> None:
    with api.client(staff["police"]) as police:
        for status in ("received", "listed", "sent_to_bank"):
            assert _move(police, lead_id, status=status).status_code == 200


def test_the_banks_decisions_are_bounded_and_flow_back_to_officer_and_person(api: ConsoleApi) -> None:
    staff = _staff(api)
    lead = api.referral(staff["intake"], "loop-1", COMMUNE_A)
    lead_id = str(lead["id"])
    _to_bank(api, staff, lead_id)
    day = "2026-03-03"
    with api.client(staff["bank"]) as bank:
        # No amount, a zero, more than the cap of Decision 22 (100 million for a person's production
        # loan), a date on approval: all refused with a clear 422.
        assert _move(bank, lead_id, status="approved").status_code == 422
        assert _move(bank, lead_id, status="approved", amount=0).status_code == 422
        over = _move(bank, lead_id, status="approved", amount=100_000_001)
        assert over.status_code == 422 and "100000000" in over.text
        assert _move(bank, lead_id, status="approved", amount=5, on_date=day).status_code == 422
        approved = _move(bank, lead_id, status="approved", amount=40_000_000)
        assert approved.status_code == 200 and approved.json()["approved_amount"] == 40_000_000
        # The payout: a date and an amount, never more than approved, never in the future or before
        # the approval.
        assert _move(bank, lead_id, status="disbursed", amount=40_000_000).status_code == 422
        assert _move(bank, lead_id, status="disbursed", amount=40_000_001, on_date=day).status_code == 422
        assert (
            _move(bank, lead_id, status="disbursed", amount=40_000_000, on_date="2026-03-04").status_code
            == 422
        )
        assert (
            _move(bank, lead_id, status="disbursed", amount=40_000_000, on_date="2026-03-02").status_code
            == 422
        )
        paid = _move(bank, lead_id, status="disbursed", amount=35_000_000, on_date=day)
        assert paid.status_code == 200, paid.text
        assert (paid.json()["disbursed_amount"], paid.json()["disbursed_on"]) == (35_000_000, day)
        events = bank.get(f"/api/v1/leads/{lead_id}/events").json()["data"]
    assert [e["details"] for e in events if e["to_status"] in ("approved", "disbursed")] == [
        {"amount": 40_000_000},
        {"amount": 35_000_000, "on_date": day},
    ]
    officer = _messages(api, OFFICER_CHAT)
    reference = str(lead["reference"])
    assert any("đã duyệt" in text and "40.000.000 đồng" in text and reference in text for text in officer)
    assert any("giải ngân" in text and "35.000.000 đồng" in text and "03/03/2026" in text for text in officer)
    person = _messages(api, PERSON_CHAT)
    assert any("đã được ngân hàng duyệt" in text for text in person)
    assert any("đã được giải ngân" in text for text in person)
    assert all(not forbidden_words_in(text) for text in person)
    assert not _messages(api, OTHER_CHAT)


def test_the_banks_decline_gives_the_person_the_reason_and_the_remedy(api: ConsoleApi) -> None:
    staff = _staff(api)
    lead_id = str(api.referral(staff["intake"], "loop-2", COMMUNE_A, lang="en")["id"])
    _to_bank(api, staff, lead_id)
    with api.client(staff["bank"]) as bank:
        assert (
            _move(bank, lead_id, status="declined", reason="bank_refused", note="nợ quá hạn").status_code
            == 200
        )
    [declined] = [t for t in _messages(api, PERSON_CHAT) if "not accepted" in t]
    assert "the bank did not approve the loan" in declined and "transaction point" in declined
    assert "nợ quá hạn" not in declined  # never the officer's free text
    assert any("Ngân hàng không chấp thuận" in t for t in _messages(api, OFFICER_CHAT))


def test_the_bank_decides_in_the_console(api: ConsoleApi) -> None:
    staff = _staff(api)
    lead_id = str(api.referral(staff["intake"], "loop-3", COMMUNE_A)["id"])
    _to_bank(api, staff, lead_id)
    browser = sign_in(api, api.login_link(api.account_id(staff["bank"])))
    page = browser.get(f"/console/referrals/{lead_id}")
    assert page.status_code == 200 and 'id="approve-form"' in page.text and "100.000.000 đồng" in page.text
    token = csrf_of(page.text)
    post = f"/console/referrals/{lead_id}/status"
    refused = browser.post(post, data={"csrf_token": token, "status": "approved", "amount": "200.000.000"})
    assert refused.status_code == 422 and "vượt mức tối đa" in refused.text
    bad = browser.post(post, data={"csrf_token": token, "status": "approved", "amount": "năm mươi"})
    assert bad.status_code == 422
    done = browser.post(post, data={"csrf_token": token, "status": "approved", "amount": "50.000.000"})
    assert done.status_code == 303
    page = browser.get(f"/console/referrals/{lead_id}")
    assert 'id="disburse-form"' in page.text and "50.000.000 đồng" in page.text
    paid = browser.post(
        post, data={"csrf_token": token, "status": "disbursed", "amount": "50000000", "on_date": "2026-03-03"}
    )
    assert paid.status_code == 303
    with api.client(staff["police"]) as police:
        seen = police.get(f"/api/v1/leads/{lead_id}").json()
    assert (seen["status"], seen["disbursed_amount"], seen["disbursed_on"]) == (
        "disbursed",
        50_000_000,
        "2026-03-03",
    )


def test_a_referral_moves_to_another_commune(api: ConsoleApi) -> None:
    staff = _staff(api)
    lead = api.referral(staff["intake"], "loop-4", COMMUNE_A)
    lead_id = str(lead["id"])
    with api.client(staff["police"]) as police:
        assert _move(police, lead_id, status="received").status_code == 200
        assert (
            police.post(
                f"/api/v1/leads/{lead_id}/transfer", json={"commune_code": COMMUNE_A, "reason": "x"}
            ).status_code
            == 422
        )
        assert (
            police.post(
                f"/api/v1/leads/{lead_id}/transfer", json={"commune_code": "00001", "reason": "x"}
            ).status_code
            == 422
        )
    with api.client(staff["bank"]) as bank:
        assert (
            bank.post(
                f"/api/v1/leads/{lead_id}/transfer", json={"commune_code": COMMUNE_B, "reason": "x"}
            ).status_code
            == 403
        )
    # In the console, by name.
    browser = sign_in(api, api.login_link(api.account_id(staff["police"])))
    page = browser.get(f"/console/referrals/{lead_id}")
    assert 'id="transfer"' in page.text
    from api.wards import ward_name

    name_b = ward_name(COMMUNE_B)
    assert name_b is not None
    token = csrf_of(page.text)
    path = f"/console/referrals/{lead_id}/transfer"
    assert browser.post(path, data={"csrf_token": token, "commune": name_b, "reason": ""}).status_code == 422
    unknown = browser.post(
        path, data={"csrf_token": token, "commune": "Không có xã này", "reason": "chuyển nhà"}
    )
    assert unknown.status_code == 422 and "Không tìm thấy" in unknown.text
    moved = browser.post(
        path, data={"csrf_token": token, "commune": name_b, "reason": "Đã chuyển về ở với gia đình"}
    )
    assert moved.status_code == 303
    # The old commune: 404 in the console and the API; the new one sees it and heard about it.
    assert browser.get(f"/console/referrals/{lead_id}").status_code == 404
    with api.client(staff["police"]) as police, api.client(staff["other"]) as other:
        assert police.get(f"/api/v1/leads/{lead_id}").status_code == 404
        seen = other.get(f"/api/v1/leads/{lead_id}").json()
        assert (seen["commune_code"], seen["status"]) == (COMMUNE_B, "received")
        events = other.get(f"/api/v1/leads/{lead_id}/events").json()["data"]
    [step] = [e for e in events if e["reason"] == "transferred"]
    assert step["details"] == {"from_commune": COMMUNE_A, "to_commune": COMMUNE_B}
    assert step["from_status"] == step["to_status"] == "received"
    [told] = _messages(api, OTHER_CHAT)
    assert str(lead["reference"]) in told and name_b in told
    person = [t for t in _messages(api, PERSON_CHAT) if name_b in t]
    assert len(person) == 1 and not forbidden_words_in(person[0])
    other_browser = sign_in(api, api.login_link(api.account_id(staff["other"])))
    assert str(lead["reference"]) in other_browser.get("/console/?queue=in_progress").text
    timeline = other_browser.get(f"/console/referrals/{lead_id}").text
    assert "Đã chuyển về ở với gia đình" in timeline and "Chuyển từ" in timeline
    with Session(api.engine) as session:
        audited = session.exec(select(AuditEntry).where(AuditEntry.action == "transfer")).all()
    assert len(audited) == 1
    # Listed referrals belong to a commune's list: no more transfers.
    with api.client(staff["other"]) as other:
        assert _move(other, lead_id, status="listed").status_code == 200
        late = other.post(
            f"/api/v1/leads/{lead_id}/transfer", json={"commune_code": COMMUNE_A, "reason": "x"}
        )
        assert late.status_code == 409


def _escalate(api: ConsoleApi, lead_id: str) -> None:
    with Session(api.engine) as session:
        lead = session.exec(select(Lead).where(Lead.id == lead_id)).one()
        lead.created_at = FIXED - timedelta(days=14)
        lead.assigned_at = FIXED - timedelta(days=14)
        lead.escalated_at = FIXED - timedelta(days=1)
        session.add(lead)
        session.commit()


def test_the_coordinator_sees_overdue_referrals_reminds_and_reassigns(api: ConsoleApi) -> None:
    staff = _staff(api)
    late = api.referral(staff["intake"], "loop-5", COMMUNE_A)
    api.referral(staff["intake"], "loop-6", COMMUNE_B, channel_user="1002")  # not escalated
    _escalate(api, str(late["id"]))
    # Only the coordinator has the page.
    police = sign_in(api, api.login_link(api.account_id(staff["police"])))
    assert police.get("/console/coordinator").status_code == 404
    browser = sign_in(api, api.login_link(api.account_id(staff["coordinator"])))
    assert 'href="/console/coordinator"' in browser.get("/console/").text
    page = browser.get("/console/coordinator")
    assert page.status_code == 200
    assert str(late["reference"]) in page.text and "CA phường A" in page.text
    # The province's figures: 2 referrals, both new; the one not escalated shows no name.
    assert 'id="fig-total">2<' in page.text
    # Remind: a Telegram message to the officer's linked chat, recorded in the timeline.
    done = browser.post(f"/console/coordinator/remind/{late['id']}", data={"csrf_token": csrf_of(page.text)})
    assert done.status_code == 303
    assert "1 cán bộ" in browser.get(done.headers["location"]).text
    [reminder] = _messages(api, OFFICER_CHAT)[1:]
    assert "nhắc" in reminder and str(late["reference"]) in reminder
    assert "Điều phối viên nhắc" in browser.get(f"/console/referrals/{late['id']}").text
    # Without the form's token: refused.
    assert browser.post(f"/console/coordinator/remind/{late['id']}", data={}).status_code == 403
    # The same through the API (the bot's button for a linked chat uses it).
    with api.client(staff["coordinator"]) as coordinator:
        assert coordinator.post(f"/api/v1/leads/{late['id']}/remind").json() == {"chats": 1}
        # Reassign: the coordinator hands the escalated referral to another commune.
        moved = coordinator.post(
            f"/api/v1/leads/{late['id']}/transfer",
            json={"commune_code": COMMUNE_B, "reason": "Người dân chuyển nơi ở"},
        )
        assert moved.status_code == 200 and moved.json()["commune_code"] == COMMUNE_B
    with api.client(staff["police"]) as old:
        assert old.post(f"/api/v1/leads/{late['id']}/remind").status_code == 403
    assert any(str(late["reference"]) in t for t in _messages(api, OTHER_CHAT))


def test_a_transferred_escalated_referral_starts_clean_in_its_new_commune(api: ConsoleApi) -> None:
    """The old commune's delay is not the new one's: the escalation is cleared, the working days
    count from the transfer, the timeline keeps the transfer; late again, it is escalated again."""
    staff = _staff(api)
    late = api.referral(staff["intake"], "loop-7", COMMUNE_A)
    lead_id = str(late["id"])
    api.set_created(lead_id, FIXED - timedelta(days=14))
    with Session(api.engine) as session:  # the job escalates it, an hour before the transfer
        assert escalate_unreceived(session, now=FIXED - timedelta(hours=1)) == 1
    with api.client(staff["coordinator"]) as coordinator:
        moved = coordinator.post(
            f"/api/v1/leads/{lead_id}/transfer", json={"commune_code": COMMUNE_B, "reason": "Chuyển nơi ở"}
        )
        assert moved.status_code == 200, moved.text
        # No longer escalated: out of the coordinator's sight.
        assert coordinator.get(f"/api/v1/leads/{lead_id}").status_code == 404
    with Session(api.engine) as session:
        lead = session.exec(select(Lead).where(Lead.id == lead_id)).one()
        assert lead.escalated_at is None and lead.commune_code == COMMUNE_B
        assert lead.assigned_at is not None and lead.assigned_at.replace(tzinfo=UTC) == FIXED
    other = sign_in(api, api.login_link(api.account_id(staff["other"])))
    page = other.get(f"/console/referrals/{lead_id}").text
    assert "Còn 2 ngày làm việc để tiếp nhận" in page and "Quá hạn tiếp nhận" not in page
    assert "Chuyển từ" in page and "Chuyển nơi ở" in page
    assert str(late["reference"]) not in other.get("/console/?queue=overdue").text
    # Commune B's own two working days (Wednesday, Thursday 10:00 local): escalated again then only.
    with Session(api.engine) as session:
        assert escalate_unreceived(session, now=FIXED + timedelta(days=1)) == 0
        assert escalate_unreceived(session, now=FIXED + timedelta(days=2)) == 1
    told = [t for t in _messages(api, COORDINATOR_CHAT) if str(late["reference"]) in t]
    assert len(told) == 2 and "CA phường A" in told[0] and "CA xã B" in told[1]
