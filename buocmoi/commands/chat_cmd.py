"""`buocmoi chat`: the bot's conversation in a terminal, without a Telegram token.

The same dialogue engine and the same API (in process, on `DATABASE_URL` or the SQLite file under
`var/` like `serve`), so the conversation is stored as on Telegram and continues after a restart.
Buttons are shown as numbered choices: typing a number presses that button; anything else is typed
text (`/start`, `/menu`, `/huy` ... work as on Telegram). Reads standard input line by line, so a
whole conversation can be piped in. With `--json`, each input line gives exactly one output line:
`{"replies": [{"text": ..., "buttons": [[{"label": ..., "data": ...}]], "request_contact": ...}]}`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from typing import Any, TextIO

import httpx
from sqlalchemy.exc import SQLAlchemyError

from api import migrate
from api.core.config import ApiSettings
from api.core.db import make_engine
from api.main import create_app
from bot.api_client import ApiClient, ApiError
from bot.engine.events import Event, Press, from_text
from bot.engine.replies import Button, Reply
from bot.engine.runner import ConversationBusy, run_event
from bot.engine.services import Services
from bot.faq_answers import get_faq_service
from buocmoi.intake import intake_token
from buocmoi.settings import SettingsError, load_settings
from content.catalog import get_content
from content.i18n import translator
from content.localized import LANGS
from content.problems import ContentError

log = logging.getLogger(__name__)

CHANNEL = "chat"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "chat",
        help="talk to the bot in a terminal (buttons as numbered choices), no Telegram needed",
        description="Talk to the bot in a terminal: type a number to press a button, or type text.",
    )
    parser.add_argument("--user", default="local", help="whose conversation (default: local)")
    parser.add_argument("--lang", choices=LANGS, default=None, help="language before one is chosen")
    parser.add_argument("--json", action="store_true", help="one JSON line of replies per input line")
    parser.set_defaults(func=run)


def render(replies: list[Reply]) -> tuple[str, list[Button]]:
    """Replies as terminal text, buttons numbered from 1, and the buttons in that order."""
    lines: list[str] = []
    buttons: list[Button] = []
    for reply in replies:
        lines.append(reply.text)
        for row in reply.buttons:
            for button in row:
                buttons.append(button)
                lines.append(f"  [{len(buttons)}] {button.label}")
        if reply.request_contact:
            lines.append("  (" + reply.request_contact + ": gõ số điện thoại / type the number)")
    return "\n".join(lines), buttons


def to_json(replies: list[Reply]) -> str:
    items: list[dict[str, Any]] = [
        {
            "text": r.text,
            "buttons": [[{"label": b.label, "data": b.data} for b in row] for row in r.buttons],
            "request_contact": r.request_contact,
        }
        for r in replies
    ]
    return json.dumps({"replies": items}, ensure_ascii=False)


def to_event(line: str, buttons: list[Button], numeric_input: bool) -> Event:
    typed = line.strip()
    if typed.isdigit() and not numeric_input and 1 <= int(typed) <= len(buttons):
        return Press(buttons[int(typed) - 1].data)
    return from_text(line.rstrip("\r\n"))


async def converse(services: Services, user: str, lang: str | None, stdin: TextIO, as_json: bool) -> int:
    out = sys.stdout
    buttons: list[Button] = []
    numeric_input = False
    if stdin.isatty() and not as_json:
        print("Bước Mới — gõ /start để bắt đầu, gõ số để bấm nút, Ctrl-D để thoát.", file=sys.stderr)
    while True:
        line = await asyncio.to_thread(stdin.readline)
        if not line:
            return 0
        event = to_event(line, buttons, numeric_input)
        try:
            replies = await run_event(services, user, event, lang)
        except (ApiError, ConversationBusy) as err:
            log.warning("could not handle a line", extra={"error_type": type(err).__name__})
            busy = translator(lang)(
                "Xin lỗi, hệ thống đang bận nên chưa làm được. Bạn thử lại sau ít phút nhé."
            )
            replies = [Reply(busy)]
        text, shown = render(replies)
        if shown or replies:
            buttons = shown
            numeric_input = any(r.numeric_input for r in replies)
        if as_json:
            out.write(to_json(replies) + "\n")
        else:
            out.write(text + "\n\n")
        out.flush()


async def _main(args: argparse.Namespace, settings: ApiSettings) -> int:
    engine = make_engine(settings.database_url)
    try:
        app = create_app(settings, engine=engine)
        token = intake_token(engine)
        async with ApiClient(token, transport=httpx.ASGITransport(app=app)) as api:
            services = Services(content=get_content(), faq=get_faq_service(), api=api, channel=CHANNEL)
            return await converse(services, args.user, args.lang, sys.stdin, args.json)
    finally:
        engine.dispose()


def run(args: argparse.Namespace) -> int:
    try:
        settings = load_settings(ApiSettings)
        get_content()
    except (SettingsError, ContentError) as err:
        print(f"buocmoi chat: cannot start:\n{err}", file=sys.stderr)
        return 2
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")
    if hasattr(sys.stdin, "reconfigure"):
        sys.stdin.reconfigure(encoding="utf-8", errors="replace")
    try:
        if settings.is_sqlite:
            migrate.upgrade(settings.database_url)
        return asyncio.run(_main(args, settings))
    except SQLAlchemyError as err:
        print(f"buocmoi chat: the database is not usable: {type(err).__name__}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
