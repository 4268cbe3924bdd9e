"""Group-committed intake (`LeadWriter`): concurrent leads share transactions, yet each one is stored
once, with its history and notifications, and a revoked token stops at once."""

from __future__ import annotations

import asyncio
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import event, text
from sqlmodel import Session, col, select

from api import migrate
from api.actor import Actor
from api.core.db import make_engine
from api.models import Account, Lead, LeadEvent, OutboxMessage
from api.roles import Role
from api.schemas import LeadCreate
from api.services import accounts
from api.services.lead_writer import LeadWriter
from api.services.leads import NewLead, create_leads
from api.services.screening import screen
from tests.harness import COMMUNE_A, COMMUNE_B, Api, lead_body


def test_concurrent_intake_stores_each_lead_once_with_history_and_notifications(api: Api) -> None:
    intake = api.account(Role.INTAKE)
    api.account(Role.COMMUNE_POLICE, COMMUNE_A, chat_id="5001")
    coordinator = api.account(Role.COORDINATOR)
    with api.client(coordinator) as client:
        assert client.post("/api/v1/webhooks", json={"url": "https://agency.example/hook"}).status_code == 201

    def post(n: int) -> tuple[int, str]:
        commune = COMMUNE_A if n % 2 else COMMUNE_B
        with api.client(intake) as client:
            response = client.post("/api/v1/leads", json=lead_body(f"batch-{n}", commune=commune))
            return response.status_code, response.json()["id"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(post, range(40)))
    assert Counter(status for status, _ in results) == {201: 40}
    ids = {lead_id for _, lead_id in results}
    assert len(ids) == 40

    with Session(api.engine) as session:
        leads = session.exec(select(Lead)).all()
        assert {lead.id for lead in leads} == ids
        assert len({lead.reference for lead in leads}) == 40
        events = session.exec(select(LeadEvent)).all()
        assert Counter(e.lead_id for e in events) == dict.fromkeys(ids, 1)
        assert all(e.to_status == "new" and e.from_status is None for e in events)
        outbox = session.exec(select(OutboxMessage)).all()
    officer_messages = [m for m in outbox if m.kind == "telegram"]
    commune_a = {lead.id for lead in leads if lead.commune_code == COMMUNE_A}
    assert {m.dedupe_key.split(":")[1] for m in officer_messages} == commune_a
    assert all(m.target == "5001" and m.purpose == "lead_new" for m in officer_messages)
    assert all(m.payload["params"]["reply_markup"]["inline_keyboard"] for m in officer_messages)
    hooks = [m for m in outbox if m.kind == "webhook"]
    assert sorted(m.payload["lead_id"] for m in hooks) == sorted(ids)
    assert all(m.purpose == "lead.created" and "contact" not in m.payload for m in hooks)


def test_a_revoked_intake_token_is_refused_at_once(api: Api) -> None:
    admin = api.account(Role.ADMIN)
    intake = api.account(Role.INTAKE, name="the bot")
    with api.client(intake) as bot:
        assert bot.post("/api/v1/leads", json=lead_body("before")).status_code == 201
        with Session(api.engine) as session:
            account_id = session.exec(select(Account.id).where(Account.name == "the bot")).one()
        with api.client(admin) as client:
            assert client.post(f"/api/v1/accounts/{account_id}/revoke").status_code == 200
        refused = bot.post("/api/v1/leads", json=lead_body("after"))
        assert refused.status_code == 401
        assert refused.json()["error"]["message"] == "unknown or revoked token"
        assert bot.post("/api/v1/leads", json=lead_body("again")).status_code == 401
    with Session(api.engine) as session:
        assert session.exec(select(Lead.idempotency_key)).all() == ["before"]


def _items(actor: Actor, *keys: str) -> list[NewLead]:
    items = []
    for key in keys:
        body = LeadCreate.model_validate(lead_body(key))
        items.append(NewLead(actor, body, screen(body.applicant, body.answers, body.lang)))
    return items


def _intake_actor(database_url: str) -> tuple[Any, Actor]:
    migrate.upgrade(database_url)
    engine = make_engine(database_url)
    with Session(engine, expire_on_commit=False) as session:
        account, _ = accounts.create_account(session, name="bot", role=Role.INTAKE)
    return engine, Actor(account, Role.INTAKE, ())


def test_a_key_repeated_within_one_batch_is_one_lead(database_url: str) -> None:
    engine, actor = _intake_actor(database_url)
    try:
        with engine.connect() as conn:
            first = create_leads(conn, _items(actor, "k1", "k1", "k2"))
            conn.commit()
            again = create_leads(conn, _items(actor, "k2", "k3"))
            conn.commit()
        assert [created for _, created in first] == [True, False, True]
        assert first[0][0].id == first[1][0].id
        assert again[0][0].id == first[2][0].id and [c for _, c in again] == [False, True]
        with Session(engine) as session:
            assert sorted(session.exec(select(Lead.idempotency_key)).all()) == ["k1", "k2", "k3"]
            assert len(session.exec(select(LeadEvent)).all()) == 3
    finally:
        engine.dispose()


def test_a_key_stored_by_another_process_meanwhile_answers_with_that_lead(postgres_url: str) -> None:
    """Two `serve` processes on one PostgreSQL database: the batch loses the race for one key; its
    other leads are stored, and the loser's request gets the winner's lead."""
    engine, actor = _intake_actor(postgres_url)
    other = make_engine(postgres_url)
    raced = False

    def other_process_wins(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        nonlocal raced
        if raced or not statement.startswith("INSERT INTO lead "):
            return
        raced = True
        with other.connect() as other_conn:
            create_leads(other_conn, _items(actor, "contested"))
            other_conn.commit()

    event.listen(engine, "before_cursor_execute", other_process_wins)
    try:
        writer = LeadWriter(engine)

        async def submit() -> list[tuple[Lead, bool]]:
            items = _items(actor, "mine-1", "contested", "mine-2")
            try:
                return list(await asyncio.gather(*(writer.create(item) for item in items)))
            finally:
                await writer.close()

        results = asyncio.run(submit())
        assert raced
        assert [(lead.idempotency_key, created) for lead, created in results] == [
            ("mine-1", True),
            ("contested", False),
            ("mine-2", True),
        ]
        with Session(engine) as session:
            stored = session.exec(select(Lead).order_by(col(Lead.idempotency_key))).all()
            assert [lead.idempotency_key for lead in stored] == ["contested", "mine-1", "mine-2"]
            assert results[1][0].id == stored[0].id
            assert session.execute(text("SELECT count(*) FROM lead_event")).scalar_one() == 3
    finally:
        engine.dispose()
        other.dispose()
