"""A small typed client of the Zalo Bot Platform API (https://bot.zapps.me/docs), over httpx.

Telegram-like: every call is `POST {root}/bot{token}/{method}` with a JSON body, answered with
`{"ok": true, "result": ...}` or `{"ok": false, "error_code": ..., "description": ...}`. Only what
Bước Mới uses: getMe, sendMessage, getUpdates (long polling), setWebhook, deleteWebhook.
Shared by the conversation adapter (bot/channels/zalo.py) and the outbox (api/outbox/senders.py
builds the same URL). Why not the `python-zalo-bot` package: docs/notes/zalo.md.
"""

from __future__ import annotations

from typing import Any, Literal

import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.channels.zalo_settings import DEFAULT_API_ROOT

# sendMessage's `text` takes at most 2000 characters (docs/notes/zalo.md says where the figure is from).
MAX_TEXT = 2000
SECRET_HEADER = "X-Bot-Api-Secret-Token"


def method_url(root: str, token: str, method: str) -> str:
    return f"{root.rstrip('/')}/bot{token}/{method}"


class ZaloApiError(Exception):
    """The platform answered `ok: false` (or not JSON, or not 2xx)."""

    def __init__(self, status: int, error_code: int | None, description: str) -> None:
        super().__init__(f"{status} {error_code} {description}"[:200])
        self.status = status
        self.error_code = error_code
        self.description = description


# -- updates -----------------------------------------------------------------------------------------


class _Loose(BaseModel):
    model_config = ConfigDict(extra="ignore")


class ZaloUser(_Loose):
    id: str
    display_name: str | None = None
    is_bot: bool = False


class ZaloChat(_Loose):
    id: str
    chat_type: str = "PRIVATE"


class ZaloMessage(_Loose):
    message_id: str
    chat: ZaloChat
    sender: ZaloUser | None = Field(default=None, alias="from")
    text: str | None = None
    date: int | None = None


class ZaloUpdate(_Loose):
    event_name: str
    message: ZaloMessage | None = None

    @property
    def kind(self) -> Literal["text", "other"]:
        return (
            "text"
            if self.event_name == "message.text.received" and self.message and self.message.text
            else "other"
        )

    @property
    def unsupported_kind(self) -> str:
        """ "image", "sticker", "unsupported", ... from `message.<kind>.received` (never content)."""
        parts = self.event_name.split(".")
        return parts[1] if len(parts) == 3 and parts[0] == "message" else "other"


def parse_update(payload: object) -> ZaloUpdate | None:
    """An update as documented (`{"ok": true, "result": {...}}`) or as observed in the wild (the
    update's fields at the top level); None for what is neither."""
    if isinstance(payload, dict) and "event_name" not in payload and isinstance(payload.get("result"), dict):
        payload = payload["result"]
    if not isinstance(payload, dict) or not isinstance(payload.get("event_name"), str):
        return None
    try:
        return ZaloUpdate.model_validate(_stringify_ids(payload))
    except ValidationError:
        return None


def _stringify_ids(payload: dict[str, Any]) -> dict[str, Any]:
    """Ids may come as numbers; they are opaque strings to us."""
    message = payload.get("message")
    if not isinstance(message, dict):
        return payload
    message = dict(message)
    for key in ("message_id",):
        if isinstance(message.get(key), int):
            message[key] = str(message[key])
    for key in ("chat", "from"):
        inner = message.get(key)
        if isinstance(inner, dict) and isinstance(inner.get("id"), int):
            message[key] = {**inner, "id": str(inner["id"])}
    return {**payload, "message": message}


# -- calls -------------------------------------------------------------------------------------------


class ZaloBotApi:
    def __init__(
        self, token: str, root: str = DEFAULT_API_ROOT, client: httpx.AsyncClient | None = None
    ) -> None:
        self._token = token
        self.root = root
        self._client = client or httpx.AsyncClient(timeout=httpx.Timeout(35.0, connect=10.0))
        self._own_client = client is None

    async def aclose(self) -> None:
        if self._own_client:
            await self._client.aclose()

    async def call(
        self, method: str, params: dict[str, Any] | None = None, timeout: float | None = None
    ) -> Any:
        url = method_url(self.root, self._token, method)
        try:
            response = await self._client.post(
                url, json=params or {}, timeout=timeout if timeout is not None else httpx.USE_CLIENT_DEFAULT
            )
        except httpx.HTTPError as err:
            # Never the URL: it carries the token.
            raise ZaloApiError(0, None, f"network: {type(err).__name__}") from None
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise ZaloApiError(response.status_code, None, "not a JSON object")
        if response.status_code != 200 or not body.get("ok"):
            code = body.get("error_code")
            raise ZaloApiError(
                response.status_code,
                code if isinstance(code, int) else None,
                str(body.get("description", "")),
            )
        return body.get("result")

    async def get_me(self) -> dict[str, Any]:
        result = await self.call("getMe")
        return result if isinstance(result, dict) else {}

    async def send_message(self, chat_id: str, text: str) -> None:
        await self.call("sendMessage", {"chat_id": chat_id, "text": text})

    async def set_webhook(self, url: str, secret_token: str) -> None:
        await self.call("setWebhook", {"url": url, "secret_token": secret_token})

    async def delete_webhook(self) -> None:
        await self.call("deleteWebhook")

    async def get_updates(self, timeout: int = 30) -> list[ZaloUpdate]:
        """Long polling: waits up to `timeout` seconds. The platform hands out one update or a list."""
        result = await self.call("getUpdates", {"timeout": str(timeout)}, timeout=timeout + 10)
        items = result if isinstance(result, list) else [result] if result else []
        return [update for item in items if (update := parse_update(item)) is not None]
