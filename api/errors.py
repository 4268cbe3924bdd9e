"""Every error answers in one JSON shape: {"error": {"status", "code", "message", "details"}}
(contract/errors.py, which clients read too)."""

from __future__ import annotations

import logging
import traceback
from types import TracebackType
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from contract.errors import CODES, ErrorBody, ErrorResponse, detail

log = logging.getLogger(__name__)


def safe_traceback(
    error: BaseException | tuple[type[BaseException] | None, BaseException | None, TracebackType | None],
) -> str:
    """A traceback with its frames and exception types but no exception messages: a message may
    quote what a person sent (a database error lists its statement's parameters, openpyxl quotes
    the refused cell). Chained causes are shown the same way."""
    exc = error[1] if isinstance(error, tuple) else error
    if exc is None:
        return ""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = traceback.extract_tb(current.__traceback__)
        stack = "".join(f"  {f.filename}:{f.lineno} in {f.name}\n" for f in frames)
        parts.append(f"{type(current).__module__}.{type(current).__qualname__}\n{stack}")
        current = current.__cause__ or current.__context__
    return "caused by: ".join(parts)


class ApiProblem(StarletteHTTPException):
    """An HTTP error with a specific `code` (contract.errors) and, for a 422, the fields it is about,
    for clients that must act on which refusal it is."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        details: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(status, message, headers=headers)
        self.code = code
        self.details = details


def _response(
    status: int,
    message: str,
    details: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
    code: str | None = None,
) -> JSONResponse:
    body = ErrorResponse(
        error=ErrorBody(
            status=status, code=code or CODES.get(status, "error"), message=message, details=details or []
        )
    )
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries so every error a route can give is documented."""
    return {s: {"model": ErrorResponse, "description": CODES.get(s, "error")} for s in statuses}


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    message = exc.detail if isinstance(exc.detail, str) else CODES.get(exc.status_code, "error")
    headers = getattr(exc, "headers", None)
    if isinstance(exc, ApiProblem):
        return _response(exc.status_code, message, exc.details, headers, exc.code)
    return _response(exc.status_code, message, headers=headers)


async def validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    details = [
        detail(".".join(str(p) for p in err.get("loc", ())), err.get("msg", ""), location="")
        for err in exc.errors()
    ]
    fields = ", ".join(d["field"] for d in details) or "body"
    return _response(422, f"invalid request: {fields}", details)


async def _data_error(request: Request, exc: Exception) -> JSONResponse:
    # Input the database itself refuses (PostgreSQL: a NUL character in a text, a number out of range).
    log.warning("input refused by the database", extra={"path": request.url.path})
    return _response(422, "invalid request: a value the database cannot store (e.g. a NUL character)")


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    # The path is logged, never the body: bodies carry personal data.
    log.error("unhandled error", extra={"path": request.url.path, "error_type": type(exc).__name__})
    return _response(500, "internal error")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(DataError, _data_error)
    app.add_exception_handler(Exception, _unexpected_error)
