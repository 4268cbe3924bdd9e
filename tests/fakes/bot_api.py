"""A local fake of the Telegram Bot API (HTTP), enough for python-telegram-bot and our outbox.

It records every call, answers like Telegram does (`{"ok": true, "result": ...}`), hands out queued
updates on getUpdates, and can be told to fail: `fail_next(429, retry_after=1)`, `fail_next(500)`,
`delay_next(seconds)` (for timeouts). Parameters arrive as JSON or form data (PTB sends form data).
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


@dataclass
class Call:
    token: str
    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)


class FakeBotApi:
    def __init__(self, bot_id: int = 999000, username: str = "buocmoi_test_bot") -> None:
        self.bot_id = bot_id
        self.username = username
        self.calls: list[Call] = []
        self.updates: list[dict[str, Any]] = []
        self.failures: list[tuple[int, dict[str, Any]]] = []
        self.delays: list[float] = []
        self.lock = threading.Lock()
        self.message_ids = itertools.count(1)
        self.update_ids = itertools.count(1)
        self.fail_methods: set[str] | None = None  # failures apply only to these methods when set
        # Like Telegram's flood control: more than this many sends in any one second answer 429.
        self.max_per_second: int | None = None
        self.too_many = 0
        self._recent: list[float] = []
        # Called (in the server's thread) with each call as it is recorded, for callers that wait
        # for calls without polling.
        self.on_call: Callable[[Call], None] | None = None
        self.app = self._build()

    # -- test controls --

    def fail_next(
        self, status: int, count: int = 1, retry_after: int | None = None, description: str = ""
    ) -> None:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": status,
            "description": description or f"Error {status}",
        }
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
            body["description"] = description or f"Too Many Requests: retry after {retry_after}"
        with self.lock:
            self.failures.extend([(status, body)] * count)

    def delay_next(self, seconds: float, count: int = 1) -> None:
        with self.lock:
            self.delays.extend([seconds] * count)

    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": next(self.update_ids), **update}
        with self.lock:
            self.updates.append(update)
        return update

    def sent(self, method: str = "sendMessage", chat_id: str | int | None = None) -> list[dict[str, Any]]:
        with self.lock:
            calls = list(self.calls)
        return [
            c.params
            for c in calls
            if c.method == method and (chat_id is None or str(c.params.get("chat_id")) == str(chat_id))
        ]

    # -- the HTTP side --

    def _build(self) -> FastAPI:
        app = FastAPI()

        @app.post("/bot{token}/{method}")
        async def call(token: str, method: str, request: Request) -> JSONResponse:
            params = await _params(request)
            with self.lock:
                if self.max_per_second and method.startswith("send"):
                    now = time.monotonic()
                    self._recent = [t for t in self._recent if now - t < 1.0]
                    if len(self._recent) >= self.max_per_second:
                        self.too_many += 1
                        return JSONResponse(
                            {
                                "ok": False,
                                "error_code": 429,
                                "description": "Too Many Requests: retry after 1",
                                "parameters": {"retry_after": 1},
                            },
                            status_code=429,
                        )
                    self._recent.append(now)
                call = Call(token, method, params)
                self.calls.append(call)
                if self.on_call is not None:
                    self.on_call(call)
                delay = self.delays.pop(0) if self.delays else 0.0
                failure = None
                if self.failures and (self.fail_methods is None or method in self.fail_methods):
                    failure = self.failures.pop(0)
            if delay:
                await asyncio.sleep(delay)
            if failure is not None:
                return JSONResponse(failure[1], status_code=failure[0])
            return JSONResponse({"ok": True, "result": await self._result(method, params)})

        return app

    async def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return {
                "id": self.bot_id,
                "is_bot": True,
                "first_name": "Bước Mới",
                "username": self.username,
                "can_join_groups": False,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
            }
        if method == "getUpdates":
            offset = int(params.get("offset") or 0)
            timeout = float(params.get("timeout") or 0)
            end = time.monotonic() + min(timeout, 1.0)
            while True:
                with self.lock:
                    self.updates = [u for u in self.updates if u["update_id"] >= offset]
                    ready = list(self.updates)
                if ready or time.monotonic() >= end:
                    return ready
                await asyncio.sleep(0.02)
        if method in ("sendMessage", "editMessageText", "sendPhoto"):
            chat_id = params.get("chat_id")
            return {
                "message_id": next(self.message_ids),
                "date": int(time.time()),
                "chat": {"id": int(chat_id) if str(chat_id).lstrip("-").isdigit() else 0, "type": "private"},
                "text": params.get("text", ""),
            }
        return True


async def _params(request: Request) -> dict[str, Any]:
    if request.headers.get("content-type", "").startswith("application/json"):
        body = await request.body()
        parsed: dict[str, Any] = json.loads(body) if body else {}
        return parsed
    form = await request.form()
    params: dict[str, Any] = {}
    for key, value in form.items():
        if not isinstance(value, str):  # a file (sendDocument): what a test can check of it
            content = await value.read()
            await value.close()
            params[key] = {"file_name": value.filename, "size": len(content), "head": content[:8].hex()}
            continue
        text = value
        try:
            params[key] = json.loads(text) if text[:1] in "[{" else text
        except ValueError:
            params[key] = text
    return params
