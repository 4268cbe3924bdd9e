"""A local fake of the Zalo Bot Platform API (HTTP), enough for our Zalo channel and outbox.

Every call is `POST /bot{token}/{method}` with JSON, answered `{"ok": true, "result": ...}`. It
records every call, hands out queued updates on getUpdates (long polling, one call may return
several), remembers setWebhook, checks the text length of sendMessage (over 2000 characters:
`ok: false`, as the platform refuses it) and can be told to fail: `fail_next(429)`, `fail_next(500)`.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

MAX_TEXT = 2000


@dataclass
class Call:
    token: str
    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)


class FakeZaloApi:
    def __init__(self, bot_id: str = "zalobot1") -> None:
        self.bot_id = bot_id
        self.calls: list[Call] = []
        self.updates: list[dict[str, Any]] = []
        self.failures: list[tuple[int, dict[str, Any]]] = []
        self.webhook: dict[str, str] | None = None
        self.lock = threading.Lock()
        self.message_ids = itertools.count(1)
        self.on_call: Callable[[Call], None] | None = None
        self.app = self._build()

    # -- test controls --

    def fail_next(self, status: int, count: int = 1, description: str = "") -> None:
        body = {"ok": False, "error_code": status, "description": description or f"Error {status}"}
        with self.lock:
            self.failures.extend([(status, body)] * count)

    def push_update(self, update: dict[str, Any]) -> None:
        with self.lock:
            self.updates.append(update)

    def sent(self, chat_id: str | None = None) -> list[str]:
        """Texts sent with sendMessage (to `chat_id` when given), in order."""
        with self.lock:
            calls = list(self.calls)
        return [
            str(c.params.get("text", ""))
            for c in calls
            if c.method == "sendMessage" and (chat_id is None or str(c.params.get("chat_id")) == chat_id)
        ]

    def calls_of(self, method: str) -> list[Call]:
        with self.lock:
            return [c for c in self.calls if c.method == method]

    # -- the HTTP side --

    def _build(self) -> FastAPI:
        app = FastAPI()

        @app.post("/bot{token}/{method}")
        async def call(token: str, method: str, request: Request) -> JSONResponse:
            body = await request.body()
            try:
                params = json.loads(body) if body else {}
            except ValueError:
                params = {}
            with self.lock:
                record = Call(token, method, params if isinstance(params, dict) else {})
                self.calls.append(record)
                if self.on_call is not None:
                    self.on_call(record)
                failure = self.failures.pop(0) if self.failures and method != "getUpdates" else None
            if failure is not None:
                return JSONResponse(failure[1], status_code=failure[0])
            return await self._result(method, record.params)

        return app

    async def _result(self, method: str, params: dict[str, Any]) -> JSONResponse:
        if method == "getMe":
            return _ok(
                {
                    "id": self.bot_id,
                    "account_name": "bot.buocmoi",
                    "account_type": "BASIC",
                    "can_join_groups": False,
                }
            )
        if method == "setWebhook":
            with self.lock:
                self.webhook = {
                    "url": str(params.get("url")),
                    "secret_token": str(params.get("secret_token")),
                }
            return _ok({"url": self.webhook["url"], "updated_at": int(time.time() * 1000)})
        if method == "deleteWebhook":
            with self.lock:
                self.webhook = None
            return _ok({"url": "", "updated_at": int(time.time() * 1000)})
        if method == "getUpdates":
            timeout = float(params.get("timeout") or 0)
            end = time.monotonic() + min(timeout, 1.0)
            while True:
                with self.lock:
                    ready, self.updates = list(self.updates), []
                if ready:
                    return _ok(ready if len(ready) > 1 else ready[0])
                if time.monotonic() >= end:
                    # The platform answers a poll that timed out with error 408.
                    return JSONResponse({"ok": False, "error_code": 408, "description": "Request timeout"})
                await asyncio.sleep(0.02)
        if method == "sendMessage":
            text = str(params.get("text", ""))
            if not text or len(text) > MAX_TEXT:
                return JSONResponse(
                    {"ok": False, "error_code": 400, "description": "text length"}, status_code=400
                )
            return _ok({"message_id": f"m{next(self.message_ids)}", "date": int(time.time() * 1000)})
        return _ok(True)


def _ok(result: Any) -> JSONResponse:
    return JSONResponse({"ok": True, "result": result})


def text_update(chat_id: str, text: str, message_id: str, *, wrapped: bool = True) -> dict[str, Any]:
    """A `message.text.received` update, as documented (wrapped) or as seen in the wild (top level)."""
    update = {
        "event_name": "message.text.received",
        "message": {
            "from": {"id": chat_id, "display_name": "Người dùng", "is_bot": False},
            "chat": {"id": chat_id, "chat_type": "PRIVATE"},
            "text": text,
            "message_id": message_id,
            "date": 1764547200000,
        },
    }
    return {"ok": True, "result": update} if wrapped else update
