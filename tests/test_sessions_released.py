"""Every sync route or dependency that is given a database session closes it on its own thread
before that thread is free again (`api.sessions`): the rule that keeps a burst from exhausting the
connection pool (issue 14, F1; the burst itself is tests/faults/test_load_burst.py)."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from pathlib import Path

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from sqlmodel import Session, text
from starlette.routing import BaseRoute

from api.core.config import ApiSettings
from api.core.db import BACKGROUND_THREADS, HEALTH_THREADS, POOL_SIZE, WORKER_THREADS, make_engine
from api.deps import get_session
from api.main import create_app
from api.sessions import releases, releases_sessions


def _tree(dependant: Dependant) -> Iterator[Dependant]:
    yield dependant
    for sub in dependant.dependencies:
        yield from _tree(sub)


def _api_routes(routes: list[BaseRoute]) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        included = getattr(route, "original_router", None)  # FastAPI includes routers lazily
        if included is not None:
            yield from _api_routes(included.routes)


def test_every_sync_user_of_a_session_releases_it(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/t.db"
    engine = make_engine(url)
    app = create_app(ApiSettings(DATABASE_URL=url), engine=engine)
    checked, offenders = 0, set()
    for route in _api_routes(app.routes):
        for dependant in _tree(route.dependant):
            if dependant.call is None or inspect.iscoroutinefunction(inspect.unwrap(dependant.call)):
                continue
            if any(sub.call is get_session for sub in dependant.dependencies):
                checked += 1
                if not releases(dependant.call):
                    offenders.add(f"{route.path}: {dependant.call.__name__}")
    engine.dispose()
    assert checked > 30
    assert not offenders, sorted(offenders)


def test_a_released_session_holds_no_connection_and_works_again(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/t.db")
    session = Session(engine)

    @releases_sessions
    def use(session: Session) -> int:
        return int(session.execute(text("SELECT 1")).scalar_one())

    assert use(session) == 1
    assert not session.in_transaction()
    assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    assert use(session=session) == 1
    assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    engine.dispose()


def test_the_pool_has_a_connection_for_every_thread_that_may_want_one(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/t.db")
    assert engine.pool.size() == POOL_SIZE == WORKER_THREADS + BACKGROUND_THREADS + HEALTH_THREADS  # type: ignore[attr-defined]
    engine.dispose()
