"""`/api/v1/conversations`: the bot's dialogue state, over HTTP to the real API. Versions guard
against stale writes, only the intake account may use it, and a revoked token stops at once even
though the bot's token is answered from memory."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from api.roles import Role
from tests.harness import COMMUNE_A, Api

URL = "/api/v1/conversations/telegram/5001"


def test_state_is_read_and_written_by_version(api: Api) -> None:
    with api.client(api.account(Role.INTAKE)) as bot:
        assert bot.get(URL).json() == {"state": {}, "version": 0}
        screening = {"flow": "screening", "answers": {"purpose": "x"}}
        first = bot.put(URL, json={"state": screening, "version": 0})
        assert first.status_code == 200
        started = first.json()["version"]
        assert first.json() == {"state": screening, "version": started}
        assert bot.get(URL).json() == first.json()
        moved = bot.put(URL, json={"state": {"flow": "menu"}, "version": started}).json()["version"]
        assert moved not in (0, started)
        # A write over a version already replaced, or a second start, is refused and changes nothing.
        stale = bot.put(URL, json={"state": {"flow": "stale"}, "version": started})
        assert stale.status_code == 409
        assert bot.put(URL, json={"state": {"flow": "again"}, "version": 0}).status_code == 409
        assert bot.get(URL).json() == {"state": {"flow": "menu"}, "version": moved}
        assert bot.get("/api/v1/conversations/telegram/5002").json()["version"] == 0


def test_a_conversation_forgotten_and_started_again_refuses_a_copy_of_the_old_one(api: Api) -> None:
    # A worker that kept the old conversation's version must not write over the new one: a new
    # conversation's version is drawn at random, so the old number does not come back.
    with api.client(api.account(Role.INTAKE)) as bot:
        kept: dict[int, int] = {}
        for round_ in range(20):
            version = bot.put(URL, json={"state": {"round": round_}, "version": 0}).json()["version"]
            assert version > 0 and version not in kept
            kept[version] = round_
            assert bot.delete(URL).status_code == 204
            assert bot.get(URL).json() == {"state": {}, "version": 0}
        new = bot.put(URL, json={"state": {"round": "new"}, "version": 0}).json()["version"]
        for old in kept:
            if old != new:
                assert bot.put(URL, json={"state": {"round": "old"}, "version": old}).status_code == 409
        assert bot.get(URL).json() == {"state": {"round": "new"}, "version": new}


def test_concurrent_writes_of_one_version_let_one_through(api: Api) -> None:
    token = api.account(Role.INTAKE)
    with api.client(token) as bot:
        started = bot.put(URL, json={"state": {"n": 0}, "version": 0}).json()["version"]

    def write(n: int) -> int:
        with api.client(token) as client:
            return client.put(URL, json={"state": {"n": n}, "version": started}).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(write, range(8)))
    assert statuses.count(200) == 1 and statuses.count(409) == 7


def test_bad_state_is_refused_with_the_reason(api: Api) -> None:
    with api.client(api.account(Role.INTAKE)) as bot:
        assert bot.put(URL, json={"state": {"x": "a" * 70_000}, "version": 0}).status_code == 413
        assert bot.put(URL, json={"state": [], "version": 0}).status_code == 422
        assert bot.put(URL, json={"state": {}, "version": -1}).status_code == 422
        assert bot.get("/api/v1/conversations/Tele gram/1").status_code == 422
        assert bot.get(URL).json()["version"] == 0


def test_only_the_intake_account_and_a_live_token(api: Api) -> None:
    with api.client(api.account(Role.COMMUNE_POLICE, COMMUNE_A)) as officer:
        assert officer.get(URL).status_code == 403
    with api.client("bm_not_a_token") as stranger:
        assert stranger.get(URL).status_code == 401
    admin = api.account(Role.ADMIN)
    with api.client(admin) as client:
        created = client.post("/api/v1/accounts", json={"name": "bot 2", "role": "intake"})
        token, account_id = created.json()["token"], created.json()["id"]
        with api.client(token) as bot:
            started = bot.put(URL, json={"state": {"a": 1}, "version": 0})
            assert started.status_code == 200
            assert bot.get(URL).status_code == 200  # the token is now known to the API
            assert client.post(f"/api/v1/accounts/{account_id}/revoke").status_code == 200
            refused = bot.get(URL)
            assert refused.status_code == 401
            assert refused.json()["error"]["message"] == "unknown or revoked token"
            again = {"state": {"a": 2}, "version": started.json()["version"]}
            assert bot.put(URL, json=again).status_code == 401
            assert (
                bot.put("/api/v1/conversations/telegram/5003", json={"state": {}, "version": 0}).status_code
                == 401
            )
    with api.client(api.account(Role.INTAKE)) as other_bot:
        # Each intake account has its own conversations: the revoked one's is not another's.
        assert other_bot.get(URL).json() == {"state": {}, "version": 0}
