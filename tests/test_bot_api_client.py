"""The bot's API client when a success answer is not the documented shape (a proxy's page, an API of
another version): an `ApiError` 502 (`bad_gateway`) that quotes nothing of the body, so the person
gets the usual "try again later" and no log line carries their data.

The stand-in below plays a broken upstream on the far side of HTTP (the bot's own code is real):
the real API never answers these shapes, which is the point."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse

from bot.api_client import ApiClient, ApiError
from bot.engine.events import from_text
from bot.engine.runner import run_event
from bot.engine.services import Services
from bot.faq_answers import get_faq_service
from content.catalog import get_content
from contract.leads import LeadCreate
from tests.bot_harness import TODAY
from tests.harness import lead_body

NAME, PHONE = "Nguyễn Văn Riêng", "0912345678"
A_PERSON = {"id": "x", "reference": "BM-X", "contact": {"name": NAME, "phone": PHONE}}


def broken_api() -> FastAPI:
    """Conversation state answered correctly; everything else 200 with a body of the wrong shape,
    each quoting a person's name and phone."""
    app = FastAPI()

    @app.get("/api/v1/conversations/{channel}/{user}")
    async def state(channel: str, user: str) -> dict[str, Any]:
        return {"state": {}, "version": 0}

    @app.put("/api/v1/conversations/{channel}/{user}")
    async def write(channel: str, user: str, request: Request) -> dict[str, Any]:
        return {"state": (await request.json())["state"], "version": 1}

    @app.get("/api/v1/people/{channel}/{user}/leads")
    async def leads(channel: str, user: str) -> dict[str, Any]:
        return {"data": [A_PERSON], "count": 1}

    @app.post("/api/v1/leads", status_code=201)
    async def create() -> HTMLResponse:
        return HTMLResponse(f"<html>proxy: {NAME} {PHONE}</html>", status_code=201)

    @app.get("/api/v1/leads/{lead_id}")
    async def one(lead_id: str) -> list[Any]:
        return [A_PERSON]

    @app.get("/api/v1/me")
    async def me() -> list[Any]:
        return [A_PERSON]

    @app.delete("/api/v1/people/{channel}/{user}")
    async def erase(channel: str, user: str) -> dict[str, Any]:
        return {"erased": NAME}

    return app


@pytest.fixture
async def client() -> AsyncIterator[ApiClient]:
    async with ApiClient("bm_test", transport=httpx.ASGITransport(app=broken_api())) as api:
        yield api


def _bad_gateway(err: ApiError) -> None:
    assert (err.status, err.code) == (502, "bad_gateway")
    assert NAME not in str(err) and PHONE not in str(err)
    # Nothing chained either: a pydantic error quotes the body it refused.
    assert err.__cause__ is None and (err.__context__ is None or err.__suppress_context__)


async def test_each_malformed_answer_is_a_bad_gateway_error(client: ApiClient) -> None:
    body = LeadCreate.model_validate(lead_body())
    calls: list[Callable[[], Awaitable[object]]] = [
        lambda: client.my_leads("telegram", "1001"),
        lambda: client.create_lead(body),
        lambda: client.lead("x", "5001"),
        lambda: client.me("5001"),
        lambda: client.erase_person("telegram", "1001"),
    ]
    for call in calls:
        with pytest.raises(ApiError) as refused:
            await call()
        _bad_gateway(refused.value)


async def test_the_person_is_told_to_try_again_and_nothing_personal_is_logged(
    client: ApiClient, caplog: pytest.LogCaptureFixture
) -> None:
    services = Services(
        content=get_content(), faq=get_faq_service(), api=client, channel="telegram", today=lambda: TODAY
    )
    caplog.set_level(logging.DEBUG)
    replies = await run_event(services, "1001", from_text("ho so cua tui"))
    text = "\n".join(r.text for r in replies)
    assert "hệ thống đang bận" in text, text
    logged = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert "API call failed" in logged
    assert NAME not in logged and PHONE not in logged and "Riêng" not in logged
