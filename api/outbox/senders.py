"""How one outbox row is delivered: the Telegram Bot API, or a signed webhook POST.

A sender answers with `Delivered`, `RetryLater` (transient: network, 5xx, 429 with retry_after) or
`Failed` (permanent: the chat blocked the bot, the URL says 4xx). It never raises. The dispatcher
may also answer `Deferred` for a row it did not try (not counted as an attempt).
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

import httpx

from api.security import sign


@dataclass(frozen=True)
class Delivered:
    pass


@dataclass(frozen=True)
class RetryLater:
    error: str
    after_seconds: float | None = None  # set when the receiver said how long to wait


@dataclass(frozen=True)
class Failed:
    error: str


@dataclass(frozen=True)
class Deferred:
    reason: str
    after_seconds: float = 0.0


Outcome = Delivered | RetryLater | Failed | Deferred


def bot_api_url(base_url: str, token: str, method: str) -> str:
    """The same rule as python-telegram-bot's `base_url`: `{token}` is substituted, else appended."""
    base = base_url.format(token=token) if "{token}" in base_url else f"{base_url}{token}"
    return f"{base.rstrip('/')}/{method}"


async def send_telegram(
    client: httpx.AsyncClient, base_url: str, token: str, payload: dict[str, Any]
) -> Outcome:
    url = bot_api_url(base_url, token, str(payload.get("method", "sendMessage")))
    document = payload.get("document")
    try:
        if isinstance(document, dict):
            # sendDocument: the file goes as multipart form data, the parameters as form fields.
            content = base64.b64decode(str(document.get("base64", "")))
            files = {"document": (str(document.get("file_name", "file")), content)}
            params = {k: str(v) for k, v in dict(payload.get("params", {})).items()}
            response = await client.post(url, data=params, files=files)
        else:
            response = await client.post(url, json=payload.get("params", {}))
    except httpx.HTTPError as err:
        return RetryLater(f"network: {type(err).__name__}")
    try:
        body = response.json()
    except ValueError:
        body = {}
    if response.status_code == 200 and body.get("ok"):
        return Delivered()
    description = str(body.get("description", ""))[:200]
    if response.status_code == 429:
        retry_after = (body.get("parameters") or {}).get("retry_after")
        return RetryLater(f"429 {description}", float(retry_after) if retry_after is not None else None)
    if response.status_code >= 500:
        return RetryLater(f"{response.status_code} {description}")
    # 400 chat not found, 403 blocked by the user: retrying will not help.
    return Failed(f"{response.status_code} {description}")


async def send_webhook(
    client: httpx.AsyncClient,
    url: str,
    secret: str,
    delivery_id: str,
    event: dict[str, Any],
    *,
    address: str | None = None,
) -> Outcome:
    """POST the signed event. With `address`, the connection goes to that (already checked) IP,
    with the URL's own name in the Host header and in TLS (SNI and certificate check)."""
    body = json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    headers = {
        "Content-Type": "application/json",
        "X-BuocMoi-Event": str(event.get("event", "")),
        # Receivers de-duplicate on this id: delivery is at least once.
        "X-BuocMoi-Delivery": delivery_id,
        "X-BuocMoi-Signature": sign(secret, body),
    }
    target = httpx.URL(url)
    extensions: dict[str, Any] = {}
    if address is not None:
        headers["Host"] = target.netloc.decode("ascii")
        if target.scheme == "https":
            extensions["sni_hostname"] = target.host
        target = target.copy_with(host=address)
    try:
        response = await client.post(target, content=body, headers=headers, extensions=extensions)
    except httpx.HTTPError as err:
        return RetryLater(f"network: {type(err).__name__}")
    if 200 <= response.status_code < 300:
        return Delivered()
    if response.status_code == 429:
        retry_after = response.headers.get("Retry-After", "")
        return RetryLater("429", float(retry_after) if retry_after.isdigit() else None)
    if response.status_code >= 500 or response.status_code in (408, 425):
        return RetryLater(str(response.status_code))
    return Failed(str(response.status_code))


ZALO_MAX_TEXT = 2000  # sendMessage's limit (docs/notes/zalo.md)


def zalo_text(params: dict[str, Any]) -> tuple[str, list[list[dict[str, str]]]]:
    """A queued Telegram-shaped message as Zalo text: its inline buttons become numbered lines
    (the Zalo bot takes the answer "1" as the first button: bot/channels/text_choices.py)."""
    text = str(params.get("text", ""))
    rows = (params.get("reply_markup") or {}).get("inline_keyboard") or []
    rows = [[b for b in row if isinstance(b, dict)] for row in rows if isinstance(row, list)]
    labels = [str(b.get("text", "")) for row in rows for b in row if b.get("callback_data")]
    if labels:
        text += "\n\n" + "\n".join(f"{n}. {label}" for n, label in enumerate(labels, 1))
    return text, rows


def _zalo_pieces(text: str) -> list[str]:
    pieces: list[str] = []
    rest = text
    while len(rest) > ZALO_MAX_TEXT:
        cut = rest.rfind("\n", 0, ZALO_MAX_TEXT + 1)
        if cut < ZALO_MAX_TEXT // 2:
            cut = ZALO_MAX_TEXT
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    pieces.append(rest)
    return pieces


async def send_zalo(client: httpx.AsyncClient, root: str, token: str, chat_id: str, text: str) -> Outcome:
    """sendMessage of the Zalo Bot Platform (`{root}/bot{token}/sendMessage`), split at its limit.
    A retry after a piece failed sends the earlier pieces again: at least once, like every row."""
    url = f"{root.rstrip('/')}/bot{token}/sendMessage"
    for piece in _zalo_pieces(text):
        try:
            response = await client.post(url, json={"chat_id": chat_id, "text": piece})
        except httpx.HTTPError as err:
            return RetryLater(f"network: {type(err).__name__}")
        try:
            body = response.json()
        except ValueError:
            body = {}
        body = body if isinstance(body, dict) else {}
        if response.status_code == 200 and body.get("ok"):
            continue
        code = body.get("error_code")
        status = code if isinstance(code, int) and response.status_code == 200 else response.status_code
        description = str(body.get("description", ""))[:200]
        if status == 429:
            retry_after = response.headers.get("Retry-After", "")
            return RetryLater(f"429 {description}", float(retry_after) if retry_after.isdigit() else None)
        if status >= 500 or status in (408, 425):
            return RetryLater(f"{status} {description}")
        return Failed(f"{status} {description}")
    return Delivered()
