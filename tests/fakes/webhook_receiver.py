"""A local agency system that receives signed webhooks, and can be told to fail first."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request, Response


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


@dataclass
class WebhookReceiver:
    fail_first: int = 0
    status_when_failing: int = 500
    received: list[Received] = field(default_factory=list)
    attempts: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def build(self) -> FastAPI:
        app = FastAPI()

        @app.post("/hook")
        async def hook(request: Request) -> Response:
            body = await request.body()
            with self.lock:
                self.attempts += 1
                if self.attempts <= self.fail_first:
                    return Response(status_code=self.status_when_failing)
                self.received.append(Received(dict(request.headers), body))
            return Response(status_code=204)

        return app

    def events(self) -> list[dict[str, Any]]:
        import json

        with self.lock:
            return [json.loads(r.body) for r in self.received]
