"""F10: each intake account has its own conversations, follow-ups and erasure; another intake
account neither reads, overwrites nor deletes them. F11: erasing a person through
`DELETE /people/...` also forgets the conversation and cancels what was still to be sent to them."""

from __future__ import annotations

from sqlmodel import Session, col, select

from api.models import Conversation, Followup, OutboxMessage
from api.roles import Role
from tests.harness import COMMUNE_A, Api
from tests.security_helpers import post_lead

URL = "/api/v1/conversations/telegram/1001"
FOLLOWUP = {"channel": "telegram", "channel_user": "1001", "kind": "after_release", "remind_on": "2027-01-04"}


def _followups(api: Api) -> list[Followup]:
    with Session(api.engine) as session:
        return list(session.exec(select(Followup).where(Followup.channel_user == "1001")))


def test_a_second_intake_account_cannot_touch_the_first_ones_conversation(api: Api) -> None:
    first, second = api.account(Role.INTAKE), api.account(Role.INTAKE)
    with api.client(first) as bot, api.client(second) as other:
        written = bot.put(URL, json={"state": {"step": "phone", "name": "An"}, "version": 0}).json()
        assert other.get(URL).json() == {"state": {}, "version": 0}  # not the first one's
        stolen = other.put(URL, json={"state": {"step": "evil"}, "version": written["version"]})
        assert stolen.status_code == 409  # its own conversation, never started: no such version
        own = other.put(URL, json={"state": {"step": "menu"}, "version": 0})
        assert own.status_code == 200
        assert other.delete(URL).status_code == 204
        assert bot.get(URL).json() == written
        assert (
            bot.put(URL, json={"state": {"step": "done"}, "version": written["version"]}).status_code == 200
        )


def test_a_second_intake_account_cannot_erase_the_first_ones_follow_ups(api: Api) -> None:
    first, second = api.account(Role.INTAKE), api.account(Role.INTAKE)
    with api.client(first) as bot:
        assert bot.post("/api/v1/followups", json=FOLLOWUP).status_code == 201
    with api.client(second) as other:
        assert other.delete("/api/v1/people/telegram/1001").json() == {"erased": 0}
        assert other.delete("/api/v1/followups/telegram/1001").json() == {"deleted": 0}
        # Its own follow-up for the same person is its own, not a move of the first one's.
        assert (
            other.post("/api/v1/followups", json={**FOLLOWUP, "remind_on": "2027-03-01"}).status_code == 201
        )
    assert sorted(str(f.remind_on) for f in _followups(api)) == ["2027-01-04", "2027-03-01"]
    with api.client(first) as bot:
        assert bot.delete("/api/v1/followups/telegram/1001").json() == {"deleted": 1}
    assert [str(f.remind_on) for f in _followups(api)] == ["2027-03-01"]


def test_erasing_a_person_forgets_their_conversation_and_what_was_to_be_sent(api: Api) -> None:
    intake = api.account(Role.INTAKE)
    officer = api.account(Role.COMMUNE_POLICE, COMMUNE_A, chat_id="5001")
    lead_id = post_lead(api, intake, "e1")
    with api.client(officer) as client:
        assert client.post(f"/api/v1/leads/{lead_id}/status", json={"status": "received"}).status_code == 200
    with api.client(intake) as bot:
        assert bot.put(URL, json={"state": {"step": "menu"}, "version": 0}).status_code == 200
        assert bot.post("/api/v1/followups", json=FOLLOWUP).status_code == 201

        def to_person() -> list[OutboxMessage]:
            with Session(api.engine) as session:
                return list(
                    session.exec(
                        select(OutboxMessage).where(
                            OutboxMessage.target == "1001", col(OutboxMessage.status) == "pending"
                        )
                    )
                )

        assert [m.purpose for m in to_person()] == ["status_update"]
        assert bot.delete("/api/v1/people/telegram/1001").json() == {"erased": 1}
        assert to_person() == []
        assert bot.get(URL).json() == {"state": {}, "version": 0}
    assert _followups(api) == []
    with Session(api.engine) as session:
        assert session.exec(select(Conversation)).all() == []
        # The officer's own message about the lead (no personal data) is not the person's: kept.
        assert session.exec(select(OutboxMessage).where(OutboxMessage.target == "5001")).all() != []
