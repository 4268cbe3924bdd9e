"""Request guards every route shares: a cap on body size, unknown query parameters refused, and
unexpected errors answered (and logged) without any of the request's data.

The error guard is the outermost of our middlewares on purpose: Starlette's own last-resort
handler re-raises every exception after answering, and uvicorn then logs it with its message, and
a database error's message quotes the statement's parameters (names, phones, answers).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import HTTPException, Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import CODES, safe_traceback

log = logging.getLogger(__name__)

# The largest body the API takes: a conversation state (64 kB of JSON) with room to spare. A
# referral is a few hundred bytes; its fields have limits of their own (api/schemas.py).
MAX_BODY_BYTES = 256 * 1024
# Routes allowed a larger body, each with its own bound: the admin's bulk import of accounts takes
# a 2 MiB file (and the multipart envelope around it).
LARGER_BODIES = {
    ("POST", "/console/admin/import"): 2 * 1024 * 1024 + 64 * 1024,
    # The UBND-signed monthly list, scanned: 4 MiB (api/services/monthly_lists.SCAN_MAX_BYTES).
    ("POST", "/api/v1/monthly-lists/scans"): 4 * 1024 * 1024 + 64 * 1024,
    ("POST", "/console/monthly-lists/scan"): 4 * 1024 * 1024 + 64 * 1024,
}


def _error_body(status: int, message: str) -> bytes:
    body = {"error": {"status": status, "code": CODES[status], "message": message, "details": []}}
    return json.dumps(body).encode()


async def _answer(send: Send, status: int, message: str) -> None:
    body = _error_body(status, message)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _answer_page(send: Send, bound: int) -> None:
    """413 for a console form (a browser shows it): a page in both console languages."""
    limit = f"{bound / (1024 * 1024):.1f} MiB" if bound >= 1024 * 1024 else f"{bound // 1024} KiB"
    body = (
        '<!doctype html><html lang="vi"><meta charset="utf-8"><title>413</title>'
        f"<p>Nội dung gửi lên quá lớn (tối đa {limit}). "
        "Bạn quay lại và gửi ít hơn (hoặc chọn tệp nhỏ hơn).</p>"
        f'<p lang="en">The upload is too large (at most {limit}). '
        "Go back and send less (or choose a smaller file).</p>"
        '<p><a href="/console/">←</a></p></html>'
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"text/html; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"cache-control", b"no-store"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class ErrorGuard:
    """Answers 500 for an exception no handler took, and logs only its type, path and frames."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            log.error(
                "unhandled error",
                extra={
                    "path": scope.get("path"),
                    "method": scope.get("method"),
                    "error_type": type(exc).__name__,
                    "trace": safe_traceback(exc),
                },
            )
            if not started:
                await _answer(send, 500, "internal error")


class BodyLimit:
    """413 for a body over `max_bytes`, by its Content-Length or, when streamed, as it arrives."""

    def __init__(
        self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES, larger: dict[tuple[str, str], int] | None = None
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.larger = LARGER_BODIES if larger is None else larger

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        bound = self.larger.get((scope.get("method", ""), scope.get("path", "")), self.max_bytes)
        for name, value in scope["headers"]:
            if name == b"content-length":
                if not value.isdigit():
                    await _answer(send, 400, "invalid Content-Length")
                    return
                if int(value) > bound:
                    if scope.get("path", "").startswith("/console/"):
                        await _answer_page(send, bound)
                    else:
                        await _answer(send, 413, f"request body over {bound} bytes")
                    return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > bound:
                    # FastAPI passes an HTTPException raised while reading a body on to its handler.
                    raise HTTPException(413, f"request body over {bound} bytes")
            return message

        await self.app(scope, limited_receive, send)


_known_query: dict[int, frozenset[str]] = {}


def _query_names(route: APIRoute) -> frozenset[str]:
    names = _known_query.get(id(route))
    if names is None:
        found: set[str] = set()
        pending: list[Dependant] = [route.dependant]
        while pending:  # the route's own parameters and those of every dependency it declares
            dependant = pending.pop()
            found.update(field.alias for field in dependant.query_params)
            pending.extend(dependant.dependencies)
        names = _known_query[id(route)] = frozenset(found)
    return names


async def refuse_unknown_query(request: Request) -> None:
    """A query parameter a route does not take is refused (422 naming it), never ignored: an
    ignored `?phone=` filter would answer with every lead as if it were the match."""
    if not request.query_params:
        return
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    unknown = sorted(set(request.query_params) - _query_names(route))
    if unknown:
        raise RequestValidationError(
            [
                {"loc": ("query", name), "msg": "unknown query parameter", "type": "extra_forbidden"}
                for name in unknown
            ]
        )


def document_shared_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Every operation can answer 422 (an unknown query parameter) and, with a body, 413 (too
    large) and 400 (not decodable at all)."""
    error = {"$ref": "#/components/schemas/ErrorResponse"}
    for item in schema.get("paths", {}).values():
        for operation in item.values():
            responses = operation.setdefault("responses", {})
            wanted = ["422"] + (["400", "413"] if "requestBody" in operation else [])
            for status in wanted:
                responses.setdefault(
                    status,
                    {"description": CODES[int(status)], "content": {"application/json": {"schema": error}}},
                )
    return schema
