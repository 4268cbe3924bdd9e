"""`buocmoi serve`: the API (and the bot and scheduler when configured) in one process."""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys

import uvicorn
from fastapi import FastAPI

from api.core.config import ApiSettings
from bot.channels.zalo_settings import ZaloSettings
from bot.config import BotSettings
from buocmoi.composition import build_app, build_worker_app
from buocmoi.settings import SettingsError, load_settings
from buocmoi.workers import ParentWatch, api_workers, is_worker, listening_socket
from content.catalog import get_content
from content.communes import snapshot
from content.deadlines import holiday_table
from content.problems import ContentError, report

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("serve", help="run the API, the bot and the scheduler")
    parser.set_defaults(func=run)


def run(_args: argparse.Namespace) -> int:
    # glibc gives each busy thread its own malloc arena; two are enough for this service and keep
    # its memory lower. The variable only works from process start, so set it and start again.
    if sys.platform.startswith("linux") and "MALLOC_ARENA_MAX" not in os.environ:
        os.environ["MALLOC_ARENA_MAX"] = "2"
        os.execv(sys.executable, [sys.executable, "-m", "buocmoi", "serve"])
    try:
        settings = load_settings(ApiSettings)
        bot_settings = load_settings(BotSettings)
        zalo_settings = load_settings(ZaloSettings)
    except SettingsError as err:
        print(f"buocmoi serve: refusing to start:\n{err}", file=sys.stderr)
        return 2
    problem = _workers_problem(settings, bot_settings) or _zalo_workers_problem(settings, zalo_settings)
    if problem:
        print(f"buocmoi serve: refusing to start: BUOCMOI_API_WORKERS: {problem}", file=sys.stderr)
        return 2
    worker = is_worker()
    # Broken content stops the service here, never mid-conversation; loaded once, it stays cached.
    try:
        get_content()
    except ContentError as err:
        print(
            f"buocmoi serve: refusing to start, the content is broken.\n{report(err.problems)}",
            file=sys.stderr,
        )
        return 1
    # Old-address tables come pre-built from a child process (keeps about 20 MB out of the service).
    if not snapshot.load_from_child(settings.province):
        log.warning("commune tables not pre-built; they will be read on first use")
    # Public holidays for the years around today, likewise (keeps the `holidays` package out).
    if not holiday_table.load_from_child(get_content().deadlines.schedule.calendar.country):
        log.warning("holiday table not pre-built; the holidays package will be loaded on first use")
    if settings.is_sqlite and not worker:
        # In a child process, so the service does not keep Alembic's modules in memory.
        migration = subprocess.run([sys.executable, "-m", "buocmoi", "db", "upgrade"], check=False)
        if migration.returncode != 0:
            print("buocmoi serve: cannot migrate the SQLite database (see above)", file=sys.stderr)
            return 1
    try:
        sock = listening_socket(settings.host, settings.port) if settings.api_workers > 1 else None
    except OSError as err:
        print(f"buocmoi serve: cannot listen on {settings.host}:{settings.port}: {err}", file=sys.stderr)
        return 1
    if worker:  # an extra API worker: the API (and the web chat, see build_worker_app)
        assert sock is not None
        watch = ParentWatch()
        watch.server = _server(build_worker_app(settings, bot_settings, [watch.extension]))
        watch.server.run(sockets=[sock])
        return 0
    if sock is None:
        app = build_app(settings, bot_settings, zalo_settings)
        _log_serving(settings)
        uvicorn.run(app, host=settings.host, port=settings.port, log_config=None, access_log=False)
        return 0
    # The workers start first, so they load while this process builds its own app and bot.
    with api_workers(settings.api_workers - 1) as workers:
        app = build_app(settings, bot_settings, zalo_settings)
        failure = workers.wait_until_ready()
        if failure:
            print(f"buocmoi serve: {failure}", file=sys.stderr)
            return 1
        _log_serving(settings)
        _server(app).run(sockets=[sock])
    return 0


def _log_serving(settings: ApiSettings) -> None:
    log.info(
        "serving", extra={"host": settings.host, "port": settings.port, "api_workers": settings.api_workers}
    )


def _server(app: FastAPI) -> uvicorn.Server:
    config = uvicorn.Config(app, log_config=None, access_log=False, timeout_graceful_shutdown=10)
    return uvicorn.Server(config)


def _zalo_workers_problem(settings: ApiSettings, zalo: ZaloSettings) -> str | None:
    if settings.api_workers > 1 and zalo.token and zalo.zalo_webhook_url:
        return (
            "the Zalo webhook is answered by the first process only; with several API workers "
            "run the Zalo bot with getUpdates (leave ZALO_WEBHOOK_URL unset)"
        )
    return None


def _workers_problem(settings: ApiSettings, bot_settings: BotSettings) -> str | None:
    if settings.api_workers == 1:
        return None
    if settings.is_sqlite:
        return "SQLite takes one writer at a time; more than one API worker needs PostgreSQL"
    if bot_settings.token and bot_settings.webhook:
        return (
            "the Telegram webhook is answered by the first process only; with several API workers "
            "run the bot with long polling (leave TELEGRAM_WEBHOOK_URL unset)"
        )
    return None
