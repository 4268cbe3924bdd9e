"""The inbox's quick queries (all counts in one pass, a page's ids before its rows, a whole phone
number found by index) give exactly what the plain queries give, over a few thousand realistic
referrals (the console benchmark's generator) for an officer, a bank office and the coordinator;
and the inbox over HTTP shows those counts and pages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlmodel import Session, col, func, select

from api.actor import Actor
from api.console import queues
from api.models import Account, Lead
from api.roles import Role
from api.services.accounts import communes_of
from bench.console_data import Generated, generate
from tests.console_harness import ConsoleApi, running_console, sign_in

FIXED = datetime(2026, 3, 3, 3, 0, tzinfo=UTC)  # a Tuesday morning in Vietnam


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ConsoleApi, Generated]]:
    # One database for the module (generating is the slow part); the tests only read it.
    import os

    from tests.conftest import _create_pg_database, _drop_pg_database, _is_postgres

    server = os.environ.get("DATABASE_URL")
    if _is_postgres(server):
        assert server is not None
        name, url = _create_pg_database(server)
    else:
        name, url = "", f"sqlite:///{tmp_path_factory.mktemp('queries')}/test.db"
    try:
        with running_console(url) as api:
            api.clock.fixed = FIXED
            yield api, generate(api.engine, 3000, now=FIXED)
    finally:
        if name:
            assert server is not None
            _drop_pg_database(server, name)


def _actor(session: Session, account_id: int) -> Actor:
    account = session.get(Account, account_id)
    assert account is not None
    return Actor(account, Role(account.role), tuple(communes_of(session, account)))


def _readers(data: Generated) -> list[int]:
    return [data.officer_id, data.bank_id, data.coordinator_id]


def _plain_page(session: Session, actor: Actor, query: queues.InboxQuery) -> list[str]:
    order = (
        col(Lead.created_at).asc()
        if query.queue in ("new", "due_soon", "overdue")
        else col(Lead.updated_at).desc()
    )
    rows = session.exec(
        select(Lead)
        .where(*query.conditions(actor, FIXED))
        .order_by(order, col(Lead.id))
        .offset((query.page - 1) * queues.PAGE_SIZE)
        .limit(queues.PAGE_SIZE)
    ).all()
    return [lead.id for lead in rows]


def test_counts_and_pages_match_the_plain_queries(loaded: tuple[ConsoleApi, Generated]) -> None:
    api, data = loaded
    with Session(api.engine) as session:
        for reader in _readers(data):
            actor = _actor(session, reader)
            name = data.samples[reader][0][1]
            for search in ("", " ".join(name.split()[-2:]), name.split()[0].lower()):
                query = queues.InboxQuery(queue="new", search=search)
                counted = queues.counts(session, actor, query, FIXED)
                plain = {
                    q: session.exec(
                        select(func.count()).select_from(Lead).where(*query.conditions(actor, FIXED, q))
                    ).one()
                    for q in queues.QUEUES
                }
                assert counted == plain
                assert sum(counted.values()) > 0
            for queue in queues.QUEUES:
                for page in (1, 2, 7):
                    query = queues.InboxQuery(queue=queue, page=page)
                    shown = [lead.id for lead in queues.page(session, actor, query, FIXED)]
                    assert shown == _plain_page(session, actor, query)


def test_a_whole_phone_number_in_any_form_or_a_part_of_it(loaded: tuple[ConsoleApi, Generated]) -> None:
    api, data = loaded
    with Session(api.engine) as session:
        actor = _actor(session, data.officer_id)
        phone = data.samples[data.officer_id][5][2]
        having = set(
            session.exec(
                select(Lead.id).where(Lead.contact_phone == phone, Lead.commune_code == data.officer_commune)
            ).all()
        )
        spaced = f"+84 {phone[1:4]} {phone[4:7]} {phone[7:]}"
        for typed in (phone, spaced, "84" + phone[1:], f"{phone[:4]}.{phone[4:7]}.{phone[7:]}"):
            query = queues.InboxQuery(queue="closed", search=typed)
            assert sum(queues.counts(session, actor, query, FIXED).values()) == len(having)
        # Part of a number still finds it (and maybe others).
        query = queues.InboxQuery(queue="closed", search=phone[-5:])
        found = {
            lead.id
            for queue in queues.QUEUES
            for lead in queues.page(session, actor, queues.InboxQuery(queue=queue, search=phone[-5:]), FIXED)
        }
        assert having <= found
        assert sum(queues.counts(session, actor, query, FIXED).values()) >= len(having)


def test_the_inbox_over_http_shows_the_counts_and_later_pages(loaded: tuple[ConsoleApi, Generated]) -> None:
    api, data = loaded
    browser = sign_in(api, api.login_link(data.bank_id))
    with Session(api.engine) as session:
        actor = _actor(session, data.bank_id)
        counts = queues.counts(session, actor, queues.InboxQuery(queue="closed"), FIXED)
        third = queues.page(session, actor, queues.InboxQuery(queue="closed", page=3), FIXED)
    page = browser.get("/console/", params={"queue": "closed", "page": 3})
    assert page.status_code == 200
    shown = re.findall(r'class="queue q-(\w+)".*?<span class="count">(\d+)</span>', page.text, re.S)
    assert {queue: int(n) for queue, n in shown} == counts
    assert re.findall(r'href="/console/referrals/(\w+)"', page.text) == [lead.id for lead in third]
