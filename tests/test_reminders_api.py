"""Over real HTTP: marking an obligation done (directly and through the bot), the coordinator's status
view, the calendar feed, people's follow-ups (sent once, discreetly; erased with the person)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from icalendar import Calendar
from sqlalchemy import inspect
from sqlmodel import Session, select

from api import migrate
from api.core.db import make_engine
from api.models import Account, Followup, OutboxMessage
from api.reminders.followups import send_due_followups
from api.roles import Role
from api.services import accounts
from content.catalog import get_content
from content.discreet import forbidden_words_in
from tests.harness import COMMUNE_A, COMMUNE_B, Api

BOT_CHAT = "5001"


def agency(api: Api, kind: str, name: str) -> str:
    with Session(api.engine) as session:
        _account, token = accounts.create_account(session, name=name, role=Role.AGENCY, agency_kind=kind)
    return token


def account_id(api: Api, name: str) -> int:
    with Session(api.engine) as session:
        account = session.exec(select(Account).where(Account.name == name)).one()
    assert account.id is not None
    return account.id


def test_done_marking_directly_and_through_the_bot(api: Api) -> None:
    police = api.account(Role.COMMUNE_POLICE, COMMUNE_A, name="CA phường A", chat_id=BOT_CHAT)
    bank = api.account(Role.BANK, COMMUNE_A, name="NHCSXH")
    intake = api.account(Role.INTAKE, name="bot")
    coordinator = api.account(Role.COORDINATOR, name="PC10")
    media = agency(api, "department_culture", "Sở VHTT&DL")
    finance = agency(api, "department_finance", "Sở Tài chính")
    with api.client(police) as client:
        first = client.post("/api/v1/obligations/monthly_list/2027-02/done")
        assert first.status_code == 201, first.text
        assert first.json()["message"].startswith('Đã ghi nhận hoàn thành "Danh sách')
        again = client.post("/api/v1/obligations/monthly_list/2027-02/done")
        assert again.status_code == 200 and again.json()["done_at"] == first.json()["done_at"]
        assert client.post("/api/v1/obligations/half_year_report/2027-H1/done").status_code == 403
        assert client.post("/api/v1/obligations/no_such_thing/2027-02/done").status_code == 404
        assert client.post("/api/v1/obligations/monthly_list/2027-Q1/done").status_code == 422
        assert client.post("/api/v1/obligations/monthly_list/2027-13/done").status_code == 422
        assert client.post("/api/v1/obligations/monthly_list/0999-01/done").status_code == 422
        other = account_id(api, "NHCSXH")
        assert client.post(f"/api/v1/obligations/targets/2027/done?account_id={other}").status_code == 403
    # The button `rm|monthly_list|2027-03|done` pressed in the officer's chat: the bot acts for it.
    with api.client(intake, **{"X-Acting-Chat": BOT_CHAT}) as as_officer:
        pressed = as_officer.post("/api/v1/obligations/monthly_list/2027-03/done")
    assert pressed.status_code == 201
    assert pressed.json()["account_id"] == account_id(api, "CA phường A")
    assert pressed.json()["by_account_id"] == account_id(api, "bot")
    with api.client(intake, **{"X-Acting-Chat": "424242"}) as stranger:
        assert stranger.post("/api/v1/obligations/monthly_list/2027-03/done").status_code == 403
    with api.client(bank) as client:
        assert client.post("/api/v1/obligations/half_year_report/2027-H1/done").status_code == 201
    with api.client(media) as client:
        assert client.post("/api/v1/obligations/quarterly_media/2027-Q1/done").status_code == 201
    with api.client(finance) as client:
        assert client.post("/api/v1/obligations/quarterly_media/2027-Q1/done").status_code == 403
    # The coordinator records a mark for a body that reported on paper.
    with api.client(coordinator) as client:
        on_paper = client.post(
            f"/api/v1/obligations/monthly_list/2027-04/done?account_id={account_id(api, 'CA phường A')}"
        )
        assert on_paper.status_code == 201


def test_the_coordinator_sees_done_late_pending_and_missing(api: Api) -> None:
    early = api.account(Role.COMMUNE_POLICE, COMMUNE_A, name="CA A")
    api.account(Role.COMMUNE_POLICE, COMMUNE_B, name="CA B")
    api.account(Role.BANK, COMMUNE_A, name="NHCSXH")
    coordinator = api.account(Role.COORDINATOR, name="PC10")
    with api.client(early) as client:
        assert client.post("/api/v1/obligations/monthly_list/2026-06/done").status_code == 201
        assert client.get("/api/v1/obligations").status_code == 403
    with api.client(coordinator) as client:
        past = client.get("/api/v1/obligations", params={"period": "2026-06", "lang": "en"}).json()
        future = client.get("/api/v1/obligations", params={"period": "2030-Q1"}).json()
        assert client.get("/api/v1/obligations", params={"period": "2026-6"}).status_code == 422
        assert client.get("/api/v1/obligations", params={"deadline_id": "nope"}).status_code == 404
        one = client.get("/api/v1/obligations", params={"period": "2026", "deadline_id": "annual_report"})
    by_id = {item["deadline_id"]: item for item in past["data"]}
    assert past["count"] == len(past["data"])
    # June 2026: the monthly list (5th), the half-year report (14th), the quarter's media task and the
    # first inspection (30th).
    assert set(by_id) == {"monthly_list", "half_year_report", "quarterly_media", "inspections"}
    monthly = by_id["monthly_list"]
    assert monthly["due"] == "2026-06-05" and monthly["period"] == "2026-06"
    assert monthly["escalation_on"] == "2026-06-09"
    assert {a["name"]: a["status"] for a in monthly["accounts"]} == {"CA A": "done", "CA B": "late"}
    assert monthly["counts"] == {"done": 1, "late": 1, "pending": 0, "missing": 0}
    report = by_id["half_year_report"]
    assert [a["name"] for a in report["accounts"]] == ["NHCSXH"]
    assert "Department of Finance" in [m["name"] for m in report["missing"]]
    assert report["what"].startswith("Half-year report")
    statuses = {a["status"] for item in future["data"] for a in item["accounts"]}
    assert statuses == {"pending"}
    assert [(i["deadline_id"], i["period"]) for i in one.json()["data"]] == [("annual_report", "2026")]


def test_calendar_feed_parses_and_takes_the_token_in_the_url(api: Api) -> None:
    police = api.account(Role.COMMUNE_POLICE, COMMUNE_A, name="CA A")
    coordinator = api.account(Role.COORDINATOR, name="PC10")
    intake = api.account(Role.INTAKE, name="bot")
    with api.client() as anonymous:
        feed = anonymous.get("/api/v1/calendar.ics", params={"token": police})
        assert anonymous.get("/api/v1/calendar.ics").status_code == 401
        assert anonymous.get("/api/v1/calendar.ics", params={"token": "bm_wrong"}).status_code == 401
        assert anonymous.get("/api/v1/calendar.ics", params={"token": intake}).status_code == 403
        english = anonymous.get("/api/v1/calendar.ics", params={"token": police, "lang": "en"})
    assert feed.status_code == 200, feed.text
    assert feed.headers["content-type"].startswith("text/calendar")
    events = [c for c in Calendar.from_ical(feed.content).walk("VEVENT")]
    deadlines = {str(e.get("categories").cats[0]) for e in events}
    assert deadlines == {"monthly_list", "targets"}  # the commune police's obligations
    monthly = [e for e in events if str(e.get("categories").cats[0]) == "monthly_list"]
    assert 12 <= len(monthly) <= 20  # one per month for a year, plus days-before for holidays
    assert all(e.decoded("dtstart").day in range(1, 6) for e in monthly)
    assert len({str(e.get("uid")) for e in events}) == len(events)
    assert str(monthly[0].get("summary")).startswith("Danh sách")
    english_events = list(Calendar.from_ical(english.content).walk("VEVENT"))
    assert str(english_events[0].get("summary")).startswith("List of")
    with api.client(coordinator) as client:
        everything = client.get("/api/v1/calendar.ics")
    every = {str(e.get("categories").cats[0]) for e in Calendar.from_ical(everything.content).walk("VEVENT")}
    assert every == {d.id for d in get_content().deadlines.deadlines}


def _followups_sent(api: Api) -> list[OutboxMessage]:
    with Session(api.engine) as session:
        return list(session.exec(select(OutboxMessage).where(OutboxMessage.purpose == "followup")).all())


def test_a_follow_up_is_sent_once_on_its_day_discreetly_and_erased_with_the_person(api: Api) -> None:
    intake = api.account(Role.INTAKE, name="bot")
    body = {
        "channel": "telegram",
        "channel_user": "1001",
        "kind": "after_release",
        "remind_on": "2027-03-01",
        "lang": "vi",
    }
    with api.client(intake) as client:
        created = client.post("/api/v1/followups", json=body)
        assert created.status_code == 201, created.text
        assert client.post("/api/v1/followups", json={**body, "remind_on": "2027-03-02"}).status_code == 200
        assert client.post("/api/v1/followups", json={**body, "kind": "nope"}).status_code == 422
        assert client.post("/api/v1/followups", json={**body, "channel": "zalo"}).status_code == 422
        assert (
            client.post(
                "/api/v1/followups",
                json={**body, "channel_user": "1002", "lang": "km", "remind_on": "2027-03-02"},
            ).status_code
            == 201
        )
    with api.client(api.account(Role.COMMUNE_POLICE, COMMUNE_A)) as officer:
        assert officer.post("/api/v1/followups", json=body).status_code == 403

    def morning(day: date) -> datetime:
        return datetime.combine(day, time(2), tzinfo=UTC)  # 09:00 in Vietnam

    assert send_due_followups(api.engine, morning(date(2027, 3, 1))) == 0  # moved to the 2nd
    assert send_due_followups(api.engine, morning(date(2027, 3, 2))) == 2
    assert send_due_followups(api.engine, morning(date(2027, 3, 3))) == 0
    sent = _followups_sent(api)
    assert sorted(m.target for m in sent) == ["1001", "1002"]
    for message in sent:
        assert forbidden_words_in(message.payload["params"]["text"]) == []
    texts = {m.target: m.payload["params"]["text"] for m in sent}
    assert texts["1001"].startswith("Bước Mới: đã đến ngày bạn hẹn")
    assert texts["1002"].startswith("Bước Mới៖")
    # A new day makes it due again, once.
    with api.client(intake) as client:
        moved = client.post("/api/v1/followups", json={**body, "remind_on": "2027-04-01"})
        assert moved.status_code == 200 and moved.json()["sent_at"] is None
    assert send_due_followups(api.engine, morning(date(2027, 4, 1))) == 1
    assert len(_followups_sent(api)) == 3
    # The person erases their data: their follow-ups go too; a DELETE cancels them on its own.
    with api.client(intake) as client:
        assert client.delete("/api/v1/people/telegram/1001").status_code == 200
        assert client.delete("/api/v1/followups/telegram/1002").json() == {"deleted": 1}
    with Session(api.engine) as session:
        assert session.exec(select(Followup)).all() == []


def test_reminder_tables_migrate_down_and_up(database_url: str) -> None:
    tables = {"reminder_sent", "obligation_done", "followup"}

    def present() -> set[str]:
        engine = make_engine(database_url)
        try:
            return set(inspect(engine).get_table_names()) & tables
        finally:
            engine.dispose()

    migrate.upgrade(database_url)
    assert present() == tables
    migrate.downgrade(database_url, "0003")
    assert present() == set()
    migrate.upgrade(database_url)
    assert present() == tables


def test_a_nul_character_is_refused_not_a_server_error(api: Api) -> None:
    intake = api.account(Role.INTAKE, name="bot")
    with api.client(intake) as client:
        response = client.delete("/api/v1/followups/telegram/%00")
    # SQLite stores it (nothing to delete); PostgreSQL refuses NUL in text: 422, never a 500.
    assert response.status_code in (200, 422), response.text
