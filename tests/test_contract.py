"""The contract both sides share: button data (built by the API, read by the bot) and error bodies."""

from __future__ import annotations

import pytest

from api.roles import Role
from bot.api_client import ApiError, lead_request
from contract import buttons, errors
from tests.bot_harness import bot_world
from tests.harness import Api, lead_body


def test_buttons_round_trip() -> None:
    assert buttons.lead_button(42, "view") == "ld|42|view"
    assert buttons.parse(buttons.lead_button("42", "approved")) == buttons.Callback("ld", ("42", "approved"))
    assert buttons.reminder_done("monthly_list", "2026-03") == "rm|monthly_list|2026-03|done"
    assert buttons.parse("rm|monthly_list|2026-03|done") == buttons.Callback(
        "rm", ("monthly_list", "2026-03")
    )
    assert buttons.parse(buttons.data("lang", "km")) == buttons.Callback("lang", ("km",))
    for foreign in ["rm|a|b|undo", "ld|1", "ld||view", "x|y", ""]:
        assert buttons.parse(foreign) is None


def test_buttons_refuse_what_telegram_or_parse_would_break() -> None:
    with pytest.raises(ValueError):
        buttons.lead_button("1" * 60, "view")  # over 64 bytes
    with pytest.raises(ValueError):
        buttons.data("t", "a|b")  # would read back as two arguments
    with pytest.raises(ValueError):
        buttons.lead_button("", "view")


def test_refusals_name_their_field_or_code(api: Api) -> None:
    """A commune the service does not cover is a 422 naming `commune_code` in `details` (not only in
    the words); acting for a chat no account is linked to is a 403 coded `chat_not_linked`."""
    intake = api.account(Role.INTAKE)
    with api.client(intake) as client:
        outside = client.post("/api/v1/leads", json=lead_body(commune_code="00004"))  # Hà Nội
        unlinked = client.get("/api/v1/leads/1", headers={"X-Acting-Chat": "424242"})
    assert outside.status_code == 422
    error = errors.ErrorResponse.model_validate(outside.json()).error
    assert (error.code, error.field) == ("invalid", "commune_code")
    assert error.details == [{"field": "body.commune_code", "problem": error.message.split(": ", 1)[1]}]
    assert unlinked.status_code == 403
    assert unlinked.json()["error"]["code"] == errors.CHAT_NOT_LINKED
    assert unlinked.json()["error"]["message"] == "this chat is not linked to an account"  # unchanged


async def test_the_bots_client_reads_code_and_field(database_url: str) -> None:
    async with bot_world(database_url) as world:
        client = world.services.api
        with pytest.raises(ApiError) as refused:  # the API's refusal
            await client.create_lead(lead_request(lead_body(commune_code="00004")))
        error = refused.value
        assert (error.status, error.code, error.field) == (422, "invalid", "commune_code")
        with pytest.raises(ApiError) as unsent:  # refused before sending, in the same terms
            lead_request(lead_body(contact={"name": "A", "phone": "12345"}))
        error = unsent.value
        assert (error.status, error.code, error.fields) == (422, "invalid", ("contact.phone",))
        with pytest.raises(ApiError) as unlinked:
            await client.lead("1", "424242")
        assert (unlinked.value.status, unlinked.value.code) == (403, errors.CHAT_NOT_LINKED)
        assert unlinked.value.field is None
