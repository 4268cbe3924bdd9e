"""The bot's only way to the system of record: the HTTP API (in process, or over the network).

`serve` passes an in-process transport (`httpx.ASGITransport(app)`), so the default needs no
network; a bot run apart sets `BUOCMOI_API_URL`. Every call raises `ApiError` (with the status; 0
when the API could not be reached) for anything but the answers it documents as success, and
`ApiError` 502 (`bad_gateway`) for a success whose body is not the documented shape (a proxy's page,
an API of another version): the flows then answer "try again later" like for any API failure.
Nothing here logs request or response bodies: they carry personal data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ValidationError

from contract.conversations import ConversationState, ConversationWrite
from contract.errors import CODES, ErrorBody, ErrorResponse, bare_field
from contract.leads import LeadCreate, LeadPublic, ListOf

PREFIX = "/api/v1"
M = TypeVar("M", bound=BaseModel)


class ApiError(Exception):
    """A refusal (or no answer: status 0). Decide by `code` and `field`, never by `message`'s words:
    `code` is the error body's code (contract/errors.py: `invalid`, `forbidden`, `chat_not_linked`...;
    "" when there was no error body), `field` the first field a 422 names without its location
    (`commune_code`, `contact.phone`), `fields` all of them."""

    def __init__(
        self,
        status: int,
        message: str = "",
        retry_after: int | None = None,
        *,
        code: str = "",
        fields: tuple[str, ...] = (),
    ) -> None:
        self.status = status
        self.message = message
        self.retry_after = retry_after  # seconds, from a 429's `Retry-After`
        self.code = code
        self.fields = fields
        super().__init__(f"API answered {status}" + (f": {message}" if message else ""))

    @property
    def field(self) -> str | None:
        return self.fields[0] if self.fields else None

    def names(self, field: str) -> bool:
        """Whether the refusal names `field` (`commune_code`, `contact.phone`...)."""
        return field in self.fields


class StaleState(ApiError):
    """The conversation was written by someone else since it was read (409): read it again."""


@dataclass(frozen=True)
class Stored:
    state: dict[str, Any]
    version: int


def lead_request(body: dict[str, Any]) -> LeadCreate:
    """The referral as the API takes it, checked here with the API's own model: a body the API would
    refuse raises `ApiError` 422 naming the fields, as the API's answer would, and is not sent."""
    try:
        return LeadCreate.model_validate(body)
    except ValidationError as err:
        fields = tuple(bare_field(".".join(str(p) for p in e["loc"])) for e in err.errors())
        raise ApiError(422, "invalid request: " + ", ".join(fields), code=CODES[422], fields=fields) from None


def bad_answer(what: str) -> ApiError:
    """A success answer the client cannot read. Names only what was expected: the body (and a
    pydantic error, which quotes it) may hold a person's name and phone."""
    return ApiError(502, f"malformed answer from the API: expected {what}", code=CODES[502])


def _read(model: type[M], body: Any) -> M:
    try:
        return model.model_validate(body)
    except ValidationError:
        raise bad_answer(model.__name__) from None  # no chained error: it quotes the body


def _object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise bad_answer("a JSON object")
    return body


def _stored(body: Any) -> Stored:
    read = _read(ConversationState, body)
    return Stored(state=read.state, version=read.version)


def _error_body(response: httpx.Response) -> ErrorBody | None:
    """The API's error body; None for anything else (a proxy's page, no body)."""
    try:
        return ErrorResponse.model_validate_json(response.content).error
    except ValidationError:
        return None


def _segment(value: str) -> str:
    return quote(value, safe="")


class ApiClient:
    """Async client of the Bước Mới API for the bot, with the bot's `intake` token."""

    def __init__(
        self,
        token: str,
        *,
        base_url: str = "http://buocmoi",
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 30.0,
    ) -> None:
        self._client = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            transport=transport,
            headers={"Authorization": f"Bearer {token}"},
            timeout=timeout,
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    async def __aenter__(self) -> ApiClient:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.aclose()

    async def _call(
        self,
        method: str,
        path: str,
        *,
        json: dict[str, Any] | None = None,
        acting_chat: str | None = None,
        ok: tuple[int, ...] = (200,),
    ) -> Any:
        headers = {"X-Acting-Chat": acting_chat} if acting_chat is not None else None
        try:
            response = await self._client.request(method, PREFIX + path, json=json, headers=headers)
        except httpx.HTTPError as err:
            raise ApiError(0, type(err).__name__) from err
        if response.status_code not in ok:
            error = _error_body(response)
            message = error.message[:200] if error else ""
            code = error.code if error else ""
            fields = tuple(error.fields) if error else ()
            if response.status_code == 409 and "/conversations/" in path:
                raise StaleState(409, message, code=code, fields=fields)
            retry_after = response.headers.get("Retry-After", "")
            raise ApiError(
                response.status_code,
                message,
                int(retry_after) if retry_after.isdigit() else None,
                code=code,
                fields=fields,
            )
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError:  # not JSON (a proxy's page): its text may quote the request
            raise bad_answer("JSON") from None

    # -- the dialogue state --

    async def load_state(self, channel: str, user: str) -> Stored:
        return _stored(await self._call("GET", f"/conversations/{_segment(channel)}/{_segment(user)}"))

    async def save_state(self, channel: str, user: str, state: dict[str, Any], version: int) -> Stored:
        """Write the state read at `version`; raises `StaleState` when someone wrote meanwhile.
        Returns the state as stored (as a read would give it) with its new version."""
        body = await self._call(
            "PUT",
            f"/conversations/{_segment(channel)}/{_segment(user)}",
            json=ConversationWrite(state=state, version=version).model_dump(mode="json"),
        )
        return _stored(body)

    async def forget_state(self, channel: str, user: str) -> None:
        await self._call("DELETE", f"/conversations/{_segment(channel)}/{_segment(user)}", ok=(204,))

    # -- a person's own data --

    async def create_lead(self, body: LeadCreate) -> LeadPublic:
        """Stores the referral (201; 200 with the stored one for a retry of its idempotency key).
        Sends only the fields the caller set (`lead_request`), as the model normalised them (the API
        normalises them the same way)."""
        sent = body.model_dump(mode="json", exclude_unset=True)
        return _read(LeadPublic, await self._call("POST", "/leads", json=sent, ok=(200, 201)))

    async def my_leads(self, channel: str, user: str) -> list[LeadPublic]:
        body = await self._call("GET", f"/people/{_segment(channel)}/{_segment(user)}/leads")
        return _read(ListOf[LeadPublic], body).data

    async def erase_person(self, channel: str, user: str) -> int:
        body = _object(await self._call("DELETE", f"/people/{_segment(channel)}/{_segment(user)}"))
        erased = body.get("erased", 0)
        if not isinstance(erased, int) or isinstance(erased, bool):
            raise bad_answer("the count erased")
        return erased

    async def create_followup(self, body: dict[str, Any]) -> dict[str, Any]:
        return _object(await self._call("POST", "/followups", json=body, ok=(200, 201)))

    # -- officers (the bot acts for the officer whose chat is linked) --

    async def link_chat(self, code: str, chat_id: str) -> dict[str, Any]:
        return _object(await self._call("POST", "/telegram/link", json={"code": code, "chat_id": chat_id}))

    async def me(self, chat_id: str) -> dict[str, Any]:
        return _object(await self._call("GET", "/me", acting_chat=chat_id))

    async def login_link(self, chat_id: str, lang: str) -> dict[str, Any]:
        """Has the API send a one-time console sign-in link into this officer's chat, in `lang`."""
        return _object(await self._call("POST", "/me/login-link", json={"lang": lang}, acting_chat=chat_id))

    async def lead(self, lead_id: str, chat_id: str) -> LeadPublic:
        body = await self._call("GET", f"/leads/{_segment(lead_id)}", acting_chat=chat_id)
        return _read(LeadPublic, body)

    async def mark_done(self, deadline_id: str, period: str, chat_id: str) -> dict[str, Any]:
        """An agency marks one period of an obligation done (the reminder's button): 201 for the
        first mark, 200 (with that first mark) for any press after it."""
        return _object(
            await self._call(
                "POST",
                f"/obligations/{_segment(deadline_id)}/{_segment(period)}/done",
                acting_chat=chat_id,
                ok=(200, 201),
            )
        )

    async def remind(self, lead_id: str, chat_id: str) -> dict[str, Any]:
        return _object(await self._call("POST", f"/leads/{_segment(lead_id)}/remind", acting_chat=chat_id))

    async def set_status(
        self, lead_id: str, chat_id: str, status: str, reason: str | None = None, note: str | None = None
    ) -> LeadPublic:
        body: dict[str, Any] = {"status": status}
        if reason is not None:
            body["reason"] = reason
        if note is not None:
            body["note"] = note
        result = await self._call(
            "POST", f"/leads/{_segment(lead_id)}/status", json=body, acting_chat=chat_id
        )
        return _read(LeadPublic, result)
