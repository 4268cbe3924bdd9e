"""The one shape of every error the API answers: `{"error": {"status", "code", "message", "details"}}`.

Clients decide by `code` and by the field a 422 names, never by the words of `message` (those are
for people and may change):

- `code` is the status's generic code (`invalid`, `forbidden`, ...) or, where a client must tell one
  refusal from the others of its status, a specific one listed below (`chat_not_linked`).
- a 422's `details` lists the refused fields, `{"field": "body.contact.phone", "problem": "..."}`
  (the location in the request, dotted); `ErrorBody.field` gives the first one without its location
  (`contact.phone`).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "too_many_requests",
    500: "internal_error",
    502: "bad_gateway",  # a client's own: the answer it got was not the documented shape
    503: "unavailable",
}

# Specific codes (the status's generic code otherwise).
CHAT_NOT_LINKED = "chat_not_linked"  # 403: `X-Acting-Chat` names no active linked account

# Where a refused value was in the request: the first part of a detail's `field`.
LOCATIONS = ("body", "query", "path", "header", "cookie")


def detail(field: str, problem: str, location: str = "body") -> dict[str, Any]:
    """One entry of a 422's `details`, as request validation writes them."""
    return {"field": f"{location}.{field}" if location else field, "problem": problem}


def bare_field(located: str) -> str:
    """`body.contact.phone` -> `contact.phone` (a field with no location is returned as is)."""
    head, _, rest = located.partition(".")
    return rest if head in LOCATIONS and rest else located


class ErrorBody(BaseModel):
    status: int
    code: str
    message: str
    details: list[dict[str, Any]] = []

    @property
    def fields(self) -> list[str]:
        """The refused fields, without their location, in the order given."""
        return [bare_field(str(d["field"])) for d in self.details if isinstance(d.get("field"), str)]

    @property
    def field(self) -> str | None:
        """The first refused field (a 422), without its location; None when none is named."""
        fields = self.fields
        return fields[0] if fields else None


class ErrorResponse(BaseModel):
    error: ErrorBody
