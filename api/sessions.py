"""A database session lives within one thread run: it is closed on the thread that used it, when
the sync route or dependency that used it returns (engineering-notes §9.5).

FastAPI runs each sync dependency and the sync route in separate trips to the thread pool. A
session that kept its connection from one trip to the next would hold that connection while it
waits for a thread; under a burst every thread then waits for a connection that only a queued
trip would give back, and the service stalls (issue 14, F1). So every sync callable that takes a
session releases it before its thread is free again, and `api.core.db` sizes the pool to the
threads.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from fastapi.routing import APIRoute
from sqlmodel import Session

P = ParamSpec("P")
R = TypeVar("R")

RELEASES_SESSIONS = "__releases_sessions__"


def releases_sessions(function: Callable[P, R]) -> Callable[P, R]:
    """`function` (sync) closes every session it was given when it returns or raises, on its own
    thread. A closed session can be used again: it takes a connection on its next statement."""
    if inspect.iscoroutinefunction(function) or getattr(function, RELEASES_SESSIONS, False):
        return function  # an async callable runs on the event loop and is given no session

    @functools.wraps(function)  # FastAPI reads the wrapped signature (and its module's names)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        finally:
            for value in (*args, *kwargs.values()):
                if isinstance(value, Session):
                    value.close()

    setattr(run, RELEASES_SESSIONS, True)
    return run


def releases(function: Callable[..., Any]) -> bool:
    return bool(getattr(function, RELEASES_SESSIONS, False))


class SessionRoute(APIRoute):
    """The route class of every router: a sync route closes its session before its thread is free."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, releases_sessions(endpoint), **kwargs)
