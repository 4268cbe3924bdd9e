"""Real python-telegram-bot against the local fake Bot API over HTTP, inside the real `serve` app
(`buocmoi.composition.build_app`: API + bot + outbox worker), and people who chat with it."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from api import migrate
from api.core.config import ApiSettings
from bot.config import BotSettings
from buocmoi.composition import build_app
from tests.fakes.bot_api import FakeBotApi
from tests.servers import serving

TOKEN = "123456:TEST-TOKEN"
QUIET = 0.2  # a turn's replies are complete when nothing more arrives for this long
_ids = itertools.count(1)


@contextmanager
def serving_bot(database_url: str, fake_url: str, **bot_env: str) -> Iterator[str]:
    """`buocmoi serve`'s app with the bot on (polling unless TELEGRAM_WEBHOOK_URL is given)."""
    migrate.upgrade(database_url)
    base = {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": f"{fake_url}/bot"}
    api_settings = ApiSettings(DATABASE_URL=database_url, **base)
    bot_settings = BotSettings(**base, **bot_env)
    with serving(build_app(api_settings, bot_settings)) as url:
        yield url


def _user(user_id: int, lang: str = "vi") -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": "Người dùng", "language_code": lang}


def _chat(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "type": "private", "first_name": "Người dùng"}


def message(user_id: int, lang: str = "vi", **fields: Any) -> dict[str, Any]:
    return {
        "message": {
            "message_id": next(_ids),
            "date": int(time.time()),
            "chat": _chat(user_id),
            "from": _user(user_id, lang),
            **fields,
        }
    }


def callback(user_id: int, data: str, lang: str = "vi") -> dict[str, Any]:
    return {
        "callback_query": {
            "id": str(next(_ids)),
            "from": _user(user_id, lang),
            "chat_instance": "ci",
            "data": data,
            "message": {
                "message_id": next(_ids),
                "date": int(time.time()),
                "chat": _chat(user_id),
                "text": "…",
            },
        }
    }


JUNK: dict[str, dict[str, Any]] = {
    "sticker": {
        "sticker": {
            "file_id": "s",
            "file_unique_id": "su",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "type": "regular",
        }
    },
    "photo": {"photo": [{"file_id": "p", "file_unique_id": "pu", "width": 90, "height": 90}]},
    "voice": {"voice": {"file_id": "v", "file_unique_id": "vu", "duration": 3}},
    "location": {"location": {"latitude": 9.6, "longitude": 105.97}},
}


class TgUser:
    """One Telegram user talking to the bot through the fake Bot API."""

    def __init__(self, fake: FakeBotApi, user_id: int, lang: str = "vi") -> None:
        self.fake = fake
        self.id = user_id
        self.lang = lang
        self.last: list[dict[str, Any]] = []

    def messages(self) -> list[dict[str, Any]]:
        return self.fake.sent(chat_id=self.id)

    def push(self, update: dict[str, Any]) -> int:
        before = len(self.messages())
        self.fake.push_update(update)
        return before

    def wait(self, before: int, timeout: float = 20.0) -> list[dict[str, Any]]:
        """The messages sent to this user since `before`, once they stop coming."""
        end = time.monotonic() + timeout
        count = before
        while time.monotonic() < end:
            now = len(self.messages())
            if now > before and now == count:
                time.sleep(QUIET)
                if len(self.messages()) == now:
                    self.last = self.messages()[before:]
                    return self.last
            count = now
            time.sleep(0.03)
        raise AssertionError(f"user {self.id}: no reply in time")

    def say(self, text: str) -> list[dict[str, Any]]:
        return self.wait(self.push(message(self.id, self.lang, text=text)))

    def send(self, **fields: Any) -> list[dict[str, Any]]:
        return self.wait(self.push(message(self.id, self.lang, **fields)))

    def press_data(self, data: str) -> list[dict[str, Any]]:
        return self.wait(self.push(callback(self.id, data, self.lang)))

    def buttons(self) -> list[dict[str, str]]:
        found = []
        for params in self.last:
            markup = params.get("reply_markup") or {}
            for row in markup.get("inline_keyboard", []):
                found.extend(row)
        return found

    def press(self, label: str) -> list[dict[str, Any]]:
        wanted = label.casefold()
        matches = [b for b in self.buttons() if wanted in b["text"].casefold()]
        assert matches, f"no button {label!r} among {[b['text'] for b in self.buttons()]}"
        return self.press_data(matches[0]["callback_data"])

    @property
    def text(self) -> str:
        return "\n".join(str(p.get("text", "")) for p in self.last)
